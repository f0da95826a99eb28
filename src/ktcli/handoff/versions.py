"""Versions of one analysis: how an incoming handoff relates to the stored one, and the diff. Pure.

- :func:`compare_versions`: is an incoming handoff newer, the same, older or diverged?
- :func:`diff`: what changed between two analyses, row by row; :func:`format_diff` as text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, TypeVar

from ktcli.core.model import Fact, NotApplicable
from ktcli.core.vocabulary import ACTION_STATUS_LABELS, SIDE_LABELS, VERDICT_LEADS

if TYPE_CHECKING:
    from ktcli.core.model import Analysis, Cell, HistoryEntry

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


def _deciding(out: list[Difference], a: Analysis, b: Analysis) -> None:
    """The decision and the protection, item by item (ktcli.handoff.decision_md.facts)."""
    from ktcli.handoff.decision_md import facts

    fa, fb = facts(a), facts(b)
    for key in list(fa) + [k for k in fb if k not in fa]:
        label = (fb.get(key) or fa[key])[0]
        _scalar(out, key, label, fa.get(key, ("", None))[1], fb.get(key, ("", None))[1])


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
                f"{row.label} / {SIDE_LABELS[side]}",
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
        lambda c: f"{c.text} (when: {c.when_text})",
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
            if x is not None and y is not None and x.verdict == y.verdict and x.note == y.note:
                continue  # unchanged, as most of a large matrix is: no text to build
            _scalar(
                out,
                f"causes.{cause.id}.tests.{row_id}",
                f"Cause {cause.id} against {row_id}",
                f"{VERDICT_LEADS[x.verdict]} {x.note}" if x else None,
                f"{VERDICT_LEADS[y.verdict]} {y.note}" if y else None,
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
            f"{x.kind}, {ACTION_STATUS_LABELS[x.status]}: {x.text}"
            + (f" (when: {x.trigger})" if x.trigger else "")
            + (f" (owner: {x.owner})" if x.owner else "")
        ),
        lambda x: f"Action {x.id} ({x.kind})",
    )
    _deciding(out, a, b)
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
