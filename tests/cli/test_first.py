"""The first prompt of ``ktcli new`` recorded from the engine and drawn before it loads."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest

from ktcli.cli.first import FirstPrompt, Prediction, key, lookup, remember
from ktcli.session.questions import ALL_CHECKS, Choice, Question
from ktcli.session.testing import ScriptedPrompter

IMPACT = Question(
    "impact",
    "appraisal",
    "text",
    "What does it cost?",
    hint="in their terms",
    field="business_impact",
    checks=ALL_CHECKS,
    place="Appraisal · section 1 of 7",
    finished=("statement",),
)
NOTES = (("Appraisal - first", "section"),)
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)


def test_a_recorded_start_reads_back_the_same() -> None:
    where = key("quick", None, ticket=False)
    chosen = replace(IMPACT, kind="choice", choices=(Choice("a", "A"),), context=("c",))
    for question in (IMPACT, chosen):
        remember(where, Prediction(NOTES, question))
        assert lookup(where) == Prediction(NOTES, question)
    assert lookup(key("full", None, ticket=False)) is None, "other options, another entry"


def test_the_engine_records_its_start_on_a_first_run() -> None:
    inner = ScriptedPrompter({"impact": "lost orders"})
    where = key(None, None, ticket=False)
    first = FirstPrompt(inner, where)
    first.note(*NOTES[0])  # type: ignore[arg-type]
    assert first.ask(IMPACT) == "lost orders"
    assert inner.notes == [("section", "Appraisal - first")], "shown once, as it came"
    assert lookup(where) == Prediction(NOTES, IMPACT)


def test_the_drawn_reply_answers_the_same_question_without_asking_again() -> None:
    inner = ScriptedPrompter({})
    first = FirstPrompt(inner, key(None, None, False), Prediction(NOTES, IMPACT), "lost orders")
    first.note(*NOTES[0])  # type: ignore[arg-type]
    assert first.ask(IMPACT) == "lost orders"
    assert inner.asked == [], "already on the screen"
    assert inner.notes == []


def test_a_changed_first_question_is_asked_again_with_what_was_typed() -> None:
    inner = ScriptedPrompter({"other": "kept"})
    where = key(None, None, False)
    first = FirstPrompt(inner, where, Prediction(NOTES, IMPACT), "lost orders")
    other = replace(IMPACT, id="other", text="Something else?")
    assert first.ask(other) == "kept"
    assert inner.asked[0].default == "lost orders", "what was typed is offered, not lost"
    assert ("warning", "The first question has changed since it was drawn: answer it again.") in (
        inner.notes
    )
    assert lookup(where) == Prediction((), other), "the next run draws the new one"


def test_ctrl_c_at_the_drawn_question_reaches_the_engine_as_ctrl_c() -> None:
    first = FirstPrompt(ScriptedPrompter({}), key(None, None, False), Prediction(NOTES, IMPACT))
    first.interrupted = True
    with pytest.raises(KeyboardInterrupt):
        first.ask(IMPACT)


def test_a_failure_after_the_drawn_question_prints_what_was_typed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from ktcli.errors import UsageError
    from ktcli.ui.terminal import Terminal

    first = FirstPrompt(ScriptedPrompter({}), key(None, None, False), Prediction(NOTES, IMPACT))
    first.reply = "1 in 5 orders lost"
    with pytest.raises(UsageError), first.kept(Terminal()):
        raise UsageError("playbook 'gone' not found")
    assert "not saved, the answer typed: 1 in 5 orders lost" in capsys.readouterr().err


def test_what_comes_from_the_analysis_is_not_recorded() -> None:
    where = key(None, None, False)
    remember(where, Prediction(NOTES, replace(IMPACT, default="an earlier answer")))
    found = lookup(where)
    assert found is not None
    assert found.question.default is None, "a fresh analysis has no answer to offer"


def test_the_drawn_question_completes_from_the_title() -> None:
    where = key(None, None, ticket=False)
    remember(where, Prediction(NOTES, IMPACT))
    inner = ScriptedPrompter({"impact": "lost orders"})
    first = FirstPrompt(inner, where)
    first.draw(lambda: None, lambda: NOW, "connection-pool exhausted at checkout")
    assert first.reply == "lost orders"
    assert inner.asked[0].words == ("checkout", "exhausted", "connection-pool")
