"""The guided session as data: sections, questions, and how each answer changes the analysis.

Pure: it asks only through the ``Prompter`` it is given (see ``ktcli.ui.prompts``)
and saves through a callback, so the edge decides where questions and files go.

How it moves: the list of questions is recomputed from the analysis after
every answer, and the next question is the first one not yet answered. That one
rule serves a fresh session, ``resume``, loops ("what else bothers you?") and
questions that appear as the analysis grows (one test per cause and row).

A question is answered when the analysis holds its answer. Where an answer
leaves nothing behind (an empty "anything else?", a rating that kept its
default) its id goes to ``analysis.progress``; when every question is
answered ``progress`` shrinks to ``["complete"]``. Two-part answers (a fact
and its source, a verdict and its reason) are stored at once with the visible
placeholder :data:`PENDING` in the second part, so the file is valid and
complete up to the last answer at every moment.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, Literal, Union

from ktcli.core.analysis import (
    answered_rows,
    assess,
    confirmed_verifications,
    most_probable,
    next_id,
    rank_causes,
    record,
    set_cell,
)
from ktcli.core.language import DEFAULT_TERMS, PitfallKind, Terms, find_pitfalls
from ktcli.core.model import (
    STANDARD_ROW_IDS,
    STANDARD_ROWS,
    Action,
    Analysis,
    Cause,
    CauseTest,
    Change,
    Concern,
    Dimension,
    Distinction,
    Fact,
    NeedData,
    NotApplicable,
    PitfallNote,
    Row,
    Side,
    Statement,
    TrueCause,
    Verification,
    derive_priority,
)

if TYPE_CHECKING:
    from ktcli.session.prompter import Prompter

#: The visible stand-in for the second half of a two-part answer not given yet.
PENDING = "(to be answered)"
#: ``progress`` holds only this once every question has been answered.
COMPLETE = "complete"

Depth = Literal["quick", "full"]
Kind = Literal["text", "cell", "choice", "confirm", "checkbox"]
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
    Section("handoff", "Handoff", "The structured handoff for the ticket."),
)
SECTION_IDS = tuple(s.id for s in SECTIONS)


@dataclass(frozen=True)
class Choice:
    """One option of a choice or checkbox question."""

    value: str
    label: str


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


# -- the playbook seam ----------------------------------------------------------------------


@dataclass(frozen=True)
class RowGuide:
    """Playbook advice for one row: a sharper question and a hint in the product's terms."""

    row: str
    question: str | None = None
    hint: str | None = None


@dataclass(frozen=True)
class ExtraRow:
    """A specification row a playbook adds to the eleven standard ones."""

    id: str
    dimension: Dimension
    label: str
    question: str
    hint: str = ""


@dataclass(frozen=True)
class KnownCause:
    """A cause the playbook knows for this product, offered on the causes step."""

    id: str
    text: str
    confirm: str = ""


@dataclass(frozen=True)
class EvidenceItem:
    """Something to collect (a log, a trace) before service restoration destroys it."""

    id: str
    text: str
    row: str | None = None


@dataclass(frozen=True)
class Guide:
    """What a playbook adds to a session; the empty guide adds nothing."""

    id: str | None = None
    rows: tuple[RowGuide, ...] = ()
    extra_rows: tuple[ExtraRow, ...] = ()
    causes: tuple[KnownCause, ...] = ()
    evidence: tuple[EvidenceItem, ...] = ()
    terms: Terms = DEFAULT_TERMS

    def row_guide(self, row_id: str) -> RowGuide | None:
        """The advice for one row, if the playbook has any."""
        return next((g for g in self.rows if g.row == row_id), None)


NO_GUIDE = Guide()


# -- wording: ktcli's own, with an example each ------------------------------------------------

#: Row id -> (IS question, IS example, IS NOT question, IS NOT example).
ROW_TEXTS: dict[str, tuple[str, str, str, str]] = {
    "what-object": (
        "Which object shows the problem?",
        "one thing: 'the Order API (orders.example.com)'",
        "Which similar object could show it, but does not?",
        "the closest one: 'the Catalog API on the same cluster'",
    ),
    "what-deviation": (
        "What exactly is wrong with it?",
        "'POST /orders answers in 5-9 s instead of under 1 s'",
        "What else could go wrong with it, but does not?",
        "'no errors: every order is stored; GET requests stay fast'",
    ),
    "where-location": (
        "Where is the object when it happens? (site, host, network, region)",
        "'EU region, web pool eu-1'",
        "Where else could it happen, but does not?",
        "'US region, same build and traffic'",
    ),
    "where-on-object": (
        "Where on or in the object is it seen? (component, step, field)",
        "'the payment step of checkout'",
        "Which other part could show it, but does not?",
        "'cart and search steps'",
    ),
    "when-first": (
        "When was it first seen? (date, time, time zone)",
        "'2026-11-20 14:05 UTC, first customer ticket'",
        "When could it have been seen first, but was not?",
        "'not in the 13:00 UTC smoke test'",
    ),
    "when-pattern": (
        "When has it been seen since? Any pattern?",
        "'every weekday 09:00-11:00 UTC'",
        "When could it recur, but does not?",
        "'nights and weekends'",
    ),
    "when-lifecycle": (
        "At what point in the object's life, or in a process, does it happen?",
        "'first request after a deploy; first call of a session'",
        "At what other point could it happen, but does not?",
        "'later calls of the same session'",
    ),
    "extent-objects": (
        "How many objects have the problem?",
        "'3 of 12 EU web servers'",
        "How many could have it, but do not?",
        "'the other 9 EU servers and all 12 US ones'",
    ),
    "extent-size": (
        "How big is one occurrence?",
        "'5-9 s per request, p95 7 s'",
        "How big could it be, but is not?",
        "'no timeouts, never above 10 s'",
    ),
    "extent-per-object": (
        "How many occurrences per object?",
        "'about 30 % of requests on an affected host'",
        "How many could there be, but are not?",
        "'not every request'",
    ),
    "extent-trend": (
        "Is it growing, shrinking or stable?",
        "'growing: 5 % on Monday, 30 % today'",
        "What could the trend be, but is not?",
        "'not shrinking after the restart'",
    ),
}

RATINGS = (Choice("high", "high"), Choice("medium", "medium"), Choice("low", "low"))
VERDICTS = (
    Choice("explains", "explains it, because ..."),
    Choice("explains_only_if", "explains it only if ... (an assumption)"),
    Choice("does_not_explain", "does not explain it"),
)
VERDICT_NOTE = {
    "explains": "It explains this because ...",
    "explains_only_if": "It explains this only if ... (write the assumption)",
    "does_not_explain": "Why can it not explain this?",
}
FACTORS = (
    Choice("high_priority", "high priority or high severity"),
    Choice("reopened", "reopened: it came back after a fix"),
    Choice("complex", "complex or unusual"),
    Choice("no_known_fix", "no known fix"),
    Choice("costly", "costly: money, customers or reputation at stake"),
)
EXPORTS = (
    Choice("markdown", "Markdown, printed here (paste it into the ticket)"),
    Choice("yaml", "YAML, printed here (for backline or another ktcli)"),
    Choice("none", "not now"),
)

