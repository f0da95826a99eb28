"""The question and reply types: what the session asks, and what a prompter may answer."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Union

if TYPE_CHECKING:
    # A type only: the title and the first question of ``ktcli new`` are drawn without
    # importing the pitfall language (compiled patterns) the session probes with later.
    from ktcli.core.language import PitfallKind
    from ktcli.core.model import Analysis

Depth = Literal["quick", "full"]
Kind = Literal["text", "cell", "choice", "confirm", "checkbox", "matrix", "source"]
View = Literal["matrix", "ranking"]
NoteKind = Literal["section", "info", "warning", "probe"]
Value = Union[str, bool, tuple[str, ...], "Command"]

ALL_CHECKS: tuple[PitfallKind, ...] = ("vague", "causal", "loaded")
#: Causes, tests and verification talk about causes by nature: no "assumed cause" probe there.
NO_CAUSAL: tuple[PitfallKind, ...] = ("vague", "loaded")


class Command(enum.Enum):
    """What a prompter returns instead of an answer when the analyst presses a special key."""

    NEED_DATA = "need_data"
    NOT_APPLICABLE = "not_applicable"
    BACK = "back"
    MATRIX = "matrix"
    QUIT = "quit"


@dataclass(frozen=True)
class GoTo:
    """Jump to (and walk through) one section."""

    section: str


#: An answer, a special key (need more data, back, ...) or a jump.
Reply = Union[Value, GoTo]  # noqa: UP007 - a runtime alias; X | Y needs 3.10 types here


@dataclass(frozen=True)
class Section:
    """One part of the method, in the order the session walks it."""

    id: str
    title: str
    intro: str
    modes: tuple[Depth, ...] = ("quick", "full")
    #: Asked on its own (``ktcli decide``, ``ktcli protect``), not on the session's way.
    alone: bool = False


SECTIONS: tuple[Section, ...] = (
    Section("appraisal", "Appraisal", "Business impact and concerns first; then how deep to go."),
    Section("statement", "Problem statement", "One object, one deviation. No cause yet."),
    Section(
        "specification",
        "Specification",
        "Facts of what IS against the closest IS NOT, row by row. Each with its source.",
    ),
    Section(
        "distinctions", "Distinctions", "What is true of the IS and not of the IS NOT?", ("full",)
    ),
    Section(
        "changes", "Changes", "What changed in, on, around or about each distinction?", ("full",)
    ),
    Section("causes", "Possible causes", "How could a distinction or change produce this?"),
    Section(
        "tests",
        "Testing the causes",
        "If this were the true cause, how would it explain each IS and IS NOT?",
        ("full",),
    ),
    Section("verification", "Verification", "Prove the cause before acting on it."),
    Section("actions", "Actions", "Restore service, remove the cause, stop it coming back."),
    Section(
        "decide",
        "Decision",
        "MUSTs screen the options out; weighted WANTs rank the rest; weigh the leaders' risks.",
        alone=True,
    ),
    Section(
        "protect",
        "Protecting the plan",
        "What could go wrong in each step; prevent the serious, and plan what to do if.",
        alone=True,
    ),
    Section("handoff", "Handoff", "The structured handoff for the ticket."),
)
SECTION_IDS = tuple(s.id for s in SECTIONS)
#: The sections a guided session walks, in order (counted and offered by Ctrl-G).
WALKED: tuple[Section, ...] = tuple(s for s in SECTIONS if not s.alone)


@dataclass(frozen=True)
class Choice:
    """One option of a choice or checkbox question."""

    value: str
    label: str


#: The reply to a ``source`` question: (source, "verified" or "reported").
FactSource = tuple[str, str]

#: In a :class:`Mark`: the row is left untested, because a fact already ruled the cause out.
SKIP = "skip"


@dataclass(frozen=True)
class Mark:
    """One cell of the cause-test matrix decided: a verdict (or :data:`SKIP`) and its note."""

    cause: str
    row: str
    verdict: str
    #: The reason, or the assumption of "explains only if"; "" for none given.
    note: str = ""


@dataclass(frozen=True)
class Board:
    """What the matrix screen works on: the live analysis, and how to save one mark.

    ``mark`` applies and saves the mark at once (every verdict is saved as it is
    made); it returns the probing question the note raised, or "".
    """

    analysis: Analysis
    mark: Callable[[Mark], str]


@dataclass(frozen=True)
class Question:
    """One question as a prompter sees it: what to ask, and how an answer may look."""

    id: str
    section: str
    kind: Kind
    text: str
    hint: str = ""
    field: str = ""
    #: The current answer, offered for editing.
    default: Value | None = None
    #: A proposal shown greyed out; Enter takes it.
    suggested: str | None = None
    choices: tuple[Choice, ...] = ()
    required: bool = True
    context: tuple[str, ...] = ()
    checks: tuple[PitfallKind, ...] = ()
    #: For a matrix question: set by the engine just before it asks.
    board: Board | None = None
    #: Where the session is: 'Specification · section 3 of 10 · 12 left here · ...'.
    place: str = ""
    #: The sections with nothing left to answer (marked in the go-to menu).
    finished: tuple[str, ...] = ()
    #: For a typed answer: the analysis's own words, to complete the word being typed
    #: (``session.words``); set by the engine just before it asks.
    words: tuple[str, ...] = ()
