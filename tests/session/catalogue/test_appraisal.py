"""The appraisal's questions: what the ratings already say is not asked again."""

from __future__ import annotations

from ktcli.session.engine import run
from ktcli.session.testing import ScriptedPrompter
from tests.session.scripts import NOW, Saver, fresh, full_answers


def _factors(ratings: tuple[str, str, str]) -> tuple[list[str], str]:
    a = fresh(None)
    answers = full_answers()
    for rating, value in zip(("seriousness", "urgency", "growth"), ratings, strict=True):
        answers[f"appraisal.k1.{rating}"] = value
    prompter = ScriptedPrompter(answers)
    run(a, prompter, Saver(), who="ana", clock=lambda: NOW)
    q = next(q for q in prompter.asked if q.id == "appraisal.factors")
    return [c.value for c in q.choices], q.hint


def test_high_priority_is_not_offered_after_a_concern_was_rated_high() -> None:
    choices, hint = _factors(("high", "high", "medium"))
    assert "high_priority" not in choices
    assert "reopened" in choices
    assert "already given by the ratings (k1)" in hint


def test_high_priority_is_offered_while_no_concern_is_rated_high() -> None:
    choices, hint = _factors(("medium", "low", "medium"))
    assert choices[0] == "high_priority"
    assert "ratings" not in hint


def test_the_depth_reason_still_names_the_high_priority_concern() -> None:
    a = fresh(None)
    answers = full_answers()
    run(a, ScriptedPrompter(answers), Saver(), who="ana", clock=lambda: NOW)
    assert a.appraisal.depth_reason is not None
    assert "a concern of high priority" in a.appraisal.depth_reason
