"""The pure engine: integrity, ranking, most probable cause, quality gates."""

from __future__ import annotations

import pytest

from ktcli.core.analysis import (
    answered_rows,
    integrity_problems,
    most_probable,
    rank_causes,
    remaining_to_verify,
    set_test,
)
from ktcli.core.gates import GATES, check
from ktcli.core.ids import next_id, slug
from ktcli.core.model import (
    Analysis,
    Change,
    Closure,
    Distinction,
    NeedData,
    Statement,
    TrueCause,
    Verification,
)
from ktcli.errors import NotFoundError
from tests.factories import T0, blank, specified, with_cause


def rows(a: Analysis) -> list[str]:
    return [r.id for r in answered_rows(a)]


# -- ranking ------------------------------------------------------------------------------------


def test_answered_rows_are_those_with_a_fact() -> None:
    a = specified()
    assert rows(a) == [r.id for r in a.specification if r.answered]
    assert "when-first" not in rows(a)  # both sides not applicable
    assert blank().specification
    assert not answered_rows(blank())


def test_a_contradicted_cause_ranks_below_every_cause_that_explains_all() -> None:
    a = specified()
    first = rows(a)[0]
    with_cause(a, "c1", {first: "does_not_explain"})  # explains everything else outright
    with_cause(a, "c2", dict.fromkeys(rows(a)[:3], "explains_only_if"))  # three assumptions
    ranked = [r.cause.id for r in rank_causes(a)]
    assert ranked == ["c2", "c1"]
    assert rank_causes(a)[1].standing == "does not explain"


def test_fewer_assumptions_rank_higher() -> None:
    a = specified()
    r = rows(a)
    with_cause(a, "c1", dict.fromkeys(r[:2], "explains_only_if"))
    with_cause(a, "c2", dict.fromkeys(r[:1], "explains_only_if"))
    with_cause(a, "c3")
    assert [x.cause.id for x in rank_causes(a)] == ["c3", "c2", "c1"]
    assert [len(x.assumptions) for x in rank_causes(a)] == [0, 1, 2]


def test_untested_causes_sit_between_complete_and_contradicted() -> None:
    a = specified()
    r = rows(a)
    with_cause(a, "c1", {r[0]: "does_not_explain"})
    with_cause(a, "c2", {r[1]: "untested"})
    with_cause(a, "c3", dict.fromkeys(r[:4], "explains_only_if"))
    ranked = rank_causes(a)
    assert [x.cause.id for x in ranked] == ["c3", "c2", "c1"]
    assert [x.group for x in ranked] == [0, 1, 2]
    assert ranked[1].untested == (r[1],)


def test_ties_keep_the_order_the_causes_were_listed_in() -> None:
    a = specified()
    for cid in ("c1", "c2", "c3"):
        with_cause(a, cid)
    assert [x.cause.id for x in rank_causes(a)] == ["c1", "c2", "c3"]


def test_most_probable_needs_a_cause_that_explains_every_fact() -> None:
    a = specified()
    assert most_probable(a) is None
    with_cause(a, "c1", {rows(a)[0]: "does_not_explain"})
    assert most_probable(a) is None
    with_cause(a, "c2", {rows(a)[0]: "untested"})
    assert most_probable(a) is None
    with_cause(a, "c3", {rows(a)[2]: "explains_only_if"})
    best = most_probable(a)
    assert best is not None
    assert best.cause.id == "c3"


def test_remaining_to_verify_lists_assumptions_and_the_missing_proof() -> None:
    a = specified()
    r = rows(a)
    with_cause(a, "c1", {r[2]: "explains_only_if"})
    todo = remaining_to_verify(a)
    assert todo == [
        f"assumption ({r[2]}): explains_only_if {r[2]}",
        "no confirmed verification of c1 yet",
    ]
    a.verifications.append(
        Verification(
            id="v1", cause="c1", checks="pool size", method="config diff", status="confirmed"
        )
    )
    assert remaining_to_verify(a) == [f"assumption ({r[2]}): explains_only_if {r[2]}"]


