"""Decision Analysis and Potential Problem Analysis: ranking, gates KT113-KT118, migration."""

from __future__ import annotations

from pathlib import Path

import pytest

from ktcli import yamlio
from ktcli.core import deciding
from ktcli.core.analysis import integrity_problems
from ktcli.core.document import parse_analysis, to_data, to_json, to_yaml
from ktcli.core.gates import check
from ktcli.core.model import (
    Action,
    Analysis,
    Choice,
    Decision,
    Must,
    Option,
    PlanStep,
    PotentialProblem,
    Protection,
    Risk,
    Score,
    Screen,
    Want,
)
from ktcli.errors import ConflictError, InvalidFileErrors
from tests.factories import blank

V1 = Path(__file__).parent / "data" / "checkout-latency.v1.yaml"


def decided() -> Analysis:
    """Two MUSTs, two weighted WANTs, three options (one out), the top one chosen."""
    a = blank()
    a.decision = Decision(
        statement="Choose how to roll back, to restore checkout before Friday",
        musts=[Must(id="m1", text="Restores p99 below 1 s"), Must(id="m2", text="No downtime")],
        wants=[
            Want(id="w1", text="Keeps the release's other fixes", weight=8),
            Want(id="w2", text="Fast to apply", weight=5),
        ],
        options=[
            Option(
                id="o1",
                text="Roll back the whole release",
                screens={"m1": Screen(passes=True, fact="canary"), "m2": Screen(passes=True, fact="rolling")},
                scores={"w1": Score(score=2, fact="drops 14 fixes"), "w2": Score(score=9, fact="one click")},
                risks=[Risk(text="Old TLS bug returns", probability="medium", seriousness="high")],
            ),
            Option(
                id="o2",
                text="Revert only the pool setting",
                screens={"m1": Screen(passes=True, fact="v3"), "m2": Screen(passes=True, fact="hot")},
                scores={"w1": Score(score=10, fact="keeps all"), "w2": Score(score=7, fact="5 min")},
                risks=[Risk(text="Another setting matters", probability="low", seriousness="medium")],
            ),
            Option(
                id="o3",
                text="Restart the pods",
                screens={"m1": Screen(passes=False, fact="came back in 20 min"), "m2": Screen(passes=True, fact="rolling")},
            ),
        ],
        choice=Choice(option="o2"),
    )  # fmt: skip
    return a


def protected() -> Analysis:
    """A plan with one serious problem guarded by a preventive and a contingent action."""
    a = blank()
    a.actions = [
        Action(id="a1", kind="preventive", text="Load-test at twice Friday's peak"),
        Action(id="a2", kind="contingent", text="Scale out the pool", trigger="p99 > 2 s", owner="SRE"),
    ]  # fmt: skip
    a.protection = Protection(
        plan="Roll out the pool revert before Black Friday",
        steps=[
            PlanStep(
                id="s1",
                text="Apply in eu-west-1",
                problems=[
                    PotentialProblem(
                        id="p1",
                        text="Black Friday traffic hits the database",
                        probability="medium",
                        seriousness="high",
                        causes=["3x traffic"],
                        actions=["a1", "a2"],
                    ),
                    PotentialProblem(
                        id="p2", text="Dashboard lag", probability="high", seriousness="low"
                    ),
                ],
            )
        ],
    )
    return a


def rules(a: Analysis) -> list[str]:
    return [f.rule for f in check(a) if f.rule >= "KT113"]


# -- Decision Analysis -----------------------------------------------------------------------


def test_musts_screen_out_and_weighted_wants_rank_the_rest() -> None:
    d = decided().decision
    assert d is not None
    ranked = deciding.rank_options(d)
    assert [(r.option.id, r.total, r.out) for r in ranked] == [
        ("o2", 8 * 10 + 5 * 7, False),
        ("o1", 8 * 2 + 5 * 9, False),
        ("o3", 0, True),
    ]
    assert ranked[2].failed == ("m1",)
    assert [r.option.id for r in deciding.leaders(d)] == ["o2", "o1"]
    top = deciding.top_option(d)
    assert top is not None
    assert top.option.id == "o2"


def test_a_tie_at_the_top_has_no_top_option() -> None:
    d = decided().decision
    assert d is not None
    d.options[0].scores = dict(d.options[1].scores)
    assert deciding.top_option(d) is None
    assert deciding.against_ranking(d)


def test_the_worked_decision_passes_every_gate() -> None:
    assert rules(decided()) == []
    assert rules(protected()) == []


def test_kt113_an_option_that_fails_a_must_is_not_kept() -> None:
    a = decided()
    assert a.decision is not None
    a.decision.options[2].scores = {"w2": Score(score=10, fact="instant")}
    a.decision.choice = Choice(option="o3", reason="quickest")
    findings = [f for f in check(a) if f.rule == "KT113"]
    assert [f.message for f in findings] == ["option o3 fails MUST m1 but is still scored"]


def test_kt113_a_chosen_option_that_fails_a_must() -> None:
    a = decided()
    assert a.decision is not None
    a.decision.choice = Choice(option="o3", reason="quickest")
    assert [f.message for f in check(a) if f.rule == "KT113"] == [
        "option o3 fails MUST m1 but is chosen"
    ]


def test_kt114_a_want_without_a_weight() -> None:
    a = decided()
    assert a.decision is not None
    a.decision.wants[1].weight = None
    assert rules(a) == ["KT114"]


