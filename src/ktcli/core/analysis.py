"""Pure rules over an analysis: integrity, cause ranking, quality gates, and edits.

Nothing here reads a file, prompts or prints. Times and names come in as
arguments, so every rule can be tested alone. The quality gates are documented
in docs/quality-gates.md; keep the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from ktcli.core import deciding
from ktcli.core.language import StatementPart
from ktcli.core.model import Analysis, Cause, CauseTest, Cell, Fact, HistoryEntry, Side, Verdict
from ktcli.core.vocabulary import QUICK_ROWS
from ktcli.errors import ConflictError, NotFoundError, UsageError

if TYPE_CHECKING:
    from ktcli.core.model import Row

Loc = tuple[str | int, ...]


# -- identity and history ----------------------------------------------------------------


def new_analysis(
    analysis_id: str,
    title: str,
    *,
    who: str,
    now: datetime,
    ticket: str | None = None,
    business_impact: str | None = None,
) -> Analysis:
    """A fresh analysis with the eleven blank standard rows."""
    analysis = Analysis(
        id=analysis_id,
        title=title,
        ticket=ticket,
        business_impact=business_impact,
        analysts=[who],
        created_at=now,
        updated_at=now,
    )
    analysis.history.append(HistoryEntry(at=now, who=who, what="created the analysis"))
    return analysis


def record(analysis: Analysis, who: str, what: str, now: datetime) -> None:
    """Append to the history, stamp the time, and list the analyst."""
    analysis.history.append(HistoryEntry(at=now, who=who, what=what))
    analysis.updated_at = now
    if who not in analysis.analysts:
        analysis.analysts.append(who)


# -- integrity: references that must resolve for a document to load ------------------------


def duplicates(kind: str, ids: list[str], base: Loc) -> list[tuple[Loc, str]]:
    seen: set[str] = set()
    out: list[tuple[Loc, str]] = []
    for i, ident in enumerate(ids):
        if ident in seen:
            out.append(((*base, i, "id"), f"duplicate {kind} id {ident!r}"))
        seen.add(ident)
    return out


def _duplicate_ids(a: Analysis) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    for kind, key, items in (
        ("concern", "appraisal.concerns", [c.id for c in a.appraisal.concerns]),
        ("row", "specification", [r.id for r in a.specification]),
        ("distinction", "distinctions", [d.id for d in a.distinctions]),
        ("change", "changes", [c.id for c in a.changes]),
        ("cause", "causes", [c.id for c in a.causes]),
        ("verification", "verifications", [v.id for v in a.verifications]),
        ("action", "actions", [x.id for x in a.actions]),
        ("data request", "data_requests", [d.id for d in a.data_requests]),
        ("question", "open_questions", [q.id for q in a.open_questions]),
    ):
        base: Loc = tuple(key.split("."))
        problems += duplicates(kind, items, base)
    return problems


#: What a reference of each kind reports when the id it names does not exist.
_BROKEN = {
    "row": "unknown row",
    "test": "test against unknown row",
    "distinction": "unknown distinction",
    "cause": "unknown cause",
    "verification": "unknown verification",
}


def _references(a: Analysis) -> list[tuple[Loc, str | None, str]]:
    """Every reference to another item, in document order: where, the id named, its kind."""
    refs: list[tuple[Loc, str | None, str]] = [
        (("distinctions", i, "rows", j), r, "row")
        for i, d in enumerate(a.distinctions)
        for j, r in enumerate(d.rows)
    ]
    for i, c in enumerate(a.changes):
        refs.append((("changes", i, "distinction"), c.distinction, "distinction"))
        refs += [(("changes", i, "rows", j), r, "row") for j, r in enumerate(c.rows)]
    refs += [
        (("causes", i, "tests", r), r, "test") for i, c in enumerate(a.causes) for r in c.tests
    ]
    refs += [
        (("verifications", i, "cause"), v.cause, "cause") for i, v in enumerate(a.verifications)
    ]
    refs += [(("data_requests", i, "row"), d.row, "row") for i, d in enumerate(a.data_requests)]
    if a.true_cause is not None:
        refs.append((("true_cause", "cause"), a.true_cause.cause, "cause"))
        refs += [
            (("true_cause", "verifications", j), v, "verification")
            for j, v in enumerate(a.true_cause.verifications)
        ]
    return refs


def integrity_problems(a: Analysis) -> list[tuple[Loc, str]]:
    """Broken references and duplicate ids, each with the location of the offending value."""
    rows = {r.id for r in a.specification}
    known = {
        "row": rows,
        "test": rows,
        "distinction": {d.id for d in a.distinctions},
        "cause": {c.id for c in a.causes},
        "verification": {v.id for v in a.verifications},
    }
    return (
        _duplicate_ids(a)
        + [
            (loc, f"{_BROKEN[kind]} {ref!r}")
            for loc, ref, kind in _references(a)
            if ref is not None and ref not in known[kind]
        ]
        + deciding.integrity(a)
    )


# -- cause testing and ranking -------------------------------------------------------------


def answered_rows(a: Analysis) -> list[Row]:
    """Rows holding at least one fact: every cause must be tested against each."""
    return [r for r in a.specification if r.answered]


def specified_rows(a: Analysis) -> list[Row]:
    """The rows this analysis's depth asks: all of them, or a quick pass's few.

    A quick pass skips the other rows on purpose; they are not blanks, but an
    answer given there anyway still counts (it is tested against like any fact).
    """
    if a.appraisal.depth == "quick":
        return [r for r in a.specification if r.id in QUICK_ROWS or r.is_ or r.is_not]
    return list(a.specification)


@dataclass(frozen=True)
class RankedCause:
    """A cause with what its tests say about it."""

    cause: Cause
    explains: tuple[str, ...]
    assumptions: tuple[tuple[str, str], ...]
    contradictions: tuple[tuple[str, str], ...]
    untested: tuple[str, ...]
    refuted: tuple[str, ...] = ()

    @property
    def group(self) -> int:
        """0 explains every answered row, 1 not fully tested, 2 contradicted or refuted."""
        if self.contradictions or self.refuted:
            return 2
        if self.untested:
            return 1
        return 0

    @property
    def standing(self) -> str:
        """A short word for the table: explains all, untested, ruled out."""
        if self.refuted and not self.contradictions:
            return "refuted by verification"
        return ("explains all facts", "not fully tested", "does not explain")[self.group]


def assess(a: Analysis, cause: Cause) -> RankedCause:
    """Sort one cause's tests against the answered rows."""
    explains: list[str] = []
    assumptions: list[tuple[str, str]] = []
    contradictions: list[tuple[str, str]] = []
    untested: list[str] = []
    for row in answered_rows(a):
        test = cause.tests.get(row.id)
        if test is None:
            if row.id not in cause.skipped:
                untested.append(row.id)
        elif test.verdict == "explains":
            explains.append(row.id)
        elif test.verdict == "explains_only_if":
            assumptions.append((row.id, test.note))
        else:
            contradictions.append((row.id, test.note))
    # A refuted verification step disproves the cause (or an assumption it needs).
    refuted = tuple(v.id for v in a.verifications if v.cause == cause.id and v.status == "refuted")
    return RankedCause(
        cause, tuple(explains), tuple(assumptions), tuple(contradictions), tuple(untested), refuted
    )


