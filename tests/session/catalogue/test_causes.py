"""The causes' questions."""

from __future__ import annotations

from ktcli.session.testing import DEFAULT
from tests.session.scripts import QUICK, drive, fresh


def test_cause_sections_do_not_probe_for_assumed_causes() -> None:
    answers = dict(QUICK)
    answers["cause.likely"] = "slow answers caused by the pool size"
    a = fresh()
    _, _prompter, _ = drive(a, {**answers, "cause.likely.refine": DEFAULT})
    assert [p.kind for p in a.pitfalls] == ["vague"]
