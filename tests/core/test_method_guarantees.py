"""The method's guarantees in the pure core (issue 11): ranking, ties, confirming, refuting."""

from __future__ import annotations

import pytest

from ktcli.core.analysis import (
    answered_rows,
    confirm_problems,
    most_probable,
    rank_causes,
    set_test,
    set_verification_status,
    top_tie,
)
from ktcli.core.gates import check
from ktcli.core.model import Analysis, TrueCause, Verification
from ktcli.errors import ConflictError, UsageError
from tests.factories import T0, specified, with_cause


def _rows(a: Analysis, n: int) -> dict[str, str]:
    return {row.id: "does_not_explain" for row in answered_rows(a)[:n]}


def _verify(a: Analysis, vid: str, cause: str, status: str) -> None:
    a.verifications.append(
        Verification(id=vid, cause=cause, checks="it", method="look", status=status)  # type: ignore[arg-type]
    )


def test_ruled_out_causes_rank_by_how_many_facts_contradict_them() -> None:
    a = specified()
    with_cause(a, "c1")
    with_cause(a, "c2", _rows(a, 6))  # contradicts six facts, no assumption
    c3 = with_cause(a, "c3", _rows(a, 1))  # contradicts one fact ...
    for row in answered_rows(a)[1:3]:  # ... and needs two assumptions
        set_test(a, c3.id, row.id, "explains_only_if", "if so")
    assert [r.cause.id for r in rank_causes(a)] == ["c1", "c3", "c2"]


def test_a_refuted_cause_ranks_after_the_contradicted_ones() -> None:
    a = specified()
    with_cause(a, "c1", _rows(a, 3))
    with_cause(a, "c2")
    _verify(a, "v1", "c2", "refuted")
    assert [r.cause.id for r in rank_causes(a)] == ["c1", "c2"]
    assert most_probable(a) is None


def test_a_tie_at_the_top_is_a_tie_with_the_rows_that_do_not_separate() -> None:
    a = specified()
    with_cause(a, "c1")
    with_cause(a, "c2")
    tie = top_tie(a)
    assert tie is not None
    assert [r.cause.id for r in tie.causes] == ["c1", "c2"]
    assert tie.unseparated == tuple(r.id for r in answered_rows(a))
    findings = [f for f in check(a) if f.rule == "KT112"]
    assert len(findings) == 1
    assert "c1 and c2 tie for most probable" in findings[0].message


def test_a_separating_fact_breaks_the_tie() -> None:
    a = specified()
    with_cause(a, "c1")
    c2 = with_cause(a, "c2")
    set_test(a, c2.id, answered_rows(a)[0].id, "explains_only_if", "if the pool is shared")
    assert top_tie(a) is None
    assert not [f for f in check(a) if f.rule == "KT112"]


def test_a_confirmed_verification_of_one_breaks_the_tie() -> None:
    a = specified()
    with_cause(a, "c1")
    with_cause(a, "c2")
    _verify(a, "v1", "c2", "confirmed")
    assert top_tie(a) is None


def test_confirm_refuses_a_contradicted_cause_even_with_a_confirmed_step() -> None:
    a = specified()
    with_cause(a, "c1", _rows(a, 1))
    _verify(a, "v1", "c1", "confirmed")
    problems = confirm_problems(a, "c1")
    assert len(problems) == 1
    assert problems[0].startswith("cause c1 does not explain: ")


def test_confirm_refuses_a_cause_with_a_refuted_step() -> None:
    a = specified()
    with_cause(a, "c1")
    _verify(a, "v1", "c1", "confirmed")
    _verify(a, "v2", "c1", "refuted")
    assert confirm_problems(a, "c1") == ["verification v2 refuted cause c1"]


def test_confirm_accepts_a_proven_cause_that_explains_every_fact() -> None:
    a = specified()
    with_cause(a, "c1")
    _verify(a, "v1", "c1", "confirmed")
    assert confirm_problems(a, "c1") == []


def test_refuting_a_step_of_the_true_cause_withdraws_it() -> None:
    a = specified()
    with_cause(a, "c1")
    _verify(a, "v1", "c1", "confirmed")
    a.true_cause = TrueCause(cause="c1", verifications=["v1"], confirmed_by="ana", confirmed_at=T0)
    said = set_verification_status(a, "v1", "refuted")
    assert a.true_cause is None
    assert said == "verification v1 refuted c1: it is no longer the true cause"


def test_a_verdict_against_a_row_without_facts_is_refused() -> None:
    a = specified()
    with_cause(a, "c1")
    empty = next(r for r in a.specification if not r.answered)
    with pytest.raises(UsageError, match="holds no fact"):
        set_test(a, "c1", empty.id, "explains", "because")


def test_editing_a_closed_analysis_is_an_error_not_a_usage_mistake() -> None:
    from ktcli.core.analysis import ensure_open

    a = specified()
    a.status = "closed"
    with pytest.raises(ConflictError) as info:
        ensure_open(a)
    assert info.value.exit_code == 1