#: Asked by ``ktcli new`` before the analysis exists; not part of the flow.
TITLE = Question(
    "title",
    "appraisal",
    "text",
    "A short title for this ticket?",
    hint="e.g. 'Checkout slow for EU shops'",
    field="title",
    checks=ALL_CHECKS,
)


# -- depth -------------------------------------------------------------------------------------

_QUICK_PREFIX = "quick pass: "
_FULL_PREFIX = "full analysis: "


def suggest_depth(a: Analysis, factors: tuple[str, ...] = ()) -> tuple[Depth, str]:
    """Quick or full, and why: full for high priority, reopened, complex, no known fix, costly."""
    reasons = [c.label for c in FACTORS if c.value in factors]
    if a.appraisal.reopened and "reopened" not in factors:
        reasons.append("reopened: it came back after a fix")
    if "high_priority" not in factors and any(c.priority == "high" for c in a.appraisal.concerns):
        reasons.insert(0, "a concern of high priority")
    if reasons:
        return "full", _FULL_PREFIX + "; ".join(reasons)
    urgent = any(c.urgency == "high" for c in a.appraisal.concerns)
    return "quick", _QUICK_PREFIX + ("familiar and urgent" if urgent else "familiar, no known risk")


def suggested_depth(a: Analysis) -> Depth:
    """The depth the recorded reason argues for (the reason is written by :func:`suggest_depth`)."""
    reason = a.appraisal.depth_reason or ""
    if reason.startswith(_QUICK_PREFIX):
        return "quick"
    if reason.startswith(_FULL_PREFIX):
        return "full"
    return suggest_depth(a)[0]


def mode(a: Analysis) -> Depth:
    """The depth in force; before it is chosen, the appraisal is asked in full."""
    return a.appraisal.depth or "full"


# -- the items: a question with its answered-test and how to apply an answer --------------------


@dataclass
class Env:
    """What applying an answer needs from outside: the analyst, the time, the export wish."""

    who: str
    now: datetime
    guide: Guide = NO_GUIDE
    export: str | None = None


@dataclass(frozen=True)
class Item:
    """A question and its behaviour; built fresh from the analysis before every question."""

    question: Question
    done: Callable[[Analysis], bool]
    apply: Callable[[Analysis, Value, Env], str]
    #: The answer may leave nothing in the analysis, so ``progress`` remembers it.
    tracked: bool = False
    #: For answers files: the analysis already holds what this question would ask for.
    given: Callable[[Analysis], bool] | None = None
    #: Something to show once this question is answered.
    after: View | None = None
    #: Asked again after every non-empty answer ("anything else?").
    loop: bool = False
    #: How a refined answer (after a probing question) replaces the first one; default: apply.
    refine: Callable[[Analysis, Value, Env], str] | None = None
    #: An empty answer means "later": skipped for the rest of this session, asked on resume.
    deferrable: bool = False

    @property
    def id(self) -> str:
        """The question id."""
        return self.question.id


def answered(a: Analysis, item: Item) -> bool:
    """True when the analysis (or ``progress``) holds this question's answer."""
    if item.done(a):
        return True
    return item.tracked and (item.id in a.progress or COMPLETE in a.progress)


def _s(value: Value) -> str:
    return value.strip() if isinstance(value, str) else ""


def _last_source(a: Analysis) -> str | None:
    """The source of the most recent fact, offered as the default for the next one."""
    sources = [
        c.source
        for r in a.specification
        for c in (r.is_, r.is_not)
        if isinstance(c, Fact) and c.source != PENDING
    ]
    return sources[-1] if sources else None


def _retext(of: Callable[[Analysis], list[Any]]) -> Callable[[Analysis, Value, Env], str]:
    """Refining an answer that added an item edits that item instead of adding another."""

    def refine(a: Analysis, v: Value, env: Env) -> str:
        last = of(a)[-1]
        last.text = _s(v)
        return f"refined {last.id}: {last.text}"

    return refine


def _cell_text(cell: object) -> str:
    if isinstance(cell, Fact):
        return cell.text
    if isinstance(cell, NotApplicable):
        return f"not applicable ({cell.reason})"
    if isinstance(cell, NeedData):
        return f"need more data ({cell.who}: {cell.how})"
    return "-"


def _appraisal(a: Analysis, m: Depth) -> Iterator[Item]:
    sec = "appraisal"

    def set_impact(a: Analysis, v: Value, env: Env) -> str:
        a.business_impact = _s(v)
        return "recorded the business impact"

    yield Item(
        Question(
            "impact",
            sec,
            "text",
            "What does this problem cost the customer's business?",
            hint="in their terms: 'EU shops lose about 1 in 5 orders at checkout'",
            field="business_impact",
            default=a.business_impact,
            checks=ALL_CHECKS,
        ),
        lambda a: bool(a.business_impact),
        set_impact,
    )
    if m == "full":
        yield from _concerns(a)
        yield _factors_item(a)
    if a.appraisal.depth is None:
        yield _depth_item(a)
    yield _depth_reason_item(a)


def _concerns(a: Analysis) -> Iterator[Item]:
    sec = "appraisal"
    for concern in a.appraisal.concerns:
        for rating, text in (
            ("seriousness", "How serious is it now?"),
            ("urgency", "How urgent is it?"),
            ("growth", "How fast does it grow if nothing is done?"),
        ):

            def rate(a: Analysis, v: Value, env: Env, k: str = concern.id, r: str = rating) -> str:
                c = next(c for c in a.appraisal.concerns if c.id == k)
                setattr(c, r, _s(v))
                c.priority = derive_priority(c.seriousness, c.urgency, c.growth)
                return f"rated concern {k}: {r} {_s(v)}"

            yield Item(
                Question(
                    f"appraisal.{concern.id}.{rating}",
                    sec,
                    "choice",
                    text,
                    context=(f"Concern {concern.id}: {concern.text}",),
                    field=f"appraisal.concerns.{concern.id}.{rating}",
                    default=getattr(concern, rating),
                    choices=RATINGS,
                ),
                lambda a: False,
                rate,
                tracked=True,
                given=lambda a: True,
            )

    def add_concern(a: Analysis, v: Value, env: Env) -> str:
        if not _s(v):
            return ""
        new = Concern(
            id=next_id("k", [c.id for c in a.appraisal.concerns]),
            text=_s(v),
            seriousness="medium",
            urgency="medium",
            growth="medium",
        )
        a.appraisal.concerns.append(new)
        return f"added a concern: {new.text}"

    first = not a.appraisal.concerns
    yield Item(
        Question(
            "appraisal.more",
            sec,
            "text",
            "What is the customer's concern, in one sentence?"
            if first
            else "What else bothers the customer? (Enter when there is nothing else)",
            hint="split compound concerns: one concern, one owner",
            field="appraisal.concerns",
            required=first,
            checks=ALL_CHECKS,
        ),
        lambda a: False,
        add_concern,
        tracked=True,
        given=lambda a: bool(a.appraisal.concerns),
        loop=True,
        refine=_retext(lambda a: a.appraisal.concerns),
    )


