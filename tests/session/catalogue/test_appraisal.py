"""The appraisal's questions: what the ratings already say is not asked again."""

from __future__ import annotations

from typing import Any

import pytest

from ktcli.session.catalogue.appraisal import RATINGS_REFUSED, read_ratings
from ktcli.session.engine import run
from ktcli.session.testing import DEFAULT, ScriptedPrompter
from tests.session.scripts import NOW, Saver, fresh, full_answers


def _factors(ratings: tuple[str, str, str]) -> tuple[list[str], str]:
    a = fresh(None)
    answers = full_answers()
    answers["appraisal.k1.ratings"] = " ".join(ratings)
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
    answers["appraisal.k1.ratings"] = "hhh"
    answers["appraisal.k2.ratings"] = "m m m"
    answers["appraisal.k1.next_step"] = DEFAULT
    answers["appraisal.k2.next_step"] = DEFAULT
    answers["appraisal.focus"] = focus
    other = "k1" if focus == "k2" else "k2"
    answers[f"appraisal.{other}.owner"] = "billing team"
    prompter = ScriptedPrompter(answers)
    run(a, prompter, Saver(), who="ana", clock=lambda: NOW)
    return a, prompter


def test_with_several_concerns_the_session_asks_which_one_and_who_takes_the_others() -> None:
    a, prompter = several_concerns("k1")
    at = prompter.ids.index("appraisal.focus")
    assert prompter.ids[at - 3 : at] == [
        "appraisal.more",
        "appraisal.k1.next_step",
        "appraisal.k2.next_step",
    ]
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


@pytest.mark.parametrize(
    ("text", "ratings"),
    [
        ("h h m", ("high", "high", "medium")),
        ("hhm", ("high", "high", "medium")),
        ("High, medium, low", ("high", "medium", "low")),
        ("l/m/h", ("low", "medium", "high")),
        ("med low hi", ("medium", "low", "high")),
    ],
)
def test_the_three_ratings_are_one_answer(text: str, ratings: tuple[str, str, str]) -> None:
    assert read_ratings(text) == ratings


@pytest.mark.parametrize("text", ["h h", "hhhh", "h x m", "high", "urgent", "h h m l"])
def test_anything_but_three_ratings_is_refused(text: str) -> None:
    assert read_ratings(text) is None


def test_a_refused_rating_is_asked_again_and_enter_keeps_the_suggestion() -> None:
    a = fresh(None)
    answers = full_answers()
    answers["appraisal.k1.ratings"] = ["very bad", ""]
    prompter = ScriptedPrompter(answers)
    run(a, prompter, Saver(), who="ana", clock=lambda: NOW)
    assert prompter.ids.count("appraisal.k1.ratings") == 2
    assert ("warning", RATINGS_REFUSED) in prompter.notes
    k1 = a.appraisal.concerns[0]
    assert (k1.seriousness, k1.urgency, k1.growth, k1.priority) == ("medium",) * 4
    assert prompter.asked[prompter.ids.index("appraisal.k1.ratings")].suggested == "m m m"


def concerns_session(texts: list[str], steps: dict[str, Any]) -> tuple[Any, ScriptedPrompter]:
    a = fresh(None)
    answers = full_answers()
    answers["appraisal.more"] = [*texts, ""]
    for n, _ in enumerate(texts, 1):
        answers[f"appraisal.k{n}.ratings"] = "hhm" if n == 1 else "m m l"
        answers[f"appraisal.k{n}.next_step"] = steps.get(f"k{n}", DEFAULT)
        answers[f"appraisal.k{n}.owner"] = f"owner of k{n}"
    answers["appraisal.focus"] = DEFAULT
    prompter = ScriptedPrompter(answers)
    run(a, prompter, Saver(), who="ana", clock=lambda: NOW)
    return a, prompter


def test_each_concern_s_next_step_is_asked_with_its_wording_s_suggestion() -> None:
    texts = [
        "EU checkout waits over 5 s",
        "Whether to roll back the release or only one setting",
        "Black Friday traffic could hit the pool again",
        "Management wants a written explanation",
    ]
    a, prompter = concerns_session(texts, {"k4": "none"})
    offered = {q.id: q.default for q in prompter.asked if q.id.endswith(".next_step")}
    assert offered == {
        "appraisal.k1.next_step": "problem_analysis",
        "appraisal.k2.next_step": "decision_analysis",
        "appraisal.k3.next_step": "potential_problem_analysis",
        "appraisal.k4.next_step": "problem_analysis",
    }
    # One concern needs a cause: no focus question; the analyst owns it, the others are handed on.
    assert "appraisal.focus" not in prompter.ids
    assert [(c.id, c.next_step, c.owner) for c in a.appraisal.concerns] == [
        ("k1", "problem_analysis", "ana"),
        ("k2", "decision_analysis", "owner of k2"),
        ("k3", "potential_problem_analysis", "owner of k3"),
        ("k4", "none", "owner of k4"),
    ]
    assert "appraisal.k1.owner" not in prompter.ids
    assert any(h.what.endswith("this analysis is about concern k1") for h in a.history)


def test_the_focus_is_asked_only_when_two_concerns_need_a_cause() -> None:
    texts = ["EU checkout waits over 5 s", "Invoices go out late", "Whether to roll back or not"]
    a, prompter = concerns_session(texts, {})
    assert prompter.ids.count("appraisal.focus") == 1
    focus = prompter.asked[prompter.ids.index("appraisal.focus")]
    assert [c.value for c in focus.choices] == ["k1", "k2"]
    assert [c.owner for c in a.appraisal.concerns] == ["ana", "owner of k2", "owner of k3"]