def test_set_test_refuses_unknown_cause_and_row() -> None:
    a = specified()
    with_cause(a, "c1")
    with pytest.raises(NotFoundError, match="no cause 'c9'"):
        set_test(a, "c9", "what-object", "explains", "x")
    with pytest.raises(NotFoundError, match="no row 'nope'") as info:
        set_test(a, "c1", "nope", "explains", "x")
    assert info.value.hint is not None
    assert "what-object" in info.value.hint


# -- quality gates ---------------------------------------------------------------------------


def rules(a: Analysis) -> set[str]:
    return {f.rule for f in check(a)}


def complete() -> Analysis:
    """An analysis that passes every gate."""
    a = specified()
    for row in a.specification:
        if isinstance(row.is_not, NeedData):
            row.is_not = row.is_  # close the gap with a fact
    with_cause(a, "c1", {rows(a)[0]: "explains_only_if"})
    with_cause(a, "c2", {rows(a)[1]: "does_not_explain"})
    a.verifications.append(
        Verification(id="v1", cause="c1", checks="assumption", method="test", status="confirmed")
    )
    return a


def test_a_complete_analysis_passes_every_gate() -> None:
    assert check(complete()) == []


def test_gate_ids_are_unique_and_documented() -> None:
    ids = [g.rule for g in GATES]
    assert len(ids) == len(set(ids))
    from tests.conftest import ROOT

    doc = (ROOT / "docs" / "quality-gates.md").read_text(encoding="utf-8")
    for gate in GATES:
        assert f"`{gate.rule}`" in doc
        assert gate.name in doc


def test_kt101_statement_missing() -> None:
    a = complete()
    a.statement = None
    assert rules(a) == {"KT101"}


@pytest.mark.parametrize(
    ("obj", "dev", "rule"),
    [
        ("Order API", "is slow because of the new pool", "KT102"),
        ("Order API", "times out since the upgrade", "KT102"),
        ("Order API", "answers in 5 s due to GC", "KT102"),
        ("Order API and the cart", "answer in more than 5 s", "KT103"),
        ("Order API", "answers in 5 s and drops 2 % of requests", "KT103"),
        ("Order API", "answers in 5 s; logs errors", "KT103"),
    ],
)
def test_statement_gates(obj: str, dev: str, rule: str) -> None:
    a = complete()
    a.statement = Statement(object=obj, deviation=dev)
    assert rules(a) == {rule}


def test_statement_words_inside_other_words_do_not_trip_the_gates() -> None:
    a = complete()
    a.statement = Statement(object="Brandon's store", deviation="shows orders twice")
    assert rules(a) == set()


def test_kt104_row_blank_names_each_row() -> None:
    a = complete()
    a.specification[0].is_ = None
    a.specification[0].is_not = None
    findings = [f for f in check(a) if f.rule == "KT104"]
    assert [f.where for f in findings] == ["specification.what-object.is"]
    assert "IS left blank" in findings[0].message


def test_kt105_is_without_is_not() -> None:
    a = complete()
    a.specification[1].is_not = None
    assert rules(a) == {"KT105"}


def test_kt106_cause_not_tested_against_every_fact() -> None:
    a = complete()
    with_cause(a, "c3", {rows(a)[3]: "untested"})
    findings = [f for f in check(a) if f.rule == "KT106"]
    assert len(findings) == 1
    assert rows(a)[3] in findings[0].message


def test_kt107_closed_without_a_verified_cause() -> None:
    a = complete()
    a.status = "closed"
    a.closure = Closure(at=T0, by="ana")
    assert rules(a) == {"KT107"}
    a.true_cause = TrueCause(cause="c2", confirmed_by="ana", confirmed_at=T0)
    assert "KT107" in rules(a)  # c2 has no confirmed verification
    a.true_cause = TrueCause(cause="c1", verifications=["v1"], confirmed_by="ana", confirmed_at=T0)
    assert rules(a) == set()