@pytest.mark.parametrize("where", ["screens", "scores"])
def test_kt115_a_screen_or_score_without_a_fact(where: str) -> None:
    a = decided()
    assert a.decision is not None
    getattr(a.decision.options[0], where)[("m1" if where == "screens" else "w1")].fact = " "
    assert rules(a) == ["KT115"]


def test_kt116_a_choice_against_the_ranking_needs_a_reason() -> None:
    a = decided()
    assert a.decision is not None
    a.decision.choice = Choice(option="o1")
    found = [f for f in check(a) if f.rule == "KT116"]
    assert [f.message for f in found] == [
        "option o1 was chosen but the top score is o2, and no reason is recorded"
    ]
    a.decision.choice.reason = "the pool revert needs a change window we do not have"
    assert rules(a) == []


def test_weights_and_scores_are_one_to_ten() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="less than or equal to 10"):
        Want(id="w1", text="x", weight=11)
    with pytest.raises(ValidationError, match="greater than or equal to 1"):
        Score(score=0)


def test_out_options_are_refused_for_scoring() -> None:
    d = decided().decision
    assert d is not None
    with pytest.raises(ConflictError, match="fails MUST m1: it is out"):
        deciding.refuse_out_option(d, d.options[2], "score")


# -- Potential Problem Analysis -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("probability", "seriousness", "serious"),
    [
        ("low", "high", True),
        ("medium", "medium", True),
        ("low", "medium", False),
        ("high", "low", False),
    ],
)
def test_which_potential_problems_are_serious(
    probability: str, seriousness: str, serious: bool
) -> None:
    pp = PotentialProblem(id="p", text="t", probability=probability, seriousness=seriousness)  # type: ignore[arg-type]
    assert deciding.is_serious(pp) is serious


def test_kt117_a_serious_problem_without_a_preventive_or_contingent_action() -> None:
    a = protected()
    assert a.protection is not None
    a.protection.steps[0].problems[0].actions = []
    assert [f.message for f in check(a) if f.rule == "KT117"] == [
        "serious potential problem p1 has no preventive or contingent action"
    ]
    # An interim action does not protect a plan.
    a.actions.append(Action(id="a3", kind="interim", text="Restart"))
    a.protection.steps[0].problems[0].actions = ["a3"]
    assert rules(a) == ["KT117"]


def test_kt118_a_contingent_action_without_a_trigger() -> None:
    a = protected()
    a.actions[1].trigger = None
    assert [f.message for f in check(a) if f.rule == "KT118"] == [
        "contingent action a2 has no trigger"
    ]


def test_guarded_maps_actions_to_their_problems() -> None:
    assert deciding.guarded(protected()) == {"a1": ["p1"], "a2": ["p1"]}


# -- integrity -------------------------------------------------------------------------------


def test_references_in_the_decision_and_protection_must_resolve() -> None:
    a = decided()
    assert a.decision is not None
    assert a.decision.choice is not None
    a.decision.options[0].screens["m9"] = Screen(passes=True, fact="x")
    a.decision.choice.option = "o9"
    p = protected()
    assert p.protection is not None
    p.protection.steps[0].problems[1].actions = ["a9"]
    p.protection.steps[0].problems[1].id = "p1"
    assert [m for _, m in integrity_problems(a)] == ["unknown MUST 'm9'", "unknown option 'o9'"]
    assert [m for _, m in integrity_problems(p)] == [
        "duplicate potential problem id 'p1'",
        "unknown action 'a9'",
    ]


def test_a_broken_reference_names_its_line() -> None:
    a = decided()
    assert a.decision is not None
    assert a.decision.choice is not None
    a.decision.choice.option = "o9"
    with pytest.raises(InvalidFileErrors) as err:
        parse_analysis(to_yaml(a), "x.yaml")
    assert "decision.choice.option" in str(err.value)
    assert "x.yaml:" in str(err.value)


# -- the handoff: round trip and migration ---------------------------------------------------------


@pytest.mark.parametrize("build", [decided, protected])
def test_both_round_trip_in_yaml_and_json(build: object) -> None:
    a = build()  # type: ignore[operator]
    for dump in (to_yaml, to_json):
        text = dump(a)
        back = parse_analysis(text, "x")
        assert back == a
        assert dump(back) == text


def test_a_version_1_handoff_imports_unchanged_and_exports_as_version_3() -> None:
    text = V1.read_text(encoding="utf-8")
    assert text.startswith("schema_version: 1\n")
    old = yamlio.parse(text, str(V1))
    a = parse_analysis(text, str(V1))
    assert a.schema_version == 3
    assert a.decision is None
    assert a.protection is None
    new = to_data(a)
    assert new.pop("decision") is None
    assert new.pop("protection") is None
    for action in new["actions"]:
        assert action.pop("trigger") is None
    # Fields added since, optional with their defaults: a request's commands and
    # dismissal, the closure's tracked fix.
    for request in new["data_requests"]:
        assert (request.pop("commands"), request.pop("dismissed")) == ([], None)
    if new["closure"] is not None:
        assert new["closure"].pop("fix_tracked_in") is None
    assert new == {**old, "schema_version": 3}
    assert to_yaml(a).startswith("---\nschema_version: 3\n")


def test_a_newer_version_is_still_refused() -> None:
    from ktcli.errors import InvalidFileError

    with pytest.raises(InvalidFileError, match="schema_version 4 is not supported"):
        parse_analysis("schema_version: 4\nid: x\n", "x.yaml")
