"""The guided protection: steps, rated problems, actions for the serious ones only."""

from __future__ import annotations

from typing import Any

from ktcli.core.gates import check
from ktcli.core.model import Protection
from ktcli.session.engine import run
from ktcli.session.testing import DEFAULT, ScriptedPrompter
from tests.factories import blank
from tests.session.catalogue.test_decide import NOW

SCRIPT: dict[str, Any] = {
    "protect.plan": "Roll out the pool revert, then carry Black Friday traffic on it",
    "protect.step": ["Apply the revert in eu-west-1", "Carry Black Friday traffic", ""],
    "protect.s1.problem": ["Pods times the pool exceed the database limit", ""],
    "protect.p1.probability": "low",
    "protect.p1.seriousness": "high",
    "protect.p1.cause": ["max_connections sized for a pool of 20", ""],
    "protect.p1.preventive": ["Check max_connections against pods times pool", ""],
    "protect.p1.contingent": ["Set the pool to 35 per pod", ""],
    "protect.a2.trigger": "the database refuses connections",
    "protect.a2.owner": "tomas.r",
    "protect.s2.problem": ["Dashboards lag under load", ""],
    "protect.p2.probability": "high",
    "protect.p2.seriousness": "low",
}


def test_a_guided_protection_from_plan_to_triggers() -> None:
    a = blank()
    a.protection = Protection()
    prompter = ScriptedPrompter(SCRIPT)
    run(a, prompter, lambda _: None, who="ana", clock=lambda: NOW, only="protect")
    p = a.protection
    assert [s.id for s in p.steps] == ["s1", "s2"]
    p1 = p.steps[0].problems[0]
    assert (p1.probability, p1.seriousness, p1.causes) == (
        "low",
        "high",
        ["max_connections sized for a pool of 20"],
    )
    assert [(x.id, x.kind, x.trigger, x.owner) for x in a.actions] == [
        ("a1", "preventive", None, None),
        ("a2", "contingent", "the database refuses connections", "tomas.r"),
    ]
    assert p1.actions == ["a1", "a2"]
    # Not serious: rated, and asked nothing more.
    assert not any(i.startswith("protect.p2.c") for i in prompter.ids)
    assert [f.rule for f in check(a) if f.rule >= "KT113"] == []
    assert all(i.startswith("protect.") for i in prompter.ids)


def test_a_rating_kept_with_enter_counts_as_answered() -> None:
    a = blank()
    a.protection = Protection()
    script = {**SCRIPT, "protect.p2.probability": DEFAULT, "protect.p2.seriousness": DEFAULT}
    script["protect.p2.cause"] = [""]
    script["protect.p2.preventive"] = ["Scale the dashboards", ""]
    script["protect.p2.contingent"] = [""]
    prompter = ScriptedPrompter(script)
    run(a, prompter, lambda _: None, who="ana", clock=lambda: NOW, only="protect")
    assert a.protection.steps[1].problems[0].seriousness == "medium"
    assert prompter.ids.count("protect.p2.seriousness") == 1
    assert "protect.p2.preventive" in prompter.ids