def _factors_item(a: Analysis) -> Item:
    def set_factors(a: Analysis, v: Value, env: Env) -> str:
        chosen = v if isinstance(v, tuple) else ()
        a.appraisal.reopened = "reopened" in chosen
        _, reason = suggest_depth(a, chosen)
        a.appraisal.depth_reason = reason
        return f"depth factors: {', '.join(chosen) or 'none'}"

    return Item(
        Question(
            "appraisal.factors",
            "appraisal",
            "checkbox",
            "Which of these apply? (space to tick, Enter when done)",
            hint="they decide between a quick pass and the full analysis",
            field="appraisal.reopened",
            default=("reopened",) if a.appraisal.reopened else (),
            choices=FACTORS,
            required=False,
        ),
        lambda a: False,
        set_factors,
        tracked=True,
        given=lambda a: a.appraisal.depth is not None,
    )


def _depth_item(a: Analysis) -> Item:
    suggested = suggested_depth(a)

    def set_depth(a: Analysis, v: Value, env: Env) -> str:
        a.appraisal.depth = "quick" if _s(v) == "quick" else "full"
        return f"chose a {a.appraisal.depth} analysis"

    return Item(
        Question(
            "appraisal.depth",
            "appraisal",
            "choice",
            "How deep should this analysis go?",
            hint=f"suggested: {a.appraisal.depth_reason or suggest_depth(a)[1]}",
            field="appraisal.depth",
            default=suggested,
            choices=(
                Choice("quick", "quick pass: statement, IS facts, likely cause, how to confirm"),
                Choice("full", "full analysis: every row, distinctions, changes, cause tests"),
            ),
        ),
        lambda a: a.appraisal.depth is not None,
        set_depth,
    )


def _depth_reason_item(a: Analysis) -> Item:
    depth = a.appraisal.depth or suggested_depth(a)
    reason = a.appraisal.depth_reason
    if reason is None or suggested_depth(a) != depth:
        default = (
            "familiar, urgent ticket with a known fix"
            if depth == "quick"
            else "unfamiliar or serious: full analysis"
        )
    else:
        default = reason

    def set_reason(a: Analysis, v: Value, env: Env) -> str:
        a.appraisal.depth_reason = _s(v)
        return f"depth reason: {_s(v)}"

    return Item(
        Question(
            "appraisal.depth_reason",
            "appraisal",
            "text",
            f"Why a {depth} analysis? (it goes into the handoff)",
            hint="Enter takes the suggestion",
            field="appraisal.depth_reason",
            suggested=default,
        ),
        lambda a: False,
        set_reason,
        tracked=True,
        given=lambda a: a.appraisal.depth_reason is not None,
    )


def _statement(a: Analysis) -> Iterator[Item]:
    sec = "statement"
    what = a.row("what-object")
    holding = what.is_ if what is not None and isinstance(what.is_, Fact) else None

    def set_object(a: Analysis, v: Value, env: Env) -> str:
        text = _s(v)
        row = a.row("what-object")
        old = a.statement.object if a.statement else None
        if a.statement is not None:
            a.statement.object = text
        # Until the deviation is known, the object waits in its own row (WHAT IS): a
        # Statement needs both halves, and an answer must be on disk at once.
        if row is not None and (
            row.is_ is None or (isinstance(row.is_, Fact) and row.is_.text in (old, text))
        ):
            source = row.is_.source if isinstance(row.is_, Fact) else PENDING
            row.is_ = Fact(text=text, source=source)
        elif row is not None and isinstance(row.is_, Fact) and a.statement is None:
            row.is_.text = text
        return f"statement object: {text}"

    yield Item(
        Question(
            "statement.object",
            sec,
            "text",
            "Which one object shows the problem?",
            hint="a thing, not a symptom: 'Order API', 'nightly billing job', 'VPN gateway fra-2'",
            field="statement.object",
            default=a.statement.object if a.statement else (holding.text if holding else None),
            checks=(*ALL_CHECKS, "bundled"),
        ),
        lambda a: (
            a.statement is not None
            or ((r := a.row("what-object")) is not None and isinstance(r.is_, Fact))
        ),
        set_object,
    )

    def set_deviation(a: Analysis, v: Value, env: Env) -> str:
        text = _s(v)
        row = a.row("what-object")
        obj = (
            a.statement.object
            if a.statement
            else (row.is_.text if row is not None and isinstance(row.is_, Fact) else "?")
        )
        old = a.statement.deviation if a.statement else None
        a.statement = Statement(object=obj, deviation=text)
        dev = a.row("what-deviation")
        if dev is not None and (
            dev.is_ is None or (isinstance(dev.is_, Fact) and dev.is_.text == old)
        ):
            source = row.is_.source if row is not None and isinstance(row.is_, Fact) else PENDING
            dev.is_ = Fact(text=text, source=source)
        return f"set the statement: {a.statement.text}"

    yield Item(
        Question(
            "statement.deviation",
            sec,
            "text",
            "What exactly is wrong with it? (the deviation, not the cause)",
            hint="measurable: 'answers in more than 5 s', 'rejects 1 in 10 logins with 502'",
            field="statement.deviation",
            default=a.statement.deviation if a.statement else None,
            checks=(*ALL_CHECKS, "bundled"),
        ),
        lambda a: a.statement is not None,
        set_deviation,
    )

    def set_source(a: Analysis, v: Value, env: Env) -> str:
        parts = (a.statement.object, a.statement.deviation) if a.statement else (None, None)
        for row_id, text in zip(("what-object", "what-deviation"), parts, strict=True):
            row = a.row(row_id)
            if row is not None and isinstance(row.is_, Fact):
                row.is_.source = _s(v)
            elif row is not None and row.is_ is None and text:
                # A statement given in an answers file, without its WHAT rows.
                row.is_ = Fact(text=text, source=_s(v))
        return f"statement source: {_s(v)}"

    def source_done(a: Analysis) -> bool:
        row = a.row("what-object")
        return row is not None and isinstance(row.is_, Fact) and row.is_.source != PENDING

    yield Item(
        Question(
            "statement.source",
            sec,
            "text",
            "Who or what told you this? (the source)",
            hint="'customer call, J. Roe (Acme ops)', 'monitoring dashboard', 'ticket text'",
            field="specification.what-object.is.source",
            suggested=_last_source(a) or "customer",
        ),
        source_done,
        set_source,
    )


def spec_rows(a: Analysis, m: Depth) -> list[Row]:
    """The rows a session asks; quick mode: WHERE, WHEN, EXTENT (the statement is the WHAT)."""
    if m == "quick":
        quick = ("where-location", "when-first", "extent-objects")
        return [r for r in a.specification if r.id in quick]
    return list(a.specification)


def _row_hint(row: Row, side: Side, guide: Guide) -> tuple[str, str]:
    texts = ROW_TEXTS.get(row.id)
    extra = next((x for x in guide.extra_rows if x.id == row.id), None)
    if texts is not None:
        q_is, ex_is, q_not, ex_not = texts
        question, example = (q_is, ex_is) if side == "is" else (q_not, ex_not)
    else:
        base = row.question or (extra.question if extra else f"{row.label}?")
        question = base if side == "is" else f"{base} Where is it closest, but not so?"
        example = extra.hint if extra else ""
    rg = guide.row_guide(row.id)
    if rg is not None and rg.question and side == "is":
        question = rg.question
    hints = [f"e.g. {example}" if example else ""]
    if rg is not None and rg.hint:
        hints.append(rg.hint)
    evidence = [e.text for e in guide.evidence if e.row == row.id]
    if evidence:
        hints.append("collect: " + "; ".join(evidence))
    return question, "\n".join(h for h in hints if h)


