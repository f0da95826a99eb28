"""Pure rules for handing off and ending an analysis. No I/O; times come in as arguments.

- :func:`missing_items`: what backline would still have to ask the customer.
- :func:`customer_update`: a short status in plain words, for the customer.
- :func:`compare_versions`: is an incoming handoff newer, the same, older or diverged?
- :func:`diff`: what changed between two analyses, row by row.
- :func:`closing_problems`: what is still missing before an analysis may close.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, TypeVar

from ktcli.core.analysis import answered_rows, assess, rank_causes
from ktcli.core.model import Fact, NeedData, NotApplicable
from ktcli.handoff.markdown import inline

if TYPE_CHECKING:
    from ktcli.core.model import Analysis, Cell, HistoryEntry, Row

# -- what backline would have to ask again -----------------------------------------------------

MissingKind = Literal[
    "need_data", "no_is_not", "blank_row", "untested", "assumption", "not_received", "question"
]

#: Order of the kinds in every list, and the heading each gets.
MISSING_KINDS: dict[MissingKind, str] = {
    "need_data": "Cells marked need more data",
    "blank_row": "Rows not answered at all",
    "no_is_not": "Rows with an IS but no IS NOT",
    "untested": "Causes not tested against every fact",
    "assumption": "Assumptions not yet verified",
    "not_received": "Data requested but never received",
    "question": "Open questions without an answer",
}


@dataclass(frozen=True)
class Missing:
    """One thing backline may have to ask again: what kind, where in the document, and what."""

    kind: MissingKind
    where: str
    what: str

    @property
    def line(self) -> str:
        """One line for a list or the escalation record."""
        return f"{self.where}: {self.what}"


def _side_label(side: str) -> str:
    return "IS" if side == "is" else "IS NOT"


def missing_items(a: Analysis) -> list[Missing]:
    """Everything backline would have to ask the customer again, grouped by kind.

    An assumption counts as verified once its cause has a confirmed (or refuting)
    verification step: the model links verification steps to causes, not to rows.
    Causes already ruled out by a fact are not worth verifying, so their
    assumptions are left out.
    """
    items: list[Missing] = []
    for row in a.specification:
        for side in ("is", "is_not"):
            cell = row.cell(side)
            if isinstance(cell, NeedData):
                items.append(
                    Missing(
                        "need_data",
                        f"specification.{row.id}.{side}",
                        f"{row.label} {_side_label(side)}: need more data ({cell.who}: {cell.how})",
                    )
                )
        if row.is_ is None and row.is_not is None:
            items.append(
                Missing("blank_row", f"specification.{row.id}", f"{row.label}: not answered")
            )
        elif isinstance(row.is_, Fact) and row.is_not is None:
            items.append(
                Missing(
                    "no_is_not",
                    f"specification.{row.id}.is_not",
                    f"{row.label}: IS is {row.is_.text!r}, but no IS NOT",
                )
            )
    for cause in a.causes:
        untested = assess(a, cause).untested
        if untested:
            items.append(
                Missing(
                    "untested",
                    f"causes.{cause.id}",
                    f"{cause.id} ({cause.text}) not tested against: {', '.join(untested)}",
                )
            )
    decided = {v.cause for v in a.verifications if v.status in ("confirmed", "refuted")}
    for ranked in rank_causes(a):
        if ranked.contradictions or ranked.cause.id in decided:
            continue
        for row_id, note in ranked.assumptions:
            items.append(
                Missing(
                    "assumption",
                    f"causes.{ranked.cause.id}.tests.{row_id}",
                    f"{ranked.cause.id} explains {row_id} only if: {note}",
                )
            )
    for req in a.data_requests:
        if req.received_at is None:
            items.append(
                Missing(
                    "not_received",
                    f"data_requests.{req.id}",
                    f"{req.what} (asked of {req.requested_from}), not received",
                )
            )
    for q in a.open_questions:
        if not (q.answer or "").strip():
            items.append(Missing("question", f"open_questions.{q.id}", q.text))
    order = list(MISSING_KINDS)
    return sorted(items, key=lambda m: order.index(m.kind))


def group_missing(items: Iterable[Missing]) -> list[tuple[str, list[Missing]]]:
    """Items under their heading, in the order of :data:`MISSING_KINDS`; no empty groups."""
    by_kind: dict[MissingKind, list[Missing]] = {}
    for item in items:
        by_kind.setdefault(item.kind, []).append(item)
    return [(MISSING_KINDS[k], by_kind[k]) for k in MISSING_KINDS if k in by_kind]


# -- Markdown -------------------------------------------------------------------------------


def missing_markdown(items: Sequence[Missing]) -> str:
    """The 'what is still missing' section of a Markdown handoff."""
    lines = ["## What backline may still have to ask", ""]
    if not items:
        lines += [
            "Nothing: every row is answered, every cause tested and every request received.",
            "",
        ]
        return "\n".join(lines)
    for heading, group in group_missing(items):
        lines.append(f"**{inline(heading)}**")
        lines.append("")
        # ``where`` is built from ids and field names only (model.ID_PATTERN): safe in code.
        lines += [f"- {inline(m.what)} (`{m.where}`)" for m in group]
        lines.append("")
    return "\n".join(lines)


# -- the customer's status update --------------------------------------------------------------

#: Plain words for the standard rows; playbook rows use their label without the dimension.
_PLAIN_ROW: dict[str, str] = {
    "what-object": "Affected",
    "what-deviation": "What goes wrong",
    "where-location": "Where it happens",
    "where-on-object": "Where exactly",
    "when-first": "First seen",
    "when-pattern": "How often since",
    "when-lifecycle": "At what point",
    "extent-objects": "How many are affected",
    "extent-size": "How large the problem is",
    "extent-per-object": "How often per item",
    "extent-trend": "Trend",
}


def _plain_label(row: Row) -> str:
    if row.id in _PLAIN_ROW:
        return _PLAIN_ROW[row.id]
    label = row.label.split(":", 1)[-1].strip()
    return label[:1].upper() + label[1:]


@dataclass(frozen=True)
class CustomerUpdate:
    """The four parts of a status update, each a list of plain sentences."""

    title: str
    problem: str | None
    known: list[str]
    ruled_out: list[str]
    next_steps: list[str]
    next_update: str


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."


def customer_update(a: Analysis, *, next_update: str | None = None) -> CustomerUpdate:
    """What we know, what we ruled out and why, what we do next, and when we write again.

    Internal words (IS NOT, cause ids, gates, verdicts) never appear: only the
    analysts' own texts, framed in plain sentences.
    """
    title = f"{a.ticket}: {a.title}" if a.ticket else a.title
    problem = None
    if a.statement is not None:
        problem = _sentence(f"{a.statement.object} {a.statement.deviation}")
    known: list[str] = []
    if a.business_impact:
        known.append(_sentence(f"Impact on your business: {a.business_impact}"))
    for row in answered_rows(a):
        if not isinstance(row.is_, Fact):
            continue
        sentence = f"{_plain_label(row)}: {row.is_.text}"
        if isinstance(row.is_not, Fact):
            sentence += f" (but not: {row.is_not.text})"
        known.append(_sentence(sentence))
    for req in a.data_requests:
        if req.received_at is not None and req.result:
            known.append(_sentence(f"From {req.what}: {req.result}"))

    ruled_out: list[str] = []
    refuted = {v.cause: v for v in a.verifications if v.status == "refuted"}
    for ranked in rank_causes(a):
        cause = ranked.cause
        if ranked.contradictions:
            why = "; ".join(note for _, note in ranked.contradictions)
            ruled_out.append(_sentence(f"{cause.text}: ruled out, because {why}"))
        elif cause.id in refuted:
            v = refuted[cause.id]
            found = v.result or "it did not hold"
            ruled_out.append(_sentence(f"{cause.text}: ruled out; we checked {v.checks}: {found}"))

    next_steps = _next_steps(a)
    default = "none planned" if a.status == "closed" else "as soon as we learn something new"
    when = next_update or default
    return CustomerUpdate(title, problem, known, ruled_out, next_steps, when)


_ACTION_LEAD = {
    "interim": "To keep you running in the meantime",
    "corrective": "To remove the cause",
    "preventive": "To stop it from happening again",
}
_ACTION_STATE = {"planned": "planned", "in_progress": "in progress", "done": "done"}


def _actions(a: Analysis) -> list[str]:
    """Actions by kind, interim first: a workaround is never presented as the fix."""
    return [
        _sentence(f"{lead}: {act.text} ({_ACTION_STATE[act.status]})")
        for kind, lead in _ACTION_LEAD.items()
        for act in a.actions
        if act.kind == kind
    ]


def _next_steps(a: Analysis) -> list[str]:
    steps: list[str] = []
    cause = a.cause(a.true_cause.cause) if a.true_cause is not None else None
    if a.status == "closed":
        if cause is not None:
            steps.append(_sentence(f"The cause was: {cause.text}"))
        steps += _actions(a)
        steps.append("This case is closed. Tell us at once if the problem comes back.")
        return steps
    if a.escalations and a.status == "escalated":
        steps.append(
            _sentence(
                f"Your case is now with our {a.escalations[-1].to} team. They continue from "
                "everything you have already told us, so you will not be asked the same "
                "questions again"
            )
        )
    if cause is not None:
        steps.append(_sentence(f"We have confirmed the cause: {cause.text}"))
    else:
        refuted = {v.cause for v in a.verifications if v.status == "refuted"}
        leading = [r for r in rank_causes(a) if not r.contradictions and r.cause.id not in refuted]
        if leading:
            steps.append(
                _sentence(f"Our leading explanation, not yet proven: {leading[0].cause.text}")
            )
        steps += [_sentence(f"We are checking {v.checks}") for v in a.verifications
                  if v.status == "planned"]  # fmt: skip
    steps += _actions(a)
    steps += [
        _sentence(f"We are waiting for {req.what} from {req.requested_from}")
        for req in a.data_requests
        if req.received_at is None
    ]
    return steps or ["We are collecting the facts of the problem."]


#: Plain-text updates go into e-mails and ticket comments: wrap like an e-mail.
_WIDTH = 76


def update_text(u: CustomerUpdate) -> str:
    """The status update as plain text, for an e-mail or a ticket comment."""
    out = [f"Status update: {u.title}", ""]
    if u.problem:
        out += [
            "The problem",
            *textwrap.wrap(u.problem, _WIDTH, initial_indent="  ", subsequent_indent="  "),
            "",
        ]
    sections = (
        ("What we know", u.known or ["We are still collecting the facts."]),
        ("What we have ruled out, and why", u.ruled_out or ["Nothing yet."]),
        ("What we are doing next", u.next_steps),
    )
    for heading, lines in sections:
        out.append(heading)
        for line in lines:
            out += textwrap.wrap(line, _WIDTH, initial_indent="  - ", subsequent_indent="    ")
        out.append("")
    out += ["Next update", f"  {_sentence(u.next_update[:1].upper() + u.next_update[1:])}", ""]
    return "\n".join(out)


def update_markdown(u: CustomerUpdate) -> str:
    """The status update as GitHub-flavoured Markdown, user text escaped."""
    out = [f"## Status update: {inline(u.title)}", ""]
    if u.problem:
        out += ["**The problem:** " + inline(u.problem), ""]
    sections = (
        ("What we know", u.known or ["We are still collecting the facts."]),
        ("What we have ruled out, and why", u.ruled_out or ["Nothing yet."]),
        ("What we are doing next", u.next_steps),
    )
    for heading, lines in sections:
        out += [f"### {heading}", ""]
        out += [f"- {inline(line)}" for line in lines]
        out.append("")
    nxt = _sentence(u.next_update[:1].upper() + u.next_update[1:])
    out += ["### Next update", "", inline(nxt), ""]
    return "\n".join(out)


# -- versions of one analysis ------------------------------------------------------------------

Relation = Literal["new", "same", "newer", "older", "diverged"]


@dataclass(frozen=True)
class VersionCheck:
    """How an incoming handoff relates to the stored one, and why."""

    relation: Relation
    explanation: str
    common: int = 0
    only_stored: tuple[HistoryEntry, ...] = ()
    only_incoming: tuple[HistoryEntry, ...] = ()


def _entry(h: HistoryEntry) -> str:
    return f"{h.at.isoformat()} {h.who}: {h.what}"


def compare_versions(stored: Analysis | None, incoming: Analysis) -> VersionCheck:
    """Compare by the append-only history: a newer version extends the stored history.

    Equal histories with different content mean someone edited a file without
    recording it; that is reported as diverged, so nothing is overwritten unseen.
    """
    if stored is None:
        return VersionCheck("new", "not in the store yet")
    old, new = stored.history, incoming.history
    common = 0
    for x, y in zip(old, new, strict=False):
        if x != y:
            break
        common += 1
    only_old, only_new = tuple(old[common:]), tuple(new[common:])
    if not only_old and not only_new:
        if stored == incoming:
            return VersionCheck("same", "identical to the stored analysis", common)
        return VersionCheck(
            "diverged",
            f"{stored.id!r} diverged: same history as the store but different content "
            "(one of them was edited without recording it)",
            common,
        )
    if not only_old:
        return VersionCheck(
            "newer",
            f"extends the stored history by {len(only_new)} "
            f"entr{'y' if len(only_new) == 1 else 'ies'}",
            common,
            only_incoming=only_new,
        )
    if not only_new:
        return VersionCheck(
            "older",
            f"an older version of {stored.id!r}: the store has {len(only_old)} later history "
            f"entr{'y' if len(only_old) == 1 else 'ies'}, the last: {_entry(only_old[-1])}",
            common,
            only_stored=only_old,
        )
    return VersionCheck(
        "diverged",
        f"{stored.id!r} diverged: the store and the file both changed it after history "
        f"entry {common}; the store has {_entry(only_old[0])!r}, "
        f"the file has {_entry(only_new[0])!r}",
        common,
        only_old,
        only_new,
    )


# -- row-by-row diff ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    """One changed place: where, a label a person reads, the old and the new value."""

    where: str
    label: str
    old: str | None
    new: str | None

    @property
    def kind(self) -> Literal["added", "removed", "changed"]:
        """Added, removed or changed."""
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "changed"


def describe_cell(cell: Cell | None) -> str | None:
    """A cell as one line of text; None when blank."""
    if cell is None:
        return None
    if isinstance(cell, Fact):
        text = f"{cell.text} (source: {cell.source}, {cell.status})"
        if cell.evidence:
            text += f" evidence: {', '.join(cell.evidence)}"
        return text
    if isinstance(cell, NotApplicable):
        return f"not applicable: {cell.reason}"
    return f"need more data: {cell.who}, {cell.how}"


_T = TypeVar("_T")


def _keyed(
    out: list[Difference],
    section: str,
    old: Sequence[_T],
    new: Sequence[_T],
    key: Callable[[_T], str],
    describe: Callable[[_T], str],
    label: Callable[[_T], str] | None = None,
) -> None:
    """Compare two lists of items with ids: changed in place, then removed, then added."""
    a_map = {key(x): x for x in old}
    b_map = {key(x): x for x in new}
    ids = list(a_map) + [k for k in b_map if k not in a_map]
    for ident in ids:
        x, y = a_map.get(ident), b_map.get(ident)
        dx = describe(x) if x is not None else None
        dy = describe(y) if y is not None else None
        if dx != dy:
            item = y if y is not None else x
            assert item is not None
            name = label(item) if label else f"{section} {ident}"
            out.append(Difference(f"{section}.{ident}", name, dx, dy))


def _sequence(
    out: list[Difference], section: str, label: str, old: Sequence[str], new: Sequence[str]
) -> None:
    """Compare two lists by position (escalations, history): a common prefix, then the rest."""
    for i in range(max(len(old), len(new))):
        x = old[i] if i < len(old) else None
        y = new[i] if i < len(new) else None
        if x != y:
            out.append(Difference(f"{section}.{i}", f"{label} {i + 1}", x, y))


def _scalar(out: list[Difference], where: str, label: str, x: str | None, y: str | None) -> None:
    if x != y:
        out.append(Difference(where, label, x, y))


_VERDICT = {
    "explains": "explains, because",
    "explains_only_if": "explains only if",
    "does_not_explain": "does not explain",
}


def diff(a: Analysis, b: Analysis) -> list[Difference]:
    """What changed from ``a`` to ``b``: every field a person reviews, row by row."""
    out: list[Difference] = []
    _scalar(out, "id", "Id", a.id, b.id)
    _scalar(out, "title", "Title", a.title, b.title)
    _scalar(out, "ticket", "Ticket", a.ticket, b.ticket)
    _scalar(out, "status", "Status", a.status, b.status)
    _scalar(out, "business_impact", "Business impact", a.business_impact, b.business_impact)
    _scalar(out, "analysts", "Analysts", ", ".join(a.analysts), ", ".join(b.analysts))
    _scalar(
        out,
        "appraisal.depth",
        "Depth",
        f"{a.appraisal.depth}: {a.appraisal.depth_reason}" if a.appraisal.depth else None,
        f"{b.appraisal.depth}: {b.appraisal.depth_reason}" if b.appraisal.depth else None,
    )
    _keyed(
        out,
        "appraisal.concerns",
        a.appraisal.concerns,
        b.appraisal.concerns,
        lambda c: c.id,
        lambda c: f"{c.text} (priority {c.priority}, next: {c.next_step.replace('_', ' ')})",
        lambda c: f"Concern {c.id}",
    )
    _scalar(
        out,
        "statement",
        "Problem statement",
        a.statement.text if a.statement else None,
        b.statement.text if b.statement else None,
    )
    a_rows = {r.id: r for r in a.specification}
    b_rows = {r.id: r for r in b.specification}
    for row_id in list(a_rows) + [r for r in b_rows if r not in a_rows]:
        ra, rb = a_rows.get(row_id), b_rows.get(row_id)
        row = rb or ra
        assert row is not None
        if ra is None or rb is None:
            _scalar(out, f"specification.{row_id}", f"Row {row.label}",
                    row.label if ra else None, row.label if rb else None)  # fmt: skip
        for side in ("is", "is_not"):
            _scalar(
                out,
                f"specification.{row_id}.{side}",
                f"{row.label} / {_side_label(side)}",
                describe_cell(ra.cell(side)) if ra else None,
                describe_cell(rb.cell(side)) if rb else None,
            )
    _keyed(
        out,
        "distinctions",
        a.distinctions,
        b.distinctions,
        lambda d: d.id,
        lambda d: d.text + (f" (rows: {', '.join(d.rows)})" if d.rows else ""),
        lambda d: f"Distinction {d.id}",
    )
    _keyed(
        out,
        "changes",
        a.changes,
        b.changes,
        lambda c: c.id,
        lambda c: f"{c.text} (when: {c.when})",
        lambda c: f"Change {c.id}",
    )
    _keyed(
        out,
        "causes",
        a.causes,
        b.causes,
        lambda c: c.id,
        lambda c: f"{c.text} (from {c.origin}{': ' + c.origin_ref if c.origin_ref else ''})",
        lambda c: f"Cause {c.id}",
    )
    a_causes = {c.id: c for c in a.causes}
    for cause in b.causes:
        before = a_causes.get(cause.id)
        old_tests = before.tests if before else {}
        for row_id in list(old_tests) + [r for r in cause.tests if r not in old_tests]:
            x, y = old_tests.get(row_id), cause.tests.get(row_id)
            _scalar(
                out,
                f"causes.{cause.id}.tests.{row_id}",
                f"Cause {cause.id} against {row_id}",
                f"{_VERDICT[x.verdict]} {x.note}" if x else None,
                f"{_VERDICT[y.verdict]} {y.note}" if y else None,
            )
    _keyed(
        out,
        "verifications",
        a.verifications,
        b.verifications,
        lambda v: v.id,
        lambda v: (
            f"{v.status}: checks {v.checks}; method: {v.method}; cause {v.cause}"
            + (f"; result: {v.result}" if v.result else "")
            + (f"; by {v.by}" if v.by else "")
        ),
        lambda v: f"Verification {v.id}",
    )
    _scalar(out, "true_cause", "True cause", _true_cause(a), _true_cause(b))
    _keyed(
        out,
        "actions",
        a.actions,
        b.actions,
        lambda x: x.id,
        lambda x: (
            f"{x.kind}, {x.status.replace('_', ' ')}: {x.text}"
            + (f" (owner: {x.owner})" if x.owner else "")
        ),
        lambda x: f"Action {x.id} ({x.kind})",
    )
    _keyed(
        out,
        "data_requests",
        a.data_requests,
        b.data_requests,
        lambda r: r.id,
        lambda r: (
            f"{r.what} from {r.requested_from}: "
            + (f"received: {r.result or 'yes'}" if r.received_at else "not received")
        ),
        lambda r: f"Data request {r.id}",
    )
    _keyed(
        out,
        "open_questions",
        a.open_questions,
        b.open_questions,
        lambda q: q.id,
        lambda q: q.text + (f" -> {q.answer}" if q.answer else ""),
        lambda q: f"Open question {q.id}",
    )
    _sequence(
        out,
        "escalations",
        "Escalation",
        [f"{e.by} to {e.to}: {e.reason}" for e in a.escalations],
        [f"{e.by} to {e.to}: {e.reason}" for e in b.escalations],
    )
    _scalar(out, "closure", "Closure", _closure(a), _closure(b))
    _sequence(
        out, "history", "History", [_entry(h) for h in a.history], [_entry(h) for h in b.history]
    )
    return out


def _true_cause(a: Analysis) -> str | None:
    tc = a.true_cause
    if tc is None:
        return None
    proofs = f", verified by {', '.join(tc.verifications)}" if tc.verifications else ""
    return f"{tc.cause}{proofs} (confirmed by {tc.confirmed_by})"


def _closure(a: Analysis) -> str | None:
    c = a.closure
    if c is None:
        return None
    if c.forced:
        return f"closed by force by {c.by}: {c.reason}"
    return f"closed by {c.by}; customer confirmed: {c.customer_confirmation}"


def format_diff(diffs: Sequence[Difference]) -> str:
    """The differences as plain text: one block per place, '-' old and '+' new."""
    if not diffs:
        return "no differences\n"
    marks = {"added": "+", "removed": "-", "changed": "~"}
    lines: list[str] = []
    for d in diffs:
        lines.append(f"{marks[d.kind]} {d.label}  ({d.where})")
        if d.old is not None:
            lines.append(f"    - {d.old}")
        if d.new is not None:
            lines.append(f"    + {d.new}")
    return "\n".join(lines) + "\n"


# -- closing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A reason an analysis may not close yet, and what to do about it."""

    kind: Literal["true_cause", "verification", "corrective", "confirmation"]
    message: str
    hint: str


