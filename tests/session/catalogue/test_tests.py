"""The cause tests' questions."""

from __future__ import annotations

from ktcli.session.engine import first_unanswered
from tests.session.scripts import drive, fresh, full_answers


def test_a_cause_added_later_is_tested_on_resume() -> None:
    a = fresh(depth=None)
    drive(a, full_answers())
    a.causes.append(
        a.causes[1].model_copy(update={"id": "c3", "text": "noisy neighbour", "tests": {}})
    )
    item = first_unanswered(a)
    assert item is not None
    assert item.id == "test.c3.what-object"
