"""The active time of guided sessions counts in ``ktcli report recurring``."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from ktcli.core.analysis import new_analysis
from ktcli.session.engine import run
from ktcli.store.files import Store
from tests.conftest import Run
from tests.session.scripts import NOW, QUICK
from tests.session.test_effort import Clock, Timed


def test_report_recurring_counts_the_time_of_guided_sessions(ktcli: Run, store_dir: Path) -> None:
    store = Store(store_dir)
    for n, pace in enumerate((2, 3)):
        a = new_analysis(f"inc-{n}", "Checkout slow", who="ana", now=NOW)
        a.appraisal.depth = "quick"
        clock = Clock()
        run(a, Timed(QUICK, clock, timedelta(minutes=pace)), store.save, who="ana", clock=clock)
    res = ktcli("report", "recurring", "--json")
    assert res.code == 0, res.err
    data = json.loads(res.out)
    assert data[0]["count"] == 2
    assert data[0]["hours"] == round((2 + 3) * len(QUICK) / 60, 1)
