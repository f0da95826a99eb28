"""The analysis document: one problem, from the first appraisal to the verified cause.

Every model rejects unknown keys, so a typo in a hand-edited handoff is an error,
not silently lost data. Field order here is the key order on disk: keep it
stable, it is what teams diff in git. See docs/handoff-format.md.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from ktcli.core.fields import Flag, Ident, OptText, Strict, Text, Timestamp

# Re-exported: the document's types are named in the vocabulary, with their labels.
from ktcli.core.ids import ID_PATTERN as ID_PATTERN
from ktcli.core.ids import valid_id as valid_id
from ktcli.core.vocabulary import UNKNOWN_TIME, ActionKind, ActionStatus, Depth, NextStep
from ktcli.core.vocabulary import Rating as Rating
from ktcli.core.vocabulary import Side as Side
from ktcli.core.vocabulary import Verdict as Verdict

#: Bumped only with a migration; the first key of every handoff file.
SCHEMA_VERSION = 3


def _exact_int(value: object) -> object:
    """Only an integer is an integer: pydantic alone reads true and 1.0 as 1."""
    if type(value) is not int:
        raise ValueError(f"expected the integer {SCHEMA_VERSION}, not {value!r}")
    return value


Dimension = Literal["what", "where", "when", "extent"]

_SCORE: dict[str, int] = {"high": 3, "medium": 2, "low": 1}


def derive_priority(seriousness: Rating, urgency: Rating, growth: Rating) -> Rating:
    """Priority from the three ratings: the sum of high=3, medium=2, low=1.

    7 or more is high, 5 or 6 is medium, below 5 is low, so a concern that is
    serious *and* urgent is high whatever its growth.
    """
    score = _SCORE[seriousness] + _SCORE[urgency] + _SCORE[growth]
    if score >= 7:
        return "high"
    if score >= 5:
        return "medium"
    return "low"


class Concern(Strict):
    """One concern from the appraisal, rated and given a next step."""

    id: Ident
    text: Text
    seriousness: Rating
    urgency: Rating
    growth: Rating
    priority: Rating | None = Field(
        default=None, description="Derived from the three ratings; written for readers."
    )
    next_step: NextStep = "problem_analysis"
    owner: OptText | None = None

    @model_validator(mode="after")
    def _derive(self) -> Concern:
        derived = derive_priority(self.seriousness, self.urgency, self.growth)
        if self.priority is not None and self.priority != derived:
            raise ValueError(
                f"priority is derived from the ratings and must be {derived!r}, "
                f"not {self.priority!r}"
            )
        self.priority = derived
        return self


class Appraisal(Strict):
    """The situation before solving: concerns, and how deep to go."""

    concerns: list[Concern] = Field(default_factory=list)
    depth: Depth | None = None
    depth_reason: OptText | None = None
    reopened: Flag = False


class Statement(Strict):
    """One object, one deviation. Never a cause."""

    object: Text
    deviation: Text

    @property
    def text(self) -> str:
        """The statement as one sentence."""
        return f"{self.object} {self.deviation}"


class Fact(Strict):
    """An answer with its source; reported until someone verified it."""

    kind: Literal["fact"] = "fact"
    text: Text
    source: Text
    status: Literal["reported", "verified"] = "reported"
    evidence: list[Text] = Field(default_factory=list)


class NotApplicable(Strict):
    """The question does not apply to this problem, and why."""

    kind: Literal["not_applicable"] = "not_applicable"
    reason: Text


class NeedData(Strict):
    """Nobody knows yet; who will find out, and how."""

    kind: Literal["need_data"] = "need_data"
    who: Text
    how: Text


Cell = Annotated[Fact | NotApplicable | NeedData, Field(discriminator="kind")]


class Row(Strict):
    """One row of the IS / IS NOT specification."""

    id: Ident
    dimension: Dimension
    label: Text
    question: OptText | None = Field(
        default=None, description="The question asked for this row; set for playbook rows."
    )
    origin: OptText = Field(default="standard", description="'standard' or a playbook id.")
    is_: Cell | None = Field(default=None, alias="is")
    is_not: Cell | None = None

    def cell(self, side: Side) -> Cell | None:
        """The IS or IS NOT cell."""
        return self.is_ if side == "is" else self.is_not

    @property
    def answered(self) -> bool:
        """A row holds facts that causes must be tested against."""
        return isinstance(self.is_, Fact) or isinstance(self.is_not, Fact)


#: The eleven standard rows: (id, dimension, label). Their questions live in session/wording.py.
STANDARD_ROWS: tuple[tuple[str, Dimension, str], ...] = (
    ("what-object", "what", "WHAT: object"),
    ("what-deviation", "what", "WHAT: deviation"),
    ("where-location", "where", "WHERE: location"),
    ("where-on-object", "where", "WHERE: on the object"),
    ("when-first", "when", "WHEN: first seen"),
    ("when-pattern", "when", "WHEN: pattern since"),
    ("when-lifecycle", "when", "WHEN: in the lifecycle"),
    ("extent-objects", "extent", "EXTENT: objects affected"),
    ("extent-size", "extent", "EXTENT: size of one deviation"),
    ("extent-per-object", "extent", "EXTENT: deviations per object"),
    ("extent-trend", "extent", "EXTENT: trend"),
)
STANDARD_ROW_IDS = tuple(r[0] for r in STANDARD_ROWS)


def standard_rows() -> list[Row]:
    """A fresh, blank specification."""
    return [Row(id=i, dimension=d, label=label) for i, d, label in STANDARD_ROWS]


class Distinction(Strict):
    """What is true of the IS and not of the IS NOT."""

    id: Ident
    text: Text
    rows: list[Ident] = Field(default_factory=list)


class Change(Strict):
    """What changed in, on, around or about a distinction, and when."""

    id: Ident
    text: Text
    when: Text | None = Field(description="When it changed; null when nobody knows.")
    distinction: Ident | None = None
    rows: list[Ident] = Field(default_factory=list)

    @property
    def when_text(self) -> str:
        """The time as given, or ``time unknown``."""
        return self.when if self.when is not None else UNKNOWN_TIME


class CauseTest(Strict):
    """A cause against one row: explains because, explains only if, or does not explain."""

    verdict: Verdict
    note: Text = Field(description="The reason, the assumption, or why it does not explain.")


class Cause(Strict):
    """A possible cause and its test against every answered row."""

    id: Ident
    text: Text
    origin: Literal["distinction", "change", "experience", "playbook"] = "experience"
    origin_ref: OptText | None = Field(
        default=None, description="The distinction, change or playbook it came from."
    )
    tests: dict[str, CauseTest] = Field(default_factory=dict, description="Row id to test result.")
    skipped: list[str] = Field(
        default_factory=list,
        description="Rows left untested on purpose: a fact had already ruled the cause out.",
    )

    @model_serializer(mode="wrap")
    def _drop_no_skips(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # Written only when a row was skipped: files without skips stay as they were.
        data: dict[str, Any] = handler(self)
        if not self.skipped:
            data.pop("skipped", None)
        return data


class Verification(Strict):
    """A step that checks a cause, or one of its assumptions, by observation or experiment."""

    id: Ident
    cause: Ident
    checks: Text
    method: Text
    result: OptText | None = None
    status: Literal["planned", "confirmed", "refuted"] = "planned"
    by: OptText | None = None
    at: Timestamp | None = None


class TrueCause(Strict):
    """The cause confirmed by recorded verification."""

    cause: Ident
    verifications: list[Ident] = Field(default_factory=list)
    confirmed_by: Text
    confirmed_at: Timestamp


class Action(Strict):
    """Interim (restore service), corrective (remove the cause) or preventive (stop recurrence)."""

    id: Ident
    kind: ActionKind
    text: Text
    owner: OptText | None = None
    status: ActionStatus = "planned"
    trigger: OptText | None = Field(
        default=None, description="Contingent actions: the sign that sets the action off."
    )


class DataRequest(Strict):
    """Data asked of someone; received or still outstanding."""

    id: Ident
    what: Text
    requested_from: Text
    asked_at: Timestamp | None = None
    received_at: Timestamp | None = None
    result: OptText | None = None
    row: Ident | None = None
    #: Commands for the analyst who collects it (never shown to the customer).
    commands: list[Text] = Field(default_factory=list)
    #: Why it is not needed after all; a dismissed request is not outstanding.
    dismissed: OptText | None = None

    @property
    def outstanding(self) -> bool:
        """Asked for and still awaited: neither received nor dismissed."""
        return self.received_at is None and self.dismissed is None

    @property
    def for_analyst(self) -> str:
        """What is asked for, followed by the commands that collect it, one ``$`` line each."""
        return "\n".join([self.what, *(f"$ {c}" for c in self.commands)])

    @property
    def plain_what(self) -> str:
        """What is asked for, without the analyst's command lines (older files held them here)."""
        return "\n".join(line for line in self.what.split("\n") if not line.startswith("$ "))


