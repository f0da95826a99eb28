"""The catalogue: every question of the session, one module per section, composed in order.

Each section module has ``iter_items``, building its items lazily from the
analysis as it stands. Their answered-tests are bound to one row, cause or item
with ``functools.partial`` (the items are built in loops, and a lambda would see
only the loop's last value).
"""

from __future__ import annotations

from collections.abc import Iterator

from ktcli.core.model import Analysis
from ktcli.session.catalogue import (
    actions,
    appraisal,
    causes,
    changes,
    decide,
    distinctions,
    evidence,
    handoff,
    protect,
    specification,
    statement,
    tests,
    verification,
)
from ktcli.session.depth import mode
from ktcli.session.guide import NO_GUIDE, Guide
from ktcli.session.items import Item


def iter_items(
    a: Analysis, guide: Guide = NO_GUIDE, *, unanswered_only: bool = False
) -> Iterator[Item]:
    """Every question of the session for the analysis as it stands, in order, built lazily.

    ``unanswered_only`` may leave out answered questions (where skipping them is cheap;
    no section needs it today, the cause-test grid being one question).
    """
    m = mode(a)
    yield from appraisal.iter_items(a, m)
    if a.appraisal.depth is None:
        yield from decide.iter_items(a)  # a decision may be started on its own
        yield from protect.iter_items(a)  # and so may a protection
        return
    yield from statement.iter_items(a, m)
    yield from evidence.iter_items(a, guide)
    yield from specification.iter_items(a, m, guide)
    if m == "full":
        yield from distinctions.iter_items(a)
        yield from changes.iter_items(a)
    yield from causes.iter_items(a, m, guide)
    if m == "full":
        yield from tests.iter_items(a)
    yield from verification.iter_items(a, m, guide)
    yield from actions.iter_items(a, m)
    yield from decide.iter_items(a)  # only once a decision was started (ktcli decide ID)
    yield from protect.iter_items(a)  # only once a protection was started (ktcli protect ID)
    yield from handoff.iter_items(a)


def items(a: Analysis, guide: Guide = NO_GUIDE) -> list[Item]:
    """Every question of the session for the analysis as it stands, in order."""
    return list(iter_items(a, guide))