def _specification(a: Analysis, m: Depth, guide: Guide) -> Iterator[Item]:
    sides: tuple[Side, ...] = ("is",) if m == "quick" else ("is", "is_not")
    for row in spec_rows(a, m):
        for side in sides:
            yield from _cell_items(a, row, side, m, guide)


def _cell_items(a: Analysis, row: Row, side: Side, m: Depth, guide: Guide) -> Iterator[Item]:
    sec = "specification"
    label = "IS" if side == "is" else "IS NOT"
    qid = f"spec.{row.id}.{side}"
    where = f"specification.{row.id}.{side}"
    cell = row.cell(side)
    question, hint = _row_hint(row, side, guide)
    context = (f"{row.label} - IS: {_cell_text(row.is_)}",) if side == "is_not" else ()

    def set_it(a: Analysis, v: Value, env: Env, r: str = row.id, s: Side = side) -> str:
        current = a.row(r)
        old = current.cell(s) if current else None
        if v is Command.NEED_DATA:
            set_cell(a, r, s, NeedData(who=PENDING, how=PENDING))
            return f"{r} {s}: need more data"
        if v is Command.NOT_APPLICABLE:
            set_cell(a, r, s, NotApplicable(reason=PENDING))
            return f"{r} {s}: not applicable"
        if isinstance(old, Fact):
            old.text = _s(v)
            return f"{r} {s}: {_s(v)}"
        # Quick mode asks no source per fact: the facts take the statement's source.
        source = (_last_source(a) or PENDING) if m == "quick" else PENDING
        set_cell(a, r, s, Fact(text=_s(v), source=source))
        return f"{r} {s}: {_s(v)}"

    yield Item(
        Question(
            qid,
            sec,
            "cell",
            f"{label} - {question}",
            hint=hint,
            field=where,
            default=cell.text if isinstance(cell, Fact) else None,
            context=(f"{row.label}", *context),
            checks=ALL_CHECKS,
        ),
        partial(_has_cell, row=row.id, side=side),
        set_it,
    )
    if isinstance(cell, Fact):
        yield from _fact_followups(a, row, side, cell, m, qid, where)
    elif isinstance(cell, NotApplicable):

        def set_reason(a: Analysis, v: Value, env: Env, r: str = row.id, s: Side = side) -> str:
            set_cell(a, r, s, NotApplicable(reason=_s(v)))
            return f"{r} {s}: not applicable ({_s(v)})"

        yield Item(
            Question(
                f"{qid}.reason",
                sec,
                "text",
                "Why does it not apply?",
                hint="e.g. 'a single server: there is no other to compare'",
                field=f"{where}.reason",
                context=(f"{row.label} - {label}",),
            ),
            partial(_cell_given, row=row.id, side=side, name="reason"),
            set_reason,
        )
    elif isinstance(cell, NeedData):
        for part, text, example in (
            ("who", "Who will get the data?", "'J. Roe at Acme ops', 'me, from the LB logs'"),
            ("how", "How will they get it?", "'export the EU load-balancer log for 14:00-15:00'"),
        ):

            def set_need(
                a: Analysis, v: Value, env: Env, r: str = row.id, s: Side = side, p: str = part
            ) -> str:
                x = a.row(r)
                c = x.cell(s) if x else None
                if isinstance(c, NeedData):
                    setattr(c, p, _s(v))
                return f"{r} {s}: need more data, {p}: {_s(v)}"

            yield Item(
                Question(
                    f"{qid}.{part}",
                    sec,
                    "text",
                    text,
                    hint=f"e.g. {example}",
                    field=f"{where}.{part}",
                    context=(f"{row.label} - {label}: need more data",),
                ),
                partial(_cell_given, row=row.id, side=side, name=part),
                set_need,
            )


def _cell_field(a: Analysis, row_id: str, side: Side, name: str) -> str | None:
    row = a.row(row_id)
    cell = row.cell(side) if row else None
    value = getattr(cell, name, None)
    return value if isinstance(value, str) else None


# Answered-tests, bound to one row, cause or item with functools.partial (the items are
# built in loops, and a lambda would see only the loop's last value).


def _has_cell(a: Analysis, *, row: str, side: Side) -> bool:
    x = a.row(row)
    return x is not None and x.cell(side) is not None


def _cell_given(a: Analysis, *, row: str, side: Side, name: str) -> bool:
    return _cell_field(a, row, side, name) not in (None, PENDING)


def _has_distinction(a: Analysis, *, row: str) -> bool:
    return any(row in d.rows for d in a.distinctions)


def _has_change(a: Analysis, *, distinction: str) -> bool:
    return any(c.distinction == distinction for c in a.changes)


def _change_dated(a: Analysis, *, change: str) -> bool:
    return any(c.id == change and c.when != PENDING for c in a.changes)


def _has_cause_from(a: Analysis, *, ref: str) -> bool:
    return any(c.origin_ref == ref for c in a.causes)


def _tested(a: Analysis, *, cause: Cause, row: str, note: bool) -> bool:
    # Bound to the Cause object, not its id: a lookup by id per test made a 200 x 30
    # grid quadratic. Safe, because the items are rebuilt after every answer.
    test = cause.tests.get(row)
    return test is not None and (not note or test.note != PENDING)


def _planned(a: Analysis, *, cause: str, checks: str) -> bool:
    return any(v.cause == cause and v.checks == checks for v in a.verifications)


def _verified(a: Analysis, *, vid: str, part: Literal["result", "status"]) -> bool:
    v = next((v for v in a.verifications if v.id == vid), None)
    if v is None:
        return False
    return bool(v.result) if part == "result" else v.status != "planned"


def _has_action(a: Analysis, *, kind: str) -> bool:
    return any(x.kind == kind for x in a.actions)


def _owned(a: Analysis, *, aid: str) -> bool:
    return any(x.id == aid and x.owner for x in a.actions)


def _fact_followups(
    a: Analysis, row: Row, side: Side, cell: Fact, m: Depth, qid: str, where: str
) -> Iterator[Item]:
    sec = "specification"
    label = "IS" if side == "is" else "IS NOT"

    def set_source(a: Analysis, v: Value, env: Env, r: str = row.id, s: Side = side) -> str:
        x = a.row(r)
        c = x.cell(s) if x else None
        if isinstance(c, Fact):
            c.source = _s(v)
        return f"{r} {s}: source {_s(v)}"

    yield Item(
        Question(
            f"{qid}.source",
            sec,
            "text",
            "Source of this fact?",
            hint="who said it, or where you saw it",
            field=f"{where}.source",
            context=(f"{row.label} - {label}: {cell.text}",),
            default=cell.source if cell.source != PENDING else None,
            suggested=_last_source(a) or "customer",
        ),
        partial(_cell_given, row=row.id, side=side, name="source"),
        set_source,
    )
    if m == "full":

        def set_status(a: Analysis, v: Value, env: Env, r: str = row.id, s: Side = side) -> str:
            x = a.row(r)
            c = x.cell(s) if x else None
            if isinstance(c, Fact):
                c.status = "verified" if v is True else "reported"
            return f"{r} {s}: {'verified' if v is True else 'reported'}"

        yield Item(
            Question(
                f"{qid}.verified",
                sec,
                "confirm",
                "Did you see it yourself (verified), not only hear it (reported)?",
                field=f"{where}.status",
                context=(f"{row.label} - {label}: {cell.text} (source: {cell.source})",),
                default=cell.status == "verified",
            ),
            lambda a: False,
            set_status,
            tracked=True,
            given=lambda a: True,
        )