def _rank_key(r: RankedCause) -> tuple[int, ...]:
    if r.group == 2:
        # Near misses in the order backline should look at them: fewest facts against first;
        # a cause a verification refuted was tested directly and failed, so it comes last.
        return (2, bool(r.refuted), len(r.contradictions), len(r.assumptions), -len(r.explains))
    return (r.group, len(r.assumptions), -len(r.explains))


def rank_causes(a: Analysis) -> list[RankedCause]:
    """Causes, most probable first, as the method ranks them.

    Causes that explain every fact come first, fewest assumptions first; then the
    causes not yet tested against every fact; then those that a fact contradicts,
    fewest contradicting facts first, then fewest assumptions; last those that a
    verification refuted. Equal causes keep the order they were listed in; a tie at the
    top is not a result (see :func:`top_tie`).
    """
    assessed = [assess(a, c) for c in a.causes]
    order = {id(r): i for i, r in enumerate(assessed)}
    return sorted(assessed, key=lambda r: (*_rank_key(r), order[id(r)]))


def most_probable(a: Analysis) -> RankedCause | None:
    """The best cause that explains every answered row, or None while none does.

    On a tie (:func:`top_tie`) this is the first listed of the tied causes;
    callers that name a most probable cause show the tie instead.
    """
    ranked = rank_causes(a)
    if ranked and ranked[0].group == 0 and answered_rows(a):
        return ranked[0]
    return None


