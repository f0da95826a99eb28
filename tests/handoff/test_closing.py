"""The closing rules: proof, the fix, and the customer's word."""

from __future__ import annotations

import pytest

from ktcli.core.model import Analysis
from ktcli.handoff.closing import closing_problems
from tests.factories import specified
from tests.handoff.cases import proven


def problem_kinds(a: Analysis, confirmation: str | None = "works again, says Jo") -> list[str]:
    return [p.kind for p in closing_problems(a, confirmation)]


def test_a_proven_analysis_with_confirmation_may_close() -> None:
    assert problem_kinds(proven()) == []


def test_nothing_proven_lists_every_requirement() -> None:
    assert problem_kinds(specified(), None) == ["true_cause", "corrective", "confirmation"]


@pytest.mark.parametrize("confirmation", [None, "", "   "])
def test_the_customer_must_confirm(confirmation: str | None) -> None:
    assert problem_kinds(proven(), confirmation) == ["confirmation"]


@pytest.mark.parametrize("status", ["planned", "refuted"])
def test_the_true_cause_needs_a_confirmed_recorded_verification(status: str) -> None:
    a = proven()
    a.verifications[0].status = status  # type: ignore[assignment]
    assert problem_kinds(a) == ["verification"]


def test_a_confirmed_verification_not_recorded_on_the_true_cause_does_not_count() -> None:
    a = proven()
    assert a.true_cause is not None
    a.true_cause.verifications = []
    assert problem_kinds(a) == ["verification"]


@pytest.mark.parametrize(
    "kinds_left", [(), ("interim",), ("preventive",), ("interim", "preventive")]
)
def test_only_a_corrective_action_counts_as_the_fix(kinds_left: tuple[str, ...]) -> None:
    a = proven()
    a.actions = [x for x in a.actions if x.kind in kinds_left]
    problems = closing_problems(a, "fine")
    assert [p.kind for p in problems] == ["corrective"]
    if "interim" in kinds_left:
        assert (
            "interim action(s) restore service but do not remove the cause" in problems[0].message
        )