def test_kt108_forced_close_is_flagged_forever() -> None:
    a = complete()
    a.status = "closed"
    a.closure = Closure(at=T0, by="ana", forced=True, reason="customer gone")
    assert rules(a) == {"KT108"}
    assert "customer gone" in check(a)[0].message


def test_kt109_true_cause_contradicted_by_a_fact() -> None:
    a = complete()
    a.verifications.append(
        Verification(id="v2", cause="c2", checks="x", method="y", status="confirmed")
    )
    a.true_cause = TrueCause(cause="c2", verifications=["v2"], confirmed_by="ana", confirmed_at=T0)
    assert rules(a) == {"KT109"}


def test_kt110_assumptions_without_a_verification_step() -> None:
    a = complete()
    a.verifications.clear()
    assert rules(a) == {"KT110"}
    a.verifications.append(Verification(id="v1", cause="c1", checks="x", method="y"))
    assert rules(a) == set()  # planned is enough for this gate


def test_kt111_business_impact() -> None:
    a = complete()
    a.business_impact = "  "
    assert rules(a) == {"KT111"}


def test_a_blank_analysis_fails_the_basic_gates() -> None:
    assert rules(blank()) == {"KT101", "KT104", "KT111"}


# -- integrity -------------------------------------------------------------------------------


def test_integrity_finds_broken_references_with_their_location() -> None:
    a = complete()
    a.distinctions.append(Distinction(id="d1", text="EU only", rows=["where-location", "nope"]))
    a.changes.append(Change(id="ch1", text="pool", when="Monday", distinction="d9"))
    a.verifications.append(Verification(id="v1", cause="c9", checks="x", method="y"))
    a.true_cause = TrueCause(cause="c7", verifications=["v5"], confirmed_by="ana", confirmed_at=T0)
    problems = integrity_problems(a)
    assert (("distinctions", 0, "rows", 1), "unknown row 'nope'") in problems
    assert (("changes", 0, "distinction"), "unknown distinction 'd9'") in problems
    assert (("verifications", 1, "id"), "duplicate verification id 'v1'") in problems
    assert (("verifications", 1, "cause"), "unknown cause 'c9'") in problems
    assert (("true_cause", "cause"), "unknown cause 'c7'") in problems
    assert (("true_cause", "verifications", 0), "unknown verification 'v5'") in problems


def test_integrity_of_a_complete_analysis_is_clean() -> None:
    assert integrity_problems(complete()) == []


@pytest.mark.parametrize(
    ("text", "expected"), [("INC-4711 / EU", "inc-4711-eu"), ("  ", ""), ("Ärger!", "rger")]
)
def test_slug(text: str, expected: str) -> None:
    assert slug(text) == expected


def test_next_id_fills_the_first_gap() -> None:
    assert next_id("c", ["c1", "c2", "c4"]) == "c3"
    assert next_id("c", []) == "c1"


def test_a_refuted_verification_rules_a_cause_out() -> None:
    a = specified()
    with_cause(a, "c1")
    with_cause(a, "c2", {rows(a)[0]: "explains_only_if"})
    a.verifications.append(
        Verification(id="v1", cause="c1", checks="leak", method="heap dump", status="refuted")
    )
    ranked = rank_causes(a)
    assert [r.cause.id for r in ranked] == ["c2", "c1"]
    assert ranked[1].refuted == ("v1",)
    assert ranked[1].standing == "refuted by verification"


def test_nothing_remains_to_verify_once_the_true_cause_is_confirmed() -> None:
    a = specified()
    with_cause(a, "c1", {rows(a)[0]: "explains_only_if"})
    a.verifications.append(
        Verification(id="v1", cause="c1", checks="x", method="y", status="confirmed")
    )
    assert remaining_to_verify(a)
    a.true_cause = TrueCause(cause="c1", verifications=["v1"], confirmed_by="ana", confirmed_at=T0)
    assert remaining_to_verify(a) == []
