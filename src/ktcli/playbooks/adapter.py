"""The one adapter from playbooks to the guided session: the guide, and what a session records."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ktcli.playbooks.discovery import DEFAULT_ID, index
from ktcli.playbooks.hashing import content_hash, describe_changes, make_ref

if TYPE_CHECKING:
    from datetime import datetime

    from ktcli.core.model import Analysis
    from ktcli.playbooks.discovery import Catalog
    from ktcli.playbooks.model import Playbook
    from ktcli.session.guide import Guide


def _row_hint(playbook: Playbook, row_id: str) -> str:
    """One row's advice as hint lines: the hint, extra questions, IS NOT comparisons, requests."""
    guide = playbook.rows.get(row_id)
    extra = next((r for r in playbook.extra_rows if r.id == row_id), None)
    lines: list[str] = []
    hint = guide.hint if guide and guide.hint else (extra.hint if extra else None)
    if hint:
        lines.append(hint)
    if guide and guide.questions:
        lines.append("also ask: " + " / ".join(guide.questions))
    is_not = (extra.is_not if extra else []) + (guide.is_not if guide else [])
    if is_not:
        lines.append("a good IS NOT here: " + "; ".join(is_not))
    asks = [d.what for d in playbook.data_requests if d.row == row_id]
    if asks:
        lines.append("ask for: " + "; ".join(asks))
    return "\n".join(lines)


def guide(playbook: Playbook) -> Guide:
    """What a (merged) playbook adds to a guided session, as ``ktcli.session.guide`` has it."""
    from ktcli.core.language import DEFAULT_TERMS
    from ktcli.session import guide as seam

    row_ids = [*playbook.rows, *(r.id for r in playbook.extra_rows)]
    row_ids += [d.row for d in playbook.data_requests if d.row]
    rows = tuple(
        seam.RowAdvice(row_id, hint=_row_hint(playbook, row_id))
        for row_id in dict.fromkeys(row_ids)
    )
    return seam.Guide(
        id=playbook.id,
        rows=tuple(r for r in rows if r.hint),
        # The row's hint and comparisons travel in its RowAdvice, like a standard row's.
        extra_rows=tuple(
            seam.AddedRow(r.id, r.dimension, r.label, r.question) for r in playbook.extra_rows
        ),
        causes=tuple(seam.OfferedCause(c.id, c.text, c.confirm) for c in playbook.causes),
        evidence=tuple(
            seam.EvidenceItem(
                e.id,
                e.what + (" (before any restart)" if e.before_restart else ""),
                e.row,
                requested_from=e.requested_from,
                commands=tuple(e.commands),
            )
            for e in playbook.evidence
        ),
        terms=DEFAULT_TERMS.extended(
            vague=tuple(playbook.terms.vague),
            causal=tuple(playbook.terms.causal),
            loaded=tuple(playbook.terms.loaded),
        ),
    )


def attach(analysis: Analysis, playbook: Playbook) -> None:
    """Record the playbook on the analysis.

    Its evidence is not added here: the session offers it and the analyst picks
    what applies (``ktcli.session.catalogue.evidence``), or a script adds one
    item with ``ktcli request ID --evidence ITEM``. A playbook for web latency
    should not put heap dumps into a cookie problem.
    """
    analysis.playbook = make_ref(playbook)


def for_session(
    analysis: Analysis,
    requested: str | None,
    catalog: Catalog | None = None,
    *,
    who: str | None = None,
    now: datetime | None = None,
) -> tuple[Guide, list[str]]:
    """The guide for a new or resumed session, and warnings to show the analyst.

    A new analysis records the requested playbook (``generic`` when none is
    named). A resumed one keeps the playbook it recorded: when that changed
    since, the warning says what changed and the record is brought up to date;
    when it cannot be found any more, the session goes on without it.
    """
    from ktcli.errors import UsageError
    from ktcli.session.guide import NO_GUIDE

    catalog = catalog or index()
    recorded = analysis.playbook
    if recorded is None:
        playbook = catalog.merged(requested or DEFAULT_ID)
        attach(analysis, playbook)
        return guide(playbook), []
    if requested is not None and requested != recorded.id:
        raise UsageError(
            f"{analysis.id} was started with playbook {recorded.id!r}, not {requested!r}",
            hint="A session keeps its playbook; start a new analysis for another one.",
        )
    if recorded.id not in catalog.found:
        return NO_GUIDE, [
            f"playbook {recorded.id!r} (version {recorded.version}) is not available here; "
            "continuing without it"
        ]
    playbook = catalog.merged(recorded.id)
    changes = describe_changes(recorded, playbook)
    if not changes:
        return guide(playbook), []
    attach(analysis, playbook)
    warning = (
        f"playbook {recorded.id!r} changed since this analysis used it "
        f"(sha256 {recorded.sha256[:12]}, now {content_hash(playbook)[:12]}): " + "; ".join(changes)
    )
    if who is not None and now is not None:
        from ktcli.core.analysis import record

        record(analysis, who, warning, now)
    return guide(playbook), [warning]
