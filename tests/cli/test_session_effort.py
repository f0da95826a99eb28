"""The active time of guided sessions counts in ``ktcli report recurring``."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

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


def test_ctrl_c_in_ktcli_resume_saves_the_session_time(
    ktcli: Run, store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ktcli.cli.session as cli_session
    from ktcli.cli.context import AppContext
    from ktcli.session.questions import Question

    store = Store(store_dir)
    a = new_analysis("inc-1", "Checkout slow", who="ana", now=NOW)
    a.appraisal.depth = "quick"
    store.save(a)
    clock = Clock()

    class Analyst(Timed):
        def ask(self, question: Question) -> Any:
            if question.id == "cause.likely":
                raise KeyboardInterrupt
            return super().ask(question)

    monkeypatch.setattr(AppContext, "now", lambda self: clock())
    monkeypatch.setattr(cli_session, "_stdin_is_terminal", lambda: True)
    # The playbook's evidence is offered once; nothing ticked.
    analyst = Analyst({**QUICK, "evidence.offer": [[]]}, clock, timedelta(minutes=2))
    monkeypatch.setattr(cli_session, "_prompter", lambda app_ctx: analyst)
    res = ktcli("resume", "inc-1")
    assert res.code == 130, res.err
    assert "Resume with: ktcli resume inc-1" in res.err
    answered = len(analyst.asked)
    assert answered > 5
    (entry,) = store.load("inc-1").effort
    assert (entry.kind, entry.minutes) == ("session", 2 * answered)
