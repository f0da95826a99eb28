"""Depth: the suggestion from the ticket, and the analyst's override."""

from __future__ import annotations

import pytest

from ktcli.core.model import Concern
from ktcli.session.depth import suggest_depth
from ktcli.session.questions import Command
from tests.session.scripts import drive, fresh, full_answers


@pytest.mark.parametrize(
    ("ratings", "reopened", "factors", "depth", "words"),
    [
        (("high", "high", "low"), False, (), "full", "high priority"),
        (("low", "high", "low"), True, (), "full", "reopened"),
        (("low", "high", "low"), False, ("complex",), "full", "complex"),
        (("low", "low", "low"), False, ("no_known_fix", "costly"), "full", "no known fix"),
        (("low", "high", "low"), False, (), "quick", "urgent"),
        (("low", "low", "low"), False, (), "quick", "familiar"),
    ],
)
def test_depth_is_suggested_from_priority_reopened_complexity_and_known_fix(
    ratings: tuple[str, str, str], reopened: bool, factors: tuple[str, ...], depth: str, words: str
) -> None:
    a = fresh(depth=None)
    s, u, g = ratings
    a.appraisal.concerns.append(Concern(id="k1", text="x", seriousness=s, urgency=u, growth=g))  # type: ignore[arg-type]
    a.appraisal.reopened = reopened
    suggested, reason = suggest_depth(a, factors)
    assert suggested == depth
    assert words in reason


def test_the_analyst_may_override_the_suggested_depth() -> None:
    answers = {k: v for k, v in full_answers().items() if k.startswith(("impact", "appraisal"))}
    answers["appraisal.depth"] = "quick"
    answers["appraisal.depth_reason"] = "same as INC-4000 last week"
    answers["statement.object"] = Command.QUIT
    a = fresh(depth=None)
    _, prompter, _ = drive(a, answers)
    depth_q = next(q for q in prompter.asked if q.id == "appraisal.depth")
    assert depth_q.default == "full", "no known fix suggests the full analysis"
    assert a.appraisal.depth == "quick"
    assert a.appraisal.depth_reason == "same as INC-4000 last week"