@dataclass(frozen=True)
class Tie:
    """Causes that explain every fact equally well, and the rows that do not tell them apart."""

    causes: tuple[RankedCause, ...]
    unseparated: tuple[str, ...]


def top_tie(a: Analysis) -> Tie | None:
    """Two or more causes level at the top, with nothing yet to separate them; else None.

    Level means: each explains every fact with as few assumptions as the best. A
    confirmed verification of one of them (and of none of the others) separates
    them, as does the true cause once confirmed. ``unseparated`` lists the answered
    rows where all of them have the same verdict: a separating fact is one the
    causes explain differently.
    """
    best = most_probable(a)
    if best is None or a.true_cause is not None:
        return None
    level = [
        r for r in rank_causes(a) if r.group == 0 and len(r.assumptions) == len(best.assumptions)
    ]
    if len(level) < 2:
        return None
    proven = [r for r in level if confirmed_verifications(a, r.cause.id)]
    if len(proven) == 1:
        return None
    unseparated = tuple(
        row.id for row in answered_rows(a) if len({_verdict(r.cause, row.id) for r in level}) == 1
    )
    return Tie(tuple(level), unseparated)


def _verdict(cause: Cause, row_id: str) -> str | None:
    test = cause.tests.get(row_id)
    return test.verdict if test is not None else None


def confirmed_verifications(a: Analysis, cause_id: str) -> list[str]:
    """Ids of the confirmed verification steps of a cause."""
    return [v.id for v in a.verifications if v.cause == cause_id and v.status == "confirmed"]


def remaining_to_verify(a: Analysis) -> list[str]:
    """What must still be confirmed before the most probable cause can be called the true one."""
    best = most_probable(a)
    if best is None or a.true_cause is not None:
        return []
    todo = [f"assumption ({row}): {note}" for row, note in best.assumptions]
    if not confirmed_verifications(a, best.cause.id):
        todo.append(f"no confirmed verification of {best.cause.id} yet")
    return todo


# -- edits used by the non-interactive commands and the guided session ------------------------


def require_row(a: Analysis, row_id: str) -> Row:
    """The row, or a NotFoundError that lists the valid ones."""
    row = a.row(row_id)
    if row is None:
        valid = ", ".join(r.id for r in a.specification)
        raise NotFoundError(f"no row {row_id!r}", hint=f"Rows are: {valid}.")
    return row


def require_cause(a: Analysis, cause_id: str) -> Cause:
    """The cause, or a NotFoundError that lists the valid ones."""
    cause = a.cause(cause_id)
    if cause is None:
        valid = ", ".join(c.id for c in a.causes) or "none yet"
        raise NotFoundError(f"no cause {cause_id!r}", hint=f"Causes are: {valid}.")
    return cause


def set_cell(a: Analysis, row_id: str, side: Side, cell: Cell | None) -> None:
    """Answer (or clear, with None) one side of a specification row."""
    row = require_row(a, row_id)
    if side == "is":
        row.is_ = cell
    else:
        row.is_not = cell


