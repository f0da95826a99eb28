"""The playbook's evidence, offered, not imposed: the analyst ticks what applies to this case.

Asked once, right after the statement (evidence is what a restart destroys). A
ticked item becomes a data request with its commands kept apart for the
analyst; an unticked one is recorded as a request dismissed when offered, so the
handoff shows the decision and nobody offers it again. When a resumed
playbook gained items, only the new ones are offered.
"""

from __future__ import annotations

from collections.abc import Iterator

from ktcli.core.model import Analysis, DataRequest
from ktcli.session.guide import EvidenceItem, Guide
from ktcli.session.items import COMPLETE, Env, Item
from ktcli.session.questions import Choice, Question, Value

_SECTION = "specification"
#: The reason recorded for an item the analyst did not tick.
NOT_TICKED = "not needed for this case (not ticked when the playbook offered it)"


def _unoffered(a: Analysis, guide: Guide) -> list[EvidenceItem]:
    have = {d.id for d in a.data_requests}
    return [e for e in guide.evidence if e.id not in have]


def iter_items(a: Analysis, guide: Guide) -> Iterator[Item]:
    """One tick list of the playbook's evidence not yet offered in this analysis."""
    offered = _unoffered(a, guide)
    if not offered:
        return

    def apply(a: Analysis, v: Value, env: Env) -> str:
        ticked = set(v) if isinstance(v, tuple) else set()
        for e in _unoffered(a, guide):
            a.data_requests.append(
                DataRequest(
                    id=e.id,
                    what=e.text,
                    requested_from=e.requested_from,
                    row=e.row,
                    commands=list(e.commands),
                    dismissed=None if e.id in ticked else NOT_TICKED,
                )
            )
        return f"playbook evidence: {len(ticked)} of {len(offered)} item(s) to collect"

    yield Item(
        Question(
            "evidence.offer",
            _SECTION,
            "checkbox",
            "Which of the playbook's evidence applies here?",
            hint="collect it before anyone restarts anything; the rest is recorded as "
            "not needed, so backline knows it was considered",
            field="data_requests",
            choices=tuple(Choice(e.id, e.text) for e in offered),
        ),
        # A finished analysis is not reopened by an offer.
        lambda a: COMPLETE in a.progress or not _unoffered(a, guide),
        apply,
        offer=True,
    )
