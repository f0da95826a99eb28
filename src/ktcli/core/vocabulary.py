"""The method's words, each defined once: the values the document stores and their labels.

Pure data. :mod:`ktcli.core.model` types its fields with these names; the
terminal (:mod:`ktcli.ui.render`), the Markdown handoff
(:mod:`ktcli.handoff.markdown`) and the other handoff texts take their labels
from here, so a screen and a ticket never name the same thing two ways. Every
table has exactly the keys of its type (tests/core/test_vocabulary.py).
"""

from __future__ import annotations

from typing import Literal

# -- the specification -------------------------------------------------------------------------

Side = Literal["is", "is_not"]
#: A side of a specification row -> its label.
SIDE_LABELS: dict[Side, str] = {"is": "IS", "is_not": "IS NOT"}

# -- the appraisal -----------------------------------------------------------------------------

Rating = Literal["high", "medium", "low"]
#: Ratings, highest first: the order in which priorities are compared.
RATINGS: tuple[Rating, ...] = ("high", "medium", "low")

NextStep = Literal["problem_analysis", "decision_analysis", "potential_problem_analysis", "none"]
#: A concern's next step -> what it is for, in a few words.
NEXT_STEP_LABELS: dict[NextStep, str] = {
    "problem_analysis": "find the cause",
    "decision_analysis": "choose between options",
    "potential_problem_analysis": "protect the plan",
    "none": "no analysis needed",
}

Depth = Literal["quick", "full"]

#: The rows a quick pass asks (the statement is the WHAT): the session asks only these,
#: and the gates do not count the others as blank in a quick analysis.
QUICK_ROWS: tuple[str, ...] = ("where-location", "when-first", "extent-objects")
#: A depth -> what it covers, as the guided session offers it.
DEPTH_LABELS: dict[Depth, str] = {
    "quick": "quick pass: statement, IS facts, likely cause, how to confirm",
    "full": "full analysis: every row, distinctions, changes, cause tests",
}
#: Shown where no depth has been chosen yet.
NO_DEPTH = "not chosen"

# -- cause tests -------------------------------------------------------------------------------

Verdict = Literal["explains", "explains_only_if", "does_not_explain"]
#: A verdict -> its symbol in a grid.
VERDICT_SYMBOLS: dict[Verdict, str] = {
    "explains": "✓",
    "explains_only_if": "if",
    "does_not_explain": "✗",
}
#: A verdict -> its words in a legend.
VERDICT_WORDS: dict[Verdict, str] = {
    "explains": "explains because",
    "explains_only_if": "explains only if",
    "does_not_explain": "does not explain",
}
#: A verdict -> its short form, in a grid cell before the note.
VERDICT_SHORT: dict[Verdict, str] = {
    "explains": "explains",
    "explains_only_if": "only if",
    "does_not_explain": "does not explain",
}
#: A verdict -> the words that lead into its note in a sentence ("explains, because EU only").
VERDICT_LEADS: dict[Verdict, str] = {
    "explains": "explains, because",
    "explains_only_if": "explains only if",
    "does_not_explain": "does not explain",
}
#: A cause not yet tested against a row: its symbol, and its words.
UNTESTED_SYMBOL = "?"
UNTESTED_WORDS = "not tested"

# -- actions -----------------------------------------------------------------------------------

ActionKind = Literal["interim", "corrective", "preventive", "contingent"]
#: Action kinds in the order a reader needs them, with what each is for.
ACTION_KIND_TITLES: dict[ActionKind, str] = {
    "interim": "Interim: restore service now",
    "corrective": "Corrective: remove the true cause",
    "preventive": "Preventive: stop it coming back",
    "contingent": "Contingent: if a potential problem happens anyway",
}

ActionStatus = Literal["planned", "in_progress", "done"]
#: An action's status -> its label.
ACTION_STATUS_LABELS: dict[ActionStatus, str] = {
    "planned": "planned",
    "in_progress": "in progress",
    "done": "done",
}


#: How a change whose time nobody knows is shown (``when`` is null in the file).
UNKNOWN_TIME = "time unknown"
#: What the analyst types for it: ``ktcli change ... --when unknown``.
UNKNOWN_WORD = "unknown"