class OpenQuestion(Strict):
    """A question still without an answer."""

    id: Ident
    text: Text
    owner: OptText | None = None
    answer: OptText | None = None


class PitfallNote(Strict):
    """A probing-question warning the analyst chose to keep."""

    field: Text = Field(description="Where the answer stands, e.g. 'statement.deviation'.")
    kind: Text
    term: Text
    question: Text
    text: Text


class PlaybookRef(Strict):
    """The playbook used, exactly: id, version and a hash of its merged content."""

    id: Ident
    version: Text
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    items: dict[str, str] = Field(
        default_factory=dict,
        description="A short hash per playbook item (row guide, cause, evidence), so that "
        "resuming can say what changed.",
    )


class Escalation(Strict):
    """A handoff from one analyst or team to another."""

    at: Timestamp
    by: Text
    to: Text
    reason: Text
    missing: list[Text] = Field(
        default_factory=list, description="What backline may still have to ask, as known."
    )


class Closure(Strict):
    """How the analysis was closed."""

    at: Timestamp
    by: Text
    customer_confirmation: OptText | None = None
    forced: Flag = False
    reason: OptText | None = None
    #: Where the corrective action still open at closing is tracked (a problem ticket).
    fix_tracked_in: OptText | None = None


class HistoryEntry(Strict):
    """One line of the append-only history."""

    at: Timestamp
    who: Text
    what: Text