def set_test(a: Analysis, cause_id: str, row_id: str, verdict: Verdict, note: str) -> None:
    """Record how a cause fares against one row."""
    cause = require_cause(a, cause_id)
    row = require_row(a, row_id)
    if not row.answered:
        answered = ", ".join(r.id for r in answered_rows(a)) or "none yet"
        raise UsageError(
            f"row {row_id!r} holds no fact to test {cause_id} against",
            hint=f"Record its IS or IS NOT fact first. Rows with facts: {answered}.",
        )
    cause.tests[row_id] = CauseTest(verdict=verdict, note=note)


def ensure_open(a: Analysis) -> None:
    """Refuse to edit a closed analysis."""
    if a.status == "closed":
        # The command line is right; the analysis is what refuses: exit 1, not 2.
        raise ConflictError(
            f"analysis {a.id!r} is closed",
            hint="Closed analyses are a record; import or create a new one to reopen the work.",
        )


def confirm_problems(a: Analysis, cause_id: str) -> list[str]:
    """Why ``cause_id`` cannot be named the true cause; empty when it can.

    It needs a confirmed verification step, no refuted one, and no fact it fails
    to explain: the method closes on a cause that explains every fact, proven.
    """
    cause = require_cause(a, cause_id)
    problems = []
    if not confirmed_verifications(a, cause_id):
        problems.append(f"cause {cause_id} has no confirmed verification")
    ranked = assess(a, cause)
    if ranked.contradictions:
        rows = ", ".join(row for row, _ in ranked.contradictions)
        problems.append(f"cause {cause_id} does not explain: {rows}")
    if ranked.refuted:
        problems.append(f"verification {', '.join(ranked.refuted)} refuted cause {cause_id}")
    return problems


def set_verification_status(
    a: Analysis, step: str, status: Literal["planned", "confirmed", "refuted"]
) -> str | None:
    """Record a step's status; refuting a step of the true cause un-confirms it.

    Returns a sentence for the analyst when the true cause was withdrawn.
    """
    existing = next((v for v in a.verifications if v.id == step), None)
    if existing is None:
        raise NotFoundError(f"no verification step {step!r}")
    existing.status = status
    if status == "refuted" and a.true_cause is not None and a.true_cause.cause == existing.cause:
        cause = a.true_cause.cause
        a.true_cause = None
        return f"verification {step} refuted {cause}: it is no longer the true cause"
    return None


def customer_texts(a: Analysis) -> list[tuple[str, str, StatementPart]]:
    """What people said, as (field path, text, part): the texts worth probing for pitfalls.

    ``part`` is "object" or "deviation" for the statement (bundling is judged
    there), "" otherwise. The analysts' own reasoning (cause tests, plans,
    actions) is not listed: a probe there only teaches them to ignore probes.
    """
    found: list[tuple[str, str, StatementPart]] = []
    if a.business_impact:
        found.append(("business_impact", a.business_impact, ""))
    found += [(f"appraisal.concerns.{c.id}", c.text, "") for c in a.appraisal.concerns]
    if a.statement is not None:
        found.append(("statement.object", a.statement.object, "object"))
        found.append(("statement.deviation", a.statement.deviation, "deviation"))
    for row in a.specification:
        for side, cell in (("is", row.is_), ("is_not", row.is_not)):
            if isinstance(cell, Fact):
                found.append((f"specification.{row.id}.{side}", cell.text, ""))
    found += [(f"distinctions.{d.id}", d.text, "") for d in a.distinctions]
    found += [(f"changes.{c.id}", c.text, "") for c in a.changes]
    return found


def _single_valued(field: str) -> bool:
    return field in ("business_impact", "statement.object", "statement.deviation") or (
        field.startswith("specification.") and field.endswith((".is", ".is_not"))
    )


def drop_stale_pitfalls(a: Analysis) -> None:
    """Forget kept warnings about a text that has since changed.

    A warning the analyst kept describes one answer; once the business impact,
    the statement or a fact says something else, the warning no longer applies
    and must not stay in the handoff for good. Warnings on list fields
    (concerns, distinctions, causes) are left alone: their entries only grow.
    """
    current = {where: text for where, text, _ in customer_texts(a)}
    a.pitfalls = [
        p for p in a.pitfalls if not _single_valued(p.field) or current.get(p.field) == p.text
    ]