def _distinctions(a: Analysis) -> Iterator[Item]:
    for row in a.specification:
        if not (isinstance(row.is_, Fact) and isinstance(row.is_not, Fact)):
            continue

        def add(a: Analysis, v: Value, env: Env, r: str = row.id) -> str:
            if not _s(v):
                return ""
            d = Distinction(id=next_id("d", [d.id for d in a.distinctions]), text=_s(v), rows=[r])
            a.distinctions.append(d)
            return f"added a distinction: {d.text}"

        yield Item(
            Question(
                f"dist.{row.id}",
                "distinctions",
                "text",
                "What is true of the IS, and not of the IS NOT? (Enter if nothing)",
                hint="e.g. 'only EU hosts run build 42'; 'only sessions over the new CDN'",
                field="distinctions",
                context=(
                    row.label,
                    f"IS: {row.is_.text}",
                    f"IS NOT: {row.is_not.text}",
                ),
                required=False,
                checks=ALL_CHECKS,
            ),
            partial(_has_distinction, row=row.id),
            add,
            tracked=True,
            given=lambda a: bool(a.distinctions),
            refine=_retext(lambda a: a.distinctions),
        )


def _changes(a: Analysis) -> Iterator[Item]:
    for d in a.distinctions:

        def add(a: Analysis, v: Value, env: Env, did: str = d.id) -> str:
            if not _s(v):
                return ""
            dist = next(x for x in a.distinctions if x.id == did)
            ch = Change(
                id=next_id("ch", [c.id for c in a.changes]),
                text=_s(v),
                when=PENDING,
                distinction=did,
                rows=list(dist.rows),
            )
            a.changes.append(ch)
            return f"added a change: {ch.text}"

        yield Item(
            Question(
                f"change.{d.id}",
                "changes",
                "text",
                "What changed in, on, around or about this? (Enter if nothing known)",
                hint="e.g. 'build 42 deployed to the EU pool', 'new TLS certificate on the CDN'",
                field="changes",
                context=(f"Distinction {d.id}: {d.text}",),
                required=False,
                checks=ALL_CHECKS,
            ),
            partial(_has_change, distinction=d.id),
            add,
            tracked=True,
            given=lambda a: bool(a.changes),
            refine=_retext(lambda a: a.changes),
        )
    for ch in a.changes:

        def set_when(a: Analysis, v: Value, env: Env, cid: str = ch.id) -> str:
            c = next(x for x in a.changes if x.id == cid)
            c.when = _s(v)
            return f"change {cid} happened: {_s(v)}"

        yield Item(
            Question(
                f"change.{ch.id}.when",
                "changes",
                "text",
                "When did it change?",
                hint="an ISO time if known: '2026-11-20T13:40Z'; else 'week 47'",
                field=f"changes.{ch.id}.when",
                context=(f"Change {ch.id}: {ch.text}",),
            ),
            partial(_change_dated, change=ch.id),
            set_when,
        )


def _add_cause(a: Analysis, text: str, origin: str, ref: str | None) -> Cause:
    cause = Cause(
        id=next_id("c", [c.id for c in a.causes]),
        text=text,
        origin=origin,  # type: ignore[arg-type]
        origin_ref=ref,
    )
    a.causes.append(cause)
    return cause


def _causes(a: Analysis, m: Depth, guide: Guide) -> Iterator[Item]:
    sec = "causes"
    if m == "quick":
        known = "; ".join(k.text for k in guide.causes)

        def likely(a: Analysis, v: Value, env: Env) -> str:
            if a.causes:
                a.causes[0].text = _s(v)
                return f"likely cause: {_s(v)}"
            c = _add_cause(a, _s(v), "experience", None)
            return f"added the likely cause {c.id}: {c.text}"

        yield Item(
            Question(
                "cause.likely",
                sec,
                "text",
                "What is the likely cause?",
                hint=f"known for this product: {known}"
                if known
                else "from experience with tickets like this: 'expired TLS certificate on eu-lb'",
                field="causes",
                default=a.causes[0].text if a.causes else None,
                checks=NO_CAUSAL,
            ),
            lambda a: bool(a.causes),
            likely,
        )
        return
    sources: list[tuple[str, str, str]] = [("change", c.id, c.text) for c in a.changes]
    linked = {c.distinction for c in a.changes}
    sources += [("distinction", d.id, d.text) for d in a.distinctions if d.id not in linked]
    for origin, ref, text in sources:

        def from_it(a: Analysis, v: Value, env: Env, o: str = origin, r: str = ref) -> str:
            if not _s(v):
                return ""
            c = _add_cause(a, _s(v), o, r)
            return f"added a possible cause {c.id}: {c.text}"

        yield Item(
            Question(
                f"cause.from.{ref}",
                sec,
                "text",
                "How could this have produced the deviation? (Enter to skip)",
                hint="one mechanism: 'build 42 pools DB connections per host; busy hosts wait'",
                field="causes",
                context=(f"{origin.capitalize()} {ref}: {text}",),
                required=False,
                checks=NO_CAUSAL,
            ),
            partial(_has_cause_from, ref=ref),
            from_it,
            tracked=True,
            given=lambda a: bool(a.causes),
            refine=_retext(lambda a: a.causes),
        )
    if guide.causes:

        def pick(a: Analysis, v: Value, env: Env) -> str:
            chosen = v if isinstance(v, tuple) else ()
            added = []
            for known in guide.causes:
                ref = f"{guide.id}/{known.id}"
                if known.id in chosen and not any(c.origin_ref == ref for c in a.causes):
                    added.append(_add_cause(a, known.text, "playbook", ref).id)
            return f"added playbook causes: {', '.join(added) or 'none'}"

        yield Item(
            Question(
                "cause.playbook",
                sec,
                "checkbox",
                "Which known causes from the playbook could fit? (space to tick)",
                field="causes",
                choices=tuple(Choice(k.id, k.text) for k in guide.causes),
                required=False,
            ),
            lambda a: False,
            pick,
            tracked=True,
            given=lambda a: bool(a.causes),
        )

    def more(a: Analysis, v: Value, env: Env) -> str:
        if not _s(v):
            return ""
        c = _add_cause(a, _s(v), "experience", None)
        return f"added a possible cause {c.id}: {c.text}"

    yield Item(
        Question(
            "cause.more",
            sec,
            "text",
            "Another possible cause, from knowledge or experience? (Enter when done)"
            if a.causes
            else "A possible cause, from knowledge or experience?",
            hint="each one a mechanism that could produce exactly this deviation",
            field="causes",
            required=not a.causes,
            checks=NO_CAUSAL,
        ),
        lambda a: False,
        more,
        tracked=True,
        given=lambda a: bool(a.causes),
        loop=True,
        refine=_retext(lambda a: a.causes),
    )