# -- deciding and acting: Decision Analysis and Potential Problem Analysis ----------------------
# Kept in one block (see docs/decide-and-protect.md); the rules over it are in core/deciding.py.

#: A WANT's weight and an option's score against a WANT: 1 (least) to 10 (most).
Weight = Annotated[int, Field(ge=1, le=10)]


class Must(Strict):
    """A mandatory objective: measurable and realistic; an option that fails one is out."""

    id: Ident
    text: Text


class Want(Strict):
    """A desirable objective, weighted 1-10 by how much it matters."""

    id: Ident
    text: Text
    weight: Weight | None = None


class Screen(Strict):
    """An option against one MUST: passes or fails, and the fact that says so."""

    passes: bool
    fact: OptText | None = None


class Score(Strict):
    """An option against one WANT: 1-10, and the fact behind the score."""

    score: Weight
    fact: OptText | None = None


class Risk(Strict):
    """What could go wrong if this option is chosen."""

    text: Text
    probability: Rating
    seriousness: Rating


class Option(Strict):
    """One way to go, screened against every MUST and scored against every WANT."""

    id: Ident
    text: Text
    screens: dict[str, Screen] = Field(default_factory=dict, description="MUST id to screen.")
    scores: dict[str, Score] = Field(default_factory=dict, description="WANT id to score.")
    risks: list[Risk] = Field(default_factory=list)


class Choice(Strict):
    """The option chosen, and why; a choice that is not the top score needs its reason."""

    option: Ident
    reason: OptText | None = None
    by: OptText | None = None
    at: Timestamp | None = None


class Decision(Strict):
    """Decision Analysis: which fix or workaround, chosen against stated objectives."""

    concern: Ident | None = Field(default=None, description="The appraisal concern it answers.")
    statement: OptText | None = Field(
        default=None, description="What is being chosen, and to what end."
    )
    musts: list[Must] = Field(default_factory=list)
    wants: list[Want] = Field(default_factory=list)
    options: list[Option] = Field(default_factory=list)
    choice: Choice | None = None


class PotentialProblem(Strict):
    """What could go wrong in one step of the plan, its likely causes and its actions."""

    id: Ident
    text: Text
    probability: Rating
    seriousness: Rating
    causes: list[Text] = Field(default_factory=list, description="Its likely causes.")
    actions: list[Ident] = Field(
        default_factory=list,
        description="Preventive and contingent actions (ids in the analysis's actions).",
    )


