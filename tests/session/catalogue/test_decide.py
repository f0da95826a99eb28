"""The guided decision: every question asked once, an option out is asked nothing more."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from ktcli.core import deciding
from ktcli.core.gates import check
from ktcli.core.model import Analysis, Decision
from ktcli.session.engine import run
from ktcli.session.testing import DEFAULT, ScriptedPrompter
from tests.factories import blank

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)

#: A short decision: one MUST, two WANTs, three options (one out), two leaders' risks.
SCRIPT: dict[str, Any] = {
    "decide.statement": "Choose what to roll back, to restore checkout today",
    "decide.must": ["p99 order creation below 1 s", ""],
    "decide.want": ["Keeps the other settings of the release", "Applied within 15 minutes", ""],
    "decide.w1.weight": "8",
    "decide.w2.weight": ["11", "5"],
    "decide.option": ["Roll back the whole release", "Revert only the pool setting", "Restart pods", ""],
    "decide.o1.m1": "pass",
    "decide.o1.m1.fact": "canary at 0.4 s",
    "decide.o2.m1": "pass",
    "decide.o2.m1.fact": "canary with pool 50 at 0.4 s",
    "decide.o3.m1": "fail",
    "decide.o3.m1.fact": "p99 at 3 s again 20 minutes later",
    "decide.o1.w1": "2",
    "decide.o1.w1.fact": "drops 11 settings",
    "decide.o1.w2": "9",
    "decide.o1.w2.fact": "one command",
    "decide.o2.w1": ["ten", "10"],
    "decide.o2.w1.fact": "keeps every setting",
    "decide.o2.w2": "7",
    "decide.o2.w2.fact": "one-line release",
    "decide.o2.risk": ["Another setting of the release limits connections too", ""],
    "decide.o2.risk1.probability": "low",
    "decide.o2.risk1.seriousness": DEFAULT,
    "decide.o1.risk": [""],
    "decide.choice": DEFAULT,
    "decide.reason": "top score, one low risk",
}  # fmt: skip


def drive(a: Analysis, script: dict[str, Any]) -> ScriptedPrompter:
    prompter = ScriptedPrompter(script)
    run(a, prompter, lambda _: None, who="ana", clock=lambda: NOW, only="decide")
    return prompter


def test_a_guided_decision_from_statement_to_choice() -> None:
    a = blank()
    a.decision = Decision()
    prompter = drive(a, SCRIPT)
    d = a.decision
    assert d.statement == SCRIPT["decide.statement"]
    assert [(w.id, w.weight) for w in d.wants] == [("w1", 8), ("w2", 5)]
    assert [(r.option.id, r.total, r.out) for r in deciding.rank_options(d)] == [
        ("o2", 115, False),
        ("o1", 61, False),
        ("o3", 0, True),
    ]
    assert d.options[1].risks[0].probability == "low"
    assert d.choice is not None
    assert (d.choice.option, d.choice.reason, d.choice.by) == (
        "o2",
        "top score, one low risk",
        "ana",
    )
    assert [f.rule for f in check(a) if f.rule >= "KT113"] == []
    # Screened out: never scored, never weighed.
    assert not any(i.startswith(("decide.o3.w", "decide.o3.risk")) for i in prompter.ids)
    # Leaders' risks come before the choice.
    assert prompter.ids.index("decide.o1.risk") < prompter.ids.index("decide.choice")
    assert prompter.ids[-1] == "decide.reason"
    # Only the decision is asked: not the problem analysis, and it is not marked complete.
    assert all(i.startswith("decide.") for i in prompter.ids)
    assert "complete" not in a.progress


def test_a_number_outside_one_to_ten_is_asked_again() -> None:
    a = blank()
    a.decision = Decision()
    prompter = drive(a, SCRIPT)
    assert prompter.ids.count("decide.w2.weight") == 2
    assert prompter.ids.count("decide.o2.w1") == 2


def test_a_choice_against_the_ranking_must_say_why() -> None:
    a = blank()
    a.decision = Decision()
    prompter = drive(a, {**SCRIPT, "decide.choice": "o1", "decide.reason": "no change window"})
    q = next(q for q in prompter.asked if q.id == "decide.reason")
    assert q.required
    assert q.text == "It is not the top score: why this one?"
    assert a.decision.choice is not None
    assert a.decision.choice.reason == "no change window"


def test_free_text_is_probed() -> None:
    a = blank()
    a.decision = Decision()
    script = {**SCRIPT, "decide.must": ["Everything fast again", ""], "decide.must.refine": DEFAULT}
    prompter = drive(a, script)
    assert any(kind == "probe" and "'Everything'" in text for kind, text in prompter.notes)
    assert a.pitfalls[0].field == "decision.musts"


def test_no_decision_no_questions() -> None:
    from ktcli.session.catalogue import items

    assert not [i for i in items(blank()) if i.question.section == "decide"]
