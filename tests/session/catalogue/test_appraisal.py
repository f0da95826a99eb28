"""The appraisal's questions: what the ratings already say is not asked again."""

from __future__ import annotations

from typing import Any

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


def several_concerns(focus: str) -> tuple[Any, ScriptedPrompter]:
    a = fresh(None)
    answers = full_answers()
    answers["appraisal.more"] = ["EU checkout waits over 5 s", "Invoices go out late", ""]
    for k in ("k1", "k2"):
        for rating in ("seriousness", "urgency", "growth"):
            answers[f"appraisal.{k}.{rating}"] = "high" if k == "k1" else "medium"
    answers["appraisal.focus"] = focus
    other = "k1" if focus == "k2" else "k2"
    answers[f"appraisal.{other}.owner"] = "billing team"
    prompter = ScriptedPrompter(answers)
    run(a, prompter, Saver(), who="ana", clock=lambda: NOW)
    return a, prompter


def test_with_several_concerns_the_session_asks_which_one_and_who_takes_the_others() -> None:
    a, prompter = several_concerns("k1")
    at = prompter.ids.index("appraisal.focus")
    assert prompter.ids[at - 1] == "appraisal.more"
    assert prompter.ids[at + 1] == "appraisal.k2.owner"
    q = prompter.asked[at]
    assert [c.value for c in q.choices] == ["k1", "k2"]
    assert q.default == "k1"
    k1, k2 = a.appraisal.concerns
    assert (k1.id, k1.owner, k1.next_step) == ("k1", "ana", "problem_analysis")
    assert (k2.id, k2.owner, k2.next_step) == ("k2", "billing team", "problem_analysis")
    assert any(h.what == "concern k2 is taken by billing team" for h in a.history)


def test_the_concern_chosen_comes_first_and_the_first_is_asked_for_its_owner() -> None:
    a, prompter = several_concerns("k2")
    assert [(c.id, c.owner) for c in a.appraisal.concerns] == [
        ("k2", "ana"),
        ("k1", "billing team"),
    ]
    assert "appraisal.k1.owner" in prompter.ids
    assert any(h.what.startswith("this analysis is about concern k2") for h in a.history)


def test_one_concern_asks_neither() -> None:
    a = fresh(None)
    prompter = ScriptedPrompter(full_answers())
    run(a, prompter, Saver(), who="ana", clock=lambda: NOW)
    asked = [i for i in prompter.ids if i.startswith("appraisal.")]
    assert not any(i == "appraisal.focus" or i.endswith(".owner") for i in asked)