class PlanStep(Strict):
    """One step of the plan being protected."""

    id: Ident
    text: Text
    problems: list[PotentialProblem] = Field(default_factory=list)


class Protection(Strict):
    """Potential Problem Analysis: protecting a plan, such as the fix's rollout."""

    concern: Ident | None = Field(default=None, description="The appraisal concern it answers.")
    plan: OptText | None = Field(default=None, description="The plan, in one sentence.")
    steps: list[PlanStep] = Field(default_factory=list)


#: Fields appended after schema version 1 was published, left out of a file while empty.
OMITTED_WHEN_EMPTY = ("fix_reused_from", "effort")


class FixReuse(Strict):
    """A past analysis's fix re-used here, with the comparison it was chosen on (``similar``)."""

    analysis: Ident
    source: OptText = Field(description="Where the past analysis was found: the store or a path.")
    verdict: Text
    matching: int = Field(ge=0, description="Facts (and the statement) that matched.")
    contradicting: int = Field(ge=0, description="Facts IS now that were IS NOT then, or reverse.")
    true_cause: OptText | None = None
    fix: list[Text] = Field(default_factory=list)
    by: Text
    at: Timestamp


class EffortEntry(Strict):
    """Time spent on the analysis: a call-out, a session, an evening on it."""

    minutes: int = Field(gt=0)
    note: OptText | None = None
    by: Text
    at: Timestamp
    kind: Literal["entered", "session"] = Field(
        default="entered", description="'entered' with ktcli effort, or a guided 'session'."
    )


class Analysis(Strict):
    """The analysis of one problem: the document frontline writes and backline imports."""

    schema_version: Annotated[Literal[3], BeforeValidator(_exact_int)] = 3
    id: Ident
    ticket: OptText | None = None
    title: Text
    status: Literal["open", "escalated", "closed"] = "open"
    business_impact: OptText | None = None
    analysts: list[Text] = Field(default_factory=list)
    created_at: Timestamp
    updated_at: Timestamp
    playbook: PlaybookRef | None = None
    appraisal: Appraisal = Field(default_factory=Appraisal)
    statement: Statement | None = None
    specification: list[Row] = Field(default_factory=standard_rows)
    distinctions: list[Distinction] = Field(default_factory=list)
    changes: list[Change] = Field(default_factory=list)
    causes: list[Cause] = Field(default_factory=list)
    verifications: list[Verification] = Field(default_factory=list)
    true_cause: TrueCause | None = None
    actions: list[Action] = Field(default_factory=list)
    decision: Decision | None = None
    protection: Protection | None = None
    data_requests: list[DataRequest] = Field(default_factory=list)
    open_questions: list[OpenQuestion] = Field(default_factory=list)
    pitfalls: list[PitfallNote] = Field(default_factory=list)
    progress: list[Ident] = Field(
        default_factory=list, description="Guided-session steps already completed."
    )
    escalations: list[Escalation] = Field(default_factory=list)
    closure: Closure | None = None
    history: list[HistoryEntry] = Field(default_factory=list)

    # -- beyond one ticket (issue 12): appended with defaults, so older files still load --
    fix_reused_from: FixReuse | None = Field(
        default=None,
        description="The past analysis whose fix was re-used, and the comparison that allowed it.",
    )

    effort: list[EffortEntry] = Field(
        default_factory=list,
        description="Time spent on the analysis: entered with 'ktcli effort', or recorded by "
        "guided sessions.",
    )

    @model_serializer(mode="wrap")
    def _leave_out_empty_additions(self, handler: SerializerFunctionWrapHandler) -> Any:
        # Written only once set: an analysis that never used them is byte for byte the
        # file it was before they existed (the worked example's export test pins that).
        data = handler(self)
        if isinstance(data, dict):
            for key in OMITTED_WHEN_EMPTY:
                if data.get(key) in (None, []):
                    data.pop(key, None)
        return data

    def row(self, row_id: str) -> Row | None:
        """The specification row with this id, if any."""
        return next((r for r in self.specification if r.id == row_id), None)

    def cause(self, cause_id: str) -> Cause | None:
        """The cause with this id, if any."""
        return next((c for c in self.causes if c.id == cause_id), None)
