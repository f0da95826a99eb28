"""Active time of a guided session, recorded as effort when the session ends."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from ktcli.session.engine import IDLE, run
from ktcli.session.questions import Command, Question
from ktcli.session.testing import ScriptedPrompter
from tests.session.scripts import NOW, QUICK, Saver, fresh


class Clock:
    """A clock the prompter moves on: each answer takes ``pace`` unless told otherwise."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


class Timed(ScriptedPrompter):
    """Each answer comes ``pace`` after its question; ``pauses`` give longer ones by id."""

    def __init__(self, answers: dict[str, Any], clock: Clock, pace: timedelta, **pauses: Any):
        super().__init__(answers)
        self.clock, self.pace, self.pauses = clock, pace, pauses

    def ask(self, question: Question) -> Any:
        self.clock.now += self.pauses.get(question.id.replace(".", "_"), self.pace)
        return super().ask(question)


def test_a_session_records_its_active_time_as_effort() -> None:
    a, clock, saver = fresh(), Clock(), Saver()
    run(a, Timed(QUICK, clock, timedelta(minutes=2)), saver, who="ana", clock=clock)
    assert [(e.minutes, e.kind, e.by, e.at) for e in a.effort] == [
        (2 * len(QUICK), "session", "ana", NOW + timedelta(minutes=2 * len(QUICK)))
    ]
    # Saved like every other answer: the last save holds it.
    assert saver.states[-1].effort == a.effort
    assert a.history[-1].what == f"recorded {2 * len(QUICK)} min of guided session time"


def test_an_idle_gap_is_not_counted() -> None:
    a, clock = fresh(), Clock()
    lunch = IDLE + timedelta(minutes=50)
    prompter = Timed(QUICK, clock, timedelta(minutes=1), statement_source=lunch)
    run(a, prompter, Saver(), who="ana", clock=clock)
    assert [e.minutes for e in a.effort] == [len(QUICK) - 1]


def test_a_pause_up_to_the_limit_is_counted() -> None:
    a, clock = fresh(), Clock()
    prompter = Timed(QUICK, clock, timedelta(minutes=1), statement_source=IDLE)
    run(a, prompter, Saver(), who="ana", clock=clock)
    assert [e.minutes for e in a.effort] == [len(QUICK) - 1 + 10]


def test_quitting_records_the_time_so_far() -> None:
    a, clock, saver = fresh(), Clock(), Saver()
    answers = dict(QUICK, **{"spec.where-location.is": Command.QUIT})
    outcome = run(a, Timed(answers, clock, timedelta(minutes=3)), saver, who="ana", clock=clock)
    assert not outcome.complete
    asked = list(QUICK).index("spec.where-location.is") + 1
    assert [e.minutes for e in saver.states[-1].effort] == [3 * asked]


def test_ctrl_c_records_the_time_so_far_for_the_last_save() -> None:
    a, clock = fresh(), Clock()

    class Interrupting(Timed):
        def ask(self, question: Question) -> Any:
            if question.id == "cause.likely":
                clock.now += timedelta(minutes=4)
                raise KeyboardInterrupt
            return super().ask(question)

    with pytest.raises(KeyboardInterrupt):
        run(a, Interrupting(QUICK, clock, timedelta(minutes=1)), Saver(), who="ana", clock=clock)
    # A minute for each answer before it, then four minutes on the question Ctrl-C left.
    assert [e.minutes for e in a.effort] == [list(QUICK).index("cause.likely") + 4]


def test_a_session_under_a_minute_records_nothing() -> None:
    a = fresh()
    run(a, ScriptedPrompter(QUICK), Saver(), who="ana", clock=lambda: NOW)
    assert a.effort == []
