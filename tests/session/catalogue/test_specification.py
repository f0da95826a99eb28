"""The specification's questions: facts, need more data, not applicable."""

from __future__ import annotations

import pytest

from ktcli.core.model import NeedData, NotApplicable
from ktcli.session.items import PENDING
from ktcli.session.questions import Command
from tests.session.scripts import QUICK, drive, fresh


@pytest.mark.parametrize(
    ("key", "follow_ups", "expected"),
    [
        (
            Command.NEED_DATA,
            {"spec.when-first.is.who": "J. Roe", "spec.when-first.is.how": "check the LB log"},
            NeedData(who="J. Roe", how="check the LB log"),
        ),
        (
            Command.NOT_APPLICABLE,
            {"spec.when-first.is.reason": "it has always been so"},
            NotApplicable(reason="it has always been so"),
        ),
    ],
)
def test_need_data_and_not_applicable_are_one_key_away(
    key: Command, follow_ups: dict[str, str], expected: object
) -> None:
    answers = dict(QUICK)
    answers["spec.when-first.is"] = key
    answers.update(follow_ups)
    a = fresh()
    _, _prompter, saver = drive(a, answers)
    row = a.row("when-first")
    assert row is not None
    assert row.is_ == expected
    # Between the key and the follow-up, the file held a visible placeholder, never a gap.
    after_key = next(s for s in saver.states if (r := s.row("when-first")) and r.is_ is not None)
    assert PENDING in after_key.row("when-first").is_.model_dump().values()  # type: ignore[union-attr]
