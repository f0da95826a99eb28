"""What backline would still have to ask the customer, as a list, grouped, and as Markdown. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from ktcli.core.analysis import assess, rank_causes
from ktcli.core.model import Fact, NeedData
from ktcli.core.vocabulary import SIDE_LABELS
from ktcli.handoff.mdtext import inline

if TYPE_CHECKING:
    from ktcli.core.model import Analysis, Row

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


def _row_gaps(row: Row) -> list[Missing]:
    """A row's cells marked need more data, then the row blank or without its IS NOT."""
    items = [
        Missing(
            "need_data",
            f"specification.{row.id}.{side}",
            f"{row.label} {SIDE_LABELS[side]}: need more data ({cell.who}: {cell.how})",
        )
        for side in ("is", "is_not")
        if isinstance(cell := row.cell(side), NeedData)
    ]
    if row.is_ is None and row.is_not is None:
        items.append(Missing("blank_row", f"specification.{row.id}", f"{row.label}: not answered"))
    elif isinstance(row.is_, Fact) and row.is_not is None:
        items.append(
            Missing(
                "no_is_not",
                f"specification.{row.id}.is_not",
                f"{row.label}: IS is {row.is_.text!r}, but no IS NOT",
            )
        )
    return items


def _cause_gaps(a: Analysis) -> list[Missing]:
    """Causes not tested against every fact, then the assumptions not yet verified."""
    items = [
        Missing(
            "untested",
            f"causes.{cause.id}",
            f"{cause.id} ({cause.text}) not tested against: {', '.join(untested)}",
        )
        for cause in a.causes
        if (untested := assess(a, cause).untested)
    ]
    decided = {v.cause for v in a.verifications if v.status in ("confirmed", "refuted")}
    items += [
        Missing(
            "assumption",
            f"causes.{ranked.cause.id}.tests.{row_id}",
            f"{ranked.cause.id} explains {row_id} only if: {note}",
        )
        for ranked in rank_causes(a)
        if not (ranked.contradictions or ranked.cause.id in decided)
        for row_id, note in ranked.assumptions
    ]
    return items


def missing_items(a: Analysis) -> list[Missing]:
    """Everything backline would have to ask the customer again, grouped by kind.

    An assumption counts as verified once its cause has a confirmed (or refuting)
    verification step: the model links verification steps to causes, not to rows.
    Causes already ruled out by a fact are not worth verifying, so their
    assumptions are left out.
    """
    items = [item for row in a.specification for item in _row_gaps(row)]
    items += _cause_gaps(a)
    items += [
        Missing(
            "not_received",
            f"data_requests.{req.id}",
            f"{req.what} (asked of {req.requested_from}), not received",
        )
        for req in a.data_requests
        if req.outstanding
    ]
    items += [
        Missing("question", f"open_questions.{q.id}", q.text)
        for q in a.open_questions
        if not (q.answer or "").strip()
    ]
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