def _tests(a: Analysis, *, unanswered_only: bool = False) -> Iterator[Item]:
    rows = answered_rows(a)
    facts = [
        (
            f"{row.label} - IS: {_cell_text(row.is_)}",
            f"{row.label} - IS NOT: {_cell_text(row.is_not)}",
        )
        for row in rows
    ]
    for cause in a.causes:
        for n, row in enumerate(rows):
            test = cause.tests.get(row.id)
            if unanswered_only and test is not None and test.note != PENDING:
                # Looking for the next question on a large grid: skip what is done
                # without building it (200 causes x 30 rows is 12,000 questions).
                continue
            context = (f"Cause {cause.id}: {cause.text}", *facts[n])

            def verdict(a: Analysis, v: Value, env: Env, c: str = cause.id, r: str = row.id) -> str:
                cz = a.cause(c)
                assert cz is not None
                old = cz.tests.get(r)
                note = old.note if old is not None and old.verdict == _s(v) else PENDING
                cz.tests[r] = CauseTest(verdict=_s(v), note=note)  # type: ignore[arg-type]
                return f"tested {c} against {r}: {_s(v).replace('_', ' ')}"

            yield Item(
                Question(
                    f"test.{cause.id}.{row.id}",
                    "tests",
                    "choice",
                    "If this is the true cause, how does it explain this IS and IS NOT?",
                    field=f"causes.{cause.id}.tests.{row.id}",
                    context=context,
                    default=test.verdict if test else None,
                    choices=VERDICTS,
                ),
                partial(_tested, cause=cause, row=row.id, note=False),
                verdict,
            )
            if test is None:
                continue

            def note(a: Analysis, v: Value, env: Env, c: str = cause.id, r: str = row.id) -> str:
                cz = a.cause(c)
                assert cz is not None
                cz.tests[r].note = _s(v)
                return f"{c} vs {r}: {_s(v)}"

            yield Item(
                Question(
                    f"test.{cause.id}.{row.id}.note",
                    "tests",
                    "text",
                    VERDICT_NOTE[test.verdict],
                    field=f"causes.{cause.id}.tests.{row.id}.note",
                    context=context,
                    default=test.note if test.note != PENDING else None,
                    checks=NO_CAUSAL,
                ),
                partial(_tested, cause=cause, row=row.id, note=True),
                note,
                after="ranking" if n == len(rows) - 1 else None,
            )


def verification_target(a: Analysis, m: Depth) -> Cause | None:
    """The cause to verify: the most probable one; in quick mode, the likely cause."""
    if m == "quick":
        return a.causes[0] if a.causes else None
    best = most_probable(a)
    if best is not None:
        return best.cause
    ranked = [r for r in rank_causes(a) if r.group < 2]
    return ranked[0].cause if ranked else None


def _verification(a: Analysis, m: Depth, guide: Guide = NO_GUIDE) -> Iterator[Item]:
    sec = "verification"
    target = verification_target(a, m)
    if target is None:
        return
    known = next((k for k in guide.causes if target.origin_ref == f"{guide.id}/{k.id}"), None)
    checks = [note for _, note in assess(a, target).assumptions] if m == "full" else []
    wanted = checks or [f"{target.id} is the true cause"]
    for n, what in enumerate(wanted):

        def plan(a: Analysis, v: Value, env: Env, c: str = target.id, w: str = what) -> str:
            existing = next((x for x in a.verifications if x.cause == c and x.checks == w), None)
            if existing is not None:
                existing.method = _s(v)
                return f"verification {existing.id}: {_s(v)}"
            new = Verification(
                id=next_id("v", [x.id for x in a.verifications]), cause=c, checks=w, method=_s(v)
            )
            a.verifications.append(new)
            return f"planned verification {new.id} of {c}: {_s(v)}"

        existing = next(
            (x for x in a.verifications if x.cause == target.id and x.checks == what), None
        )
        yield Item(
            Question(
                f"verify.{target.id}.{n + 1}",
                sec,
                "text",
                "How will you confirm this, safely, before acting on it?"
                if not checks
                else "How will you check this assumption?",
                hint=f"the playbook says: {known.confirm}"
                if known and known.confirm
                else "observation, data or a safe experiment: 'roll one EU host back to build 41 "
                "and compare p95'",
                field="verifications",
                context=(f"Cause {target.id}: {target.text}", f"Check: {what}"),
                default=existing.method if existing else None,
                checks=NO_CAUSAL,
            ),
            partial(_planned, cause=target.id, checks=what),
            plan,
        )
    if m == "quick":
        return
    for ver in [x for x in a.verifications if x.cause == target.id]:

        def result(a: Analysis, v: Value, env: Env, vid: str = ver.id) -> str:
            x = next(x for x in a.verifications if x.id == vid)
            if not _s(v):
                return ""
            x.result = _s(v)
            return f"verification {vid} result: {_s(v)}"

        yield Item(
            Question(
                f"verify.{ver.id}.result",
                sec,
                "text",
                "What did it show? (Enter if it is still to do)",
                field=f"verifications.{ver.id}.result",
                context=(f"Verification {ver.id}: {ver.checks}", f"Method: {ver.method}"),
                default=ver.result,
                required=False,
                checks=NO_CAUSAL,
            ),
            partial(_verified, vid=ver.id, part="result"),
            result,
            given=lambda a: True,
            deferrable=True,
        )
        if ver.result:

            def status(a: Analysis, v: Value, env: Env, vid: str = ver.id) -> str:
                x = next(x for x in a.verifications if x.id == vid)
                x.status = "confirmed" if _s(v) == "confirmed" else "refuted"
                x.by, x.at = env.who, env.now
                return f"verification {vid}: {x.status}"

            yield Item(
                Question(
                    f"verify.{ver.id}.status",
                    sec,
                    "choice",
                    "Did it confirm the cause?",
                    field=f"verifications.{ver.id}.status",
                    context=(f"Result: {ver.result}",),
                    choices=(
                        Choice("confirmed", "confirmed"),
                        Choice("refuted", "refuted: the cause is not proven"),
                    ),
                ),
                partial(_verified, vid=ver.id, part="status"),
                status,
            )
    if a.true_cause is None and confirmed_verifications(a, target.id):

        def name_it(a: Analysis, v: Value, env: Env, c: str = target.id) -> str:
            if v is not True:
                return ""
            a.true_cause = TrueCause(
                cause=c,
                verifications=confirmed_verifications(a, c),
                confirmed_by=env.who,
                confirmed_at=env.now,
            )
            return f"confirmed {c} as the true cause"

        yield Item(
            Question(
                "verify.true_cause",
                sec,
                "confirm",
                f"Record {target.id} as the true cause?",
                context=(f"Cause {target.id}: {target.text}",),
                field="true_cause",
                default=True,
            ),
            lambda a: a.true_cause is not None,
            name_it,
            tracked=True,
        )