def closing_problems(a: Analysis, customer_confirmation: str | None) -> list[Problem]:
    """What is missing before ``a`` may close: proof, the fix, and the customer's word.

    Only a corrective action counts as the fix: an interim action restores
    service but leaves the cause in place, and a preventive one guards the future.
    """
    problems: list[Problem] = []
    tc = a.true_cause
    if tc is None:
        problems.append(
            Problem(
                "true_cause",
                "no true cause confirmed yet",
                f"Verify a cause, then 'ktcli confirm {a.id} CAUSE'.",
            )
        )
    else:
        recorded = [v for v in a.verifications if v.id in tc.verifications]
        if not any(v.status == "confirmed" and v.cause == tc.cause for v in recorded):
            problems.append(
                Problem(
                    "verification",
                    f"true cause {tc.cause} has no recorded, confirmed verification",
                    f"Record one: 'ktcli verify {a.id} {tc.cause} --checks ... --method ... "
                    f"--result ... --status confirmed', then 'ktcli confirm {a.id} {tc.cause}'.",
                )
            )
    if not any(x.kind == "corrective" for x in a.actions):
        interim = sum(1 for x in a.actions if x.kind == "interim")
        note = f" ({interim} interim action(s) restore service but do not remove the cause)"
        problems.append(
            Problem(
                "corrective",
                "no corrective action" + (note if interim else ""),
                f"Record the fix: 'ktcli action {a.id} corrective \"...\" --done'.",
            )
        )
    if not (customer_confirmation or "").strip():
        problems.append(
            Problem(
                "confirmation",
                "no confirmation from the customer that the fix works",
                'Pass --customer-confirmation "what the customer said, and when".',
            )
        )
    return problems
