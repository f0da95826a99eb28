"""Versions of one analysis: the history-based comparison and the row-by-row diff."""

from __future__ import annotations

from datetime import timedelta

from ktcli.core.analysis import record, set_cell
from ktcli.core.model import Analysis, DataRequest, Fact, OpenQuestion
from ktcli.handoff.versions import Difference, compare_versions, diff, format_diff
from tests.factories import T0, specified, with_cause
from tests.handoff.cases import proven

# -- versions ----------------------------------------------------------------------------------


def later(a: Analysis, what: str, who: str = "bob", minutes: int = 1) -> Analysis:
    b = a.model_copy(deep=True)
    record(b, who, what, T0 + timedelta(minutes=minutes))
    return b


def test_version_relations() -> None:
    base = specified()
    newer = later(base, "tested c1")
    other = later(base, "a different edit", who="carol", minutes=2)
    assert compare_versions(None, base).relation == "new"
    assert compare_versions(base, base.model_copy(deep=True)).relation == "same"
    check = compare_versions(base, newer)
    assert (check.relation, len(check.only_incoming)) == ("newer", 1)
    assert "by 1 entry" in check.explanation
    check = compare_versions(newer, base)
    assert (check.relation, len(check.only_stored)) == ("older", 1)
    assert "bob: tested c1" in check.explanation
    check = compare_versions(newer, other)
    assert check.relation == "diverged"
    assert check.common == len(base.history)
    assert "bob: tested c1" in check.explanation
    assert "carol: a different edit" in check.explanation


def test_same_history_but_different_content_is_not_the_same() -> None:
    base = specified()
    edited = base.model_copy(deep=True)
    edited.title = "edited by hand"
    check = compare_versions(base, edited)
    assert check.relation == "diverged"
    assert "edited without recording it" in check.explanation


# -- diff --------------------------------------------------------------------------------------


def by_where(diffs: list[Difference]) -> dict[str, Difference]:
    return {d.where: d for d in diffs}


def test_identical_analyses_have_no_differences() -> None:
    assert diff(proven(), proven()) == []
    assert format_diff([]) == "no differences\n"


def test_diff_row_by_row() -> None:
    a = specified()
    with_cause(a, "c1")
    b = a.model_copy(deep=True)
    set_cell(b, "where-location", "is_not", Fact(text="US hosts", source="monitoring"))
    b.cause("c1").tests["where-location"].verdict = "does_not_explain"  # type: ignore[union-attr]
    with_cause(b, "c2")
    b.data_requests.append(DataRequest(id="r1", what="log", requested_from="DBA"))
    a.open_questions.append(OpenQuestion(id="q1", text="gone later"))
    b.status = "escalated"
    record(b, "bob", "edited", T0)
    d = by_where(diff(a, b))
    cell = d["specification.where-location.is_not"]
    assert (cell.kind, cell.old, cell.new) == (
        "changed",
        "is not where-location (source: monitoring, reported)",
        "US hosts (source: monitoring, reported)",
    )
    assert cell.label == "WHERE: location / IS NOT"
    assert d["causes.c1.tests.where-location"].new == "does not explain explains where-location"
    assert d["causes.c2"].kind == "added"
    assert d["data_requests.r1"].new == "log from DBA: not received"
    assert d["open_questions.q1"].kind == "removed"
    assert (d["status"].old, d["status"].new) == ("open", "escalated")
    assert d[f"history.{len(a.history)}"].new == "2026-11-24T09:00:00+00:00 bob: edited"
    assert d["analysts"].new == "ana, bob"


def test_diff_of_cause_tests_names_only_those_that_changed() -> None:
    a = specified()
    with_cause(a, "c1")
    b = a.model_copy(deep=True)
    tests = b.cause("c1").tests  # type: ignore[union-attr]
    tests["where-location"].note = "re-tested"
    d = by_where(diff(a, b))
    changed = [w for w in d if w.startswith("causes.c1.tests.")]
    assert changed == ["causes.c1.tests.where-location"]
    assert d["causes.c1.tests.where-location"].new == "explains, because re-tested"


def test_format_diff_marks_each_kind() -> None:
    text = format_diff(
        [
            Difference("a", "A", None, "new"),
            Difference("b", "B", "old", None),
            Difference("c", "C", "x", "y"),
        ]
    )
    assert text == ("+ A  (a)\n    + new\n- B  (b)\n    - old\n~ C  (c)\n    - x\n    + y\n")


def test_diff_covers_true_cause_actions_verifications_and_closure() -> None:
    a = specified()
    b = proven()
    d = by_where(diff(a, b))
    assert {"true_cause", "actions.a1", "actions.a2", "actions.a3", "verifications.v1"} <= set(d)
    assert d["true_cause"].new == "c1, verified by v1 (confirmed by bob)"