def _actions(a: Analysis, m: Depth) -> Iterator[Item]:
    kinds: list[tuple[str, str, str]] = [
        (
            "interim",
            "What restores service now, while the cause is worked on?",
            "'route EU checkout through the US pool'",
        )
    ]
    if m == "full":
        kinds.append(
            ("corrective", "What removes the true cause?", "'fix the pool size in build 43'")
        )
        kinds.append(
            (
                "preventive",
                "What stops it coming back, here and elsewhere?",
                "'load test every build with the EU traffic shape'",
            )
        )
    for kind, text, example in kinds:

        def add(a: Analysis, v: Value, env: Env, k: str = kind) -> str:
            if not _s(v):
                return ""
            act = Action(id=next_id("a", [x.id for x in a.actions]), kind=k, text=_s(v))  # type: ignore[arg-type]
            a.actions.append(act)
            return (
                f"added an {k} action: {act.text}"
                if k == "interim"
                else f"added a {k} action: {act.text}"
            )

        yield Item(
            Question(
                f"action.{kind}",
                "actions",
                "text",
                f"{text} (Enter if none yet)",
                hint=f"e.g. {example}",
                field="actions",
                required=False,
                checks=NO_CAUSAL,
            ),
            partial(_has_action, kind=kind),
            add,
            tracked=True,
            given=lambda a: bool(a.actions),
            refine=_retext(lambda a: a.actions),
        )
    if m == "full":
        for act in a.actions:

            def owner(a: Analysis, v: Value, env: Env, aid: str = act.id) -> str:
                x = next(x for x in a.actions if x.id == aid)
                x.owner = _s(v) or None
                return f"action {aid} owner: {_s(v) or 'none'}"

            yield Item(
                Question(
                    f"action.{act.id}.owner",
                    "actions",
                    "text",
                    "Who owns it?",
                    context=(f"{act.kind.capitalize()} action {act.id}: {act.text}",),
                    field=f"actions.{act.id}.owner",
                    default=act.owner,
                    required=False,
                ),
                partial(_owned, aid=act.id),
                owner,
                tracked=True,
                given=lambda a: True,
            )


def _handoff(a: Analysis) -> Iterator[Item]:
    def choose(a: Analysis, v: Value, env: Env) -> str:
        env.export = None if _s(v) == "none" else _s(v)
        return ""

    yield Item(
        Question(
            "handoff.export",
            "handoff",
            "choice",
            "Export the handoff now?",
            field="",
            hint=f"later, any time: ktcli export {a.id} --format markdown",
            default="markdown",
            choices=EXPORTS,
        ),
        lambda a: False,
        choose,
        tracked=True,
        given=lambda a: False,
    )


def iter_items(
    a: Analysis, guide: Guide = NO_GUIDE, *, unanswered_only: bool = False
) -> Iterator[Item]:
    """Every question of the session for the analysis as it stands, in order, built lazily.

    ``unanswered_only`` may leave out answered questions (where skipping them is cheap).
    """
    m = mode(a)
    yield from _appraisal(a, m)
    if a.appraisal.depth is None:
        return
    yield from _statement(a)
    yield from _specification(a, m, guide)
    if m == "full":
        yield from _distinctions(a)
        yield from _changes(a)
    yield from _causes(a, m, guide)
    if m == "full":
        yield from _tests(a, unanswered_only=unanswered_only)
    yield from _verification(a, m, guide)
    yield from _actions(a, m)
    yield from _handoff(a)


def items(a: Analysis, guide: Guide = NO_GUIDE) -> list[Item]:
    """Every question of the session for the analysis as it stands, in order."""
    return list(iter_items(a, guide))


def sections(a: Analysis) -> tuple[Section, ...]:
    """The sections of the session in the current mode."""
    m = mode(a)
    return tuple(s for s in SECTIONS if m in s.modes)


def first_unanswered(a: Analysis, guide: Guide = NO_GUIDE) -> Item | None:
    """Where ``resume`` continues: the first question whose answer the analysis lacks."""
    return next((i for i in iter_items(a, guide, unanswered_only=True) if not answered(a, i)), None)


def missing(a: Analysis, guide: Guide = NO_GUIDE) -> list[Question]:
    """What a session would still ask (known so far), without the export offer."""
    return [i.question for i in items(a, guide) if not answered(a, i) and i.id != "handoff.export"]


def accept_given(a: Analysis, guide: Guide = NO_GUIDE) -> None:
    """Count as answered the questions whose content an answers file already gave."""
    for item in items(a, guide):
        if item.tracked and item.id not in a.progress and (item.given or item.done)(a):
            a.progress.append(item.id)


def ensure_rows(a: Analysis, guide: Guide) -> None:
    """Add the playbook's extra rows, after the last row of their dimension."""
    for extra in guide.extra_rows:
        if a.row(extra.id) is not None:
            continue
        row = Row(
            id=extra.id,
            dimension=extra.dimension,
            label=extra.label,
            question=extra.question,
            origin=guide.id or "playbook",
        )
        last = max(
            (n for n, r in enumerate(a.specification) if r.dimension == extra.dimension),
            default=len(a.specification) - 1,
        )
        a.specification.insert(last + 1, row)


# -- the session ---------------------------------------------------------------------------------


@dataclass
class Outcome:
    """How a session ended: finished (maybe with an export wish) or left to resume."""

    complete: bool
    export: str | None = None
    asked: int = 0


@dataclass
class _State:
    asked: list[str] = field(default_factory=list)
    revisit: str | None = None
    walk: str | None = None
    walked: set[str] = field(default_factory=set)
    deferred: set[str] = field(default_factory=set)
    section: str | None = None
    count: int = 0


def _pick(a: Analysis, guide: Guide, st: _State) -> Item | None:
    # Lazily: on a large grid, building every question before each prompt costs time.
    if st.revisit is not None:
        found = next((i for i in iter_items(a, guide) if i.id == st.revisit), None)
        st.revisit = None
        if found is not None:
            return found
    if st.walk is not None:
        found = next(
            (
                i
                for i in iter_items(a, guide)
                if i.question.section == st.walk and i.id not in st.walked
            ),
            None,
        )
        if found is not None:
            return found
        st.walk = None
    return next(
        (
            i
            for i in iter_items(a, guide, unanswered_only=True)
            if not answered(a, i) and i.id not in st.deferred
        ),
        None,
    )


def _ask(prompter: Prompter, item: Item, is_answered: bool) -> Reply:
    q = item.question
    if is_answered and q.required:
        # Re-asking: Enter keeps what is there.
        q = replace(q, required=False)
    return prompter.ask(q)


