"""What one analysis contributes to the index: its columns and its searchable text (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ktcli.core.model import Analysis

#: Between analyst names in the ``analysts`` column, and around it, so one name matches exactly.
SEP = "\x1f"


@dataclass(frozen=True)
class Record:
    """The indexed columns of one analysis."""

    id: str
    status: str
    title: str
    ticket: str | None
    product: str | None
    analysts: str
    priority: str | None
    depth: str | None
    created_at: float
    updated_at: float
    closed_at: float | None
    true_cause: str | None
    object: str | None
    deviation: str | None
    effort_minutes: int
    body: str
    #: The comparable part (``core.similarity.Profile``) as JSON, for ``similar``.
    profile: str


def true_cause_text(a: Analysis) -> str | None:
    """The text of the confirmed true cause, if one is named."""
    if a.true_cause is None:
        return None
    cause = a.cause(a.true_cause.cause)
    return cause.text if cause else a.true_cause.cause


def _texts(a: Analysis) -> list[str]:
    """Everything a colleague might search for, in reading order."""
    from ktcli.core.model import Fact

    out = [a.ticket or "", a.business_impact or ""]
    if a.statement:
        out += [a.statement.object, a.statement.deviation]
    for row in a.specification:
        out += [c.text for c in (row.is_, row.is_not) if isinstance(c, Fact)]
    out += [d.text for d in a.distinctions]
    out += [c.text for c in a.changes]
    out += [c.text for c in a.causes]
    out += [f"{v.checks} {v.method} {v.result or ''}" for v in a.verifications]
    out += [x.text for x in a.actions]
    out += [q.text for q in a.open_questions]
    return [t for t in out if t]


def _epoch(value: datetime) -> float:
    return value.timestamp()


def record_of(a: Analysis) -> Record:
    """The index columns of an analysis."""
    # Imported here: listing and searching need this module's SEP, not the document model.
    import json

    from ktcli.core.similarity import profile
    from ktcli.handoff.mdtext import top_priority

    return Record(
        id=a.id,
        status=a.status,
        title=a.title,
        ticket=a.ticket,
        product=a.playbook.id if a.playbook else None,
        analysts=SEP + SEP.join(a.analysts) + SEP if a.analysts else "",
        priority=top_priority(a.appraisal.concerns),
        depth=a.appraisal.depth,
        created_at=_epoch(a.created_at),
        updated_at=_epoch(a.updated_at),
        closed_at=_epoch(a.closure.at) if a.closure else None,
        true_cause=true_cause_text(a),
        object=a.statement.object if a.statement else None,
        deviation=a.statement.deviation if a.statement else None,
        effort_minutes=sum(e.minutes for e in a.effort),
        body="\n".join(_texts(a)),
        profile=json.dumps(profile(a).as_data(), ensure_ascii=False),
    )