def run(
    a: Analysis,
    prompter: Prompter,
    save: Callable[[Analysis], object],
    *,
    who: str,
    clock: Callable[[], datetime],
    guide: Guide = NO_GUIDE,
) -> Outcome:
    """Ask until every question is answered or the analyst quits; save after every answer."""
    ensure_rows(a, guide)
    st = _State()
    env = Env(who=who, now=clock(), guide=guide)
    session = _Session(a, prompter, save, env, clock)
    while True:
        item = _pick(a, guide, st)
        if item is None and st.deferred:
            # Answers left for later: the session stops here, and resume asks them.
            save(a)
            return Outcome(False, env.export, st.count)
        if item is None:
            a.progress = [COMPLETE]
            save(a)
            return Outcome(True, env.export, st.count)
        if item.question.section != st.section:
            if st.section == "specification":
                prompter.show("matrix", a)
            st.section = item.question.section
            sec = next(s for s in SECTIONS if s.id == st.section)
            prompter.note(f"{sec.title} - {sec.intro}", "section")
        was = answered(a, item)
        reply = _ask(prompter, item, was)
        if isinstance(reply, GoTo):
            if reply.section in SECTION_IDS:
                st.walk, st.walked = reply.section, set()
            continue
        if reply is Command.QUIT:
            save(a)
            return Outcome(False, None, st.count)
        if reply is Command.MATRIX:
            prompter.show("matrix", a)
            continue
        if reply is Command.BACK:
            st.revisit = _previous(items(a, guide), item, st)
            if st.revisit is None:
                prompter.note("This is the first question.", "info")
                st.revisit = item.id
            continue
        if isinstance(reply, Command) and item.question.kind != "cell":
            prompter.note("Need more data and not applicable are for IS / IS NOT facts.", "info")
            st.revisit = item.id
            continue
        if isinstance(reply, str) and not reply.strip() and item.question.suggested:
            reply = item.question.suggested
        blank = isinstance(reply, str) and not reply.strip()
        if blank and item.deferrable and not was:
            st.count += 1
            st.deferred.add(item.id)
            _walked(st, item)
            continue
        if blank and item.question.kind in ("text", "cell"):
            if item.question.required and not was:
                prompter.note("An answer is needed here.", "warning")
                st.revisit = item.id
                continue
            if was:
                # Enter on a question asked again keeps the answer.
                _walked(st, item)
                continue
        st.count += 1
        _walked(st, item)
        session.apply(item, item.apply, reply)
        if isinstance(reply, str) and reply.strip() and item.question.checks:
            session.probe(item, reply.strip())
        if item.after is not None:
            prompter.show(item.after, a)


def _walked(st: _State, item: Item) -> None:
    st.asked.append(item.id)
    if st.walk is not None:
        st.walked.add(item.id)


@dataclass
class _Session:
    """Applying answers: change, record in the history, save; and the probing questions."""

    a: Analysis
    prompter: Prompter
    save: Callable[[Analysis], object]
    env: Env
    clock: Callable[[], datetime]

    def apply(self, item: Item, how: Callable[[Analysis, Value, Env], str], value: Value) -> None:
        a = self.a
        self.env.now = self.clock()
        what = how(a, value, self.env)
        if item.tracked and item.id not in a.progress and not (item.loop and _s(value)):
            a.progress.append(item.id)
        if what:
            record(a, self.env.who, what, self.env.now)
        self.save(a)

    def probe(self, item: Item, text: str) -> None:
        """For each pitfall, the probing question; the analyst refines the answer or keeps it."""
        for _ in range(3):
            hits = find_pitfalls(text, self.env.guide.terms, kinds=item.question.checks)
            if not hits:
                return
            for hit in hits:
                self.prompter.note(f"'{hit.term}': {hit.question}", "probe")
            reply = self.prompter.ask(
                Question(
                    f"{item.id}.refine",
                    item.question.section,
                    "text",
                    "Refine the answer, or press Enter to keep it:",
                    field=item.question.field,
                    default=text,
                    required=False,
                )
            )
            refined = _s(reply) if isinstance(reply, str) else ""
            if not refined or refined == text:
                for hit in hits:
                    self.a.pitfalls.append(
                        PitfallNote(
                            field=item.question.field or item.id,
                            kind=hit.kind,
                            term=hit.term,
                            question=hit.question,
                            text=text,
                        )
                    )
                record(
                    self.a,
                    self.env.who,
                    f"kept a warning ({hits[0].kind}) on {item.id}",
                    self.clock(),
                )
                self.save(self.a)
                return
            text = refined
            self.apply(item, item.refine or item.apply, refined)


def _previous(all_items: list[Item], current: Item, st: _State) -> str | None:
    ids = [i.id for i in all_items]
    while st.asked:
        prev = st.asked.pop()
        if prev in ids and prev != current.id:
            return prev
    if current.id in ids:
        at = ids.index(current.id)
        if at > 0:
            return ids[at - 1]
    return None


# -- answers files ---------------------------------------------------------------------------------

_LISTS = {
    "distinctions": "d",
    "changes": "ch",
    "causes": "c",
    "verifications": "v",
    "actions": "a",
    "data_requests": "r",
    "open_questions": "q",
}


def complete_partial(
    data: dict[str, Any], *, analysis_id: str, title: str | None, who: str, now: datetime
) -> dict[str, Any]:
    """Fill what a hand-written answers file may leave out, so the model can validate the rest.

    Filled: id, title (from the command line), timestamps, analysts, missing list
    item ids, the ``kind`` of IS / IS NOT cells, and the standard rows not given.
    Everything that *is* given must be complete and valid.
    """
    out = dict(data)
    out.setdefault("id", analysis_id)
    if title:
        out["title"] = title
    stamp = now.isoformat().replace("+00:00", "Z")
    out.setdefault("created_at", stamp)
    out.setdefault("updated_at", stamp)
    out.setdefault("analysts", [who])
    appraisal = out.get("appraisal")
    if isinstance(appraisal, dict) and isinstance(appraisal.get("concerns"), list):
        _fill_ids(appraisal["concerns"], "k")
    for key, prefix in _LISTS.items():
        if isinstance(out.get(key), list):
            _fill_ids(out[key], prefix)
    spec = out.get("specification")
    if isinstance(spec, list):
        given = {r.get("id"): r for r in spec if isinstance(r, dict)}
        rows: list[Any] = []
        for rid, dim, label in STANDARD_ROWS:
            row = given.pop(rid, None)
            if row is None:
                rows.append({"id": rid, "dimension": dim, "label": label})
                continue
            row = dict(row)
            row.setdefault("dimension", dim)
            row.setdefault("label", label)
            rows.append(row)
        rows += [r for r in spec if not (isinstance(r, dict) and r.get("id") in STANDARD_ROW_IDS)]
        for row in rows:
            if isinstance(row, dict):
                for side in ("is", "is_not"):
                    if isinstance(row.get(side), dict) and "kind" not in row[side]:
                        cell = row[side] = dict(row[side])
                        cell["kind"] = (
                            "not_applicable"
                            if "reason" in cell
                            else "need_data"
                            if "who" in cell or "how" in cell
                            else "fact"
                        )
        out["specification"] = rows
    return out


def _fill_ids(items_: list[Any], prefix: str) -> None:
    taken = [x["id"] for x in items_ if isinstance(x, dict) and isinstance(x.get("id"), str)]
    for n, x in enumerate(items_):
        if isinstance(x, dict) and "id" not in x:
            new = next_id(prefix, taken)
            taken.append(new)
            items_[n] = {"id": new, **x}
