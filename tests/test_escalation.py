"""The pure escalation rules: what is missing, the customer update, versions, diff, closing."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest

from ktcli.core.analysis import record, set_cell
from ktcli.core.model import (
    Action,
    Analysis,
    DataRequest,
    Escalation,
    Fact,
    NeedData,
    OpenQuestion,
    TrueCause,
    Verification,
)
from ktcli.handoff.closing import closing_problems
from ktcli.handoff.missing import MISSING_KINDS, group_missing, missing_items, missing_markdown
from ktcli.handoff.update import customer_update, update_markdown, update_text
from ktcli.handoff.versions import Difference, compare_versions, diff, format_diff
from tests.factories import T0, blank, fact, specified, with_cause


def kinds(a: Analysis) -> list[str]:
    return [m.kind for m in missing_items(a)]


def proven(analysis_id: str = "a1") -> Analysis:
    """Every row answered or marked, c1 verified and confirmed, c2 ruled out, a fix done."""
    a = specified(analysis_id)
    for row in a.specification:
        if isinstance(row.is_not, NeedData):
            row.is_not = fact(f"is not {row.id}")
    answered = [r.id for r in a.specification if r.answered]
    with_cause(a, "c1", {answered[0]: "explains_only_if"})
    with_cause(a, "c2", {answered[1]: "does_not_explain"})
    a.verifications.append(
        Verification(
            id="v1", cause="c1", checks="the deploy log", method="read it", status="confirmed"
        )
    )
    a.true_cause = TrueCause(cause="c1", verifications=["v1"], confirmed_by="bob", confirmed_at=T0)
    a.actions += [
        Action(id="a1", kind="interim", text="restart the pool", status="done"),
        Action(id="a2", kind="corrective", text="roll back build 42", status="done"),
        Action(id="a3", kind="preventive", text="canary every build", status="planned"),
    ]
    return a


# -- what backline would have to ask again -----------------------------------------------------


def test_a_blank_analysis_lists_every_unanswered_row() -> None:
    items = missing_items(blank())
    assert [m.kind for m in items] == ["blank_row"] * 11
    assert items[0].where == "specification.what-object"
    assert "not answered" in items[0].what


def test_need_more_data_cells_name_who_and_how() -> None:
    a = specified()
    need = [m for m in missing_items(a) if m.kind == "need_data"]
    expected = [r.id for r in a.specification if isinstance(r.is_not, NeedData)]
    assert [m.where for m in need] == [f"specification.{r}.is_not" for r in expected]
    assert all("ana: ask the DBA" in m.what for m in need)


def test_an_is_without_its_is_not_is_missing() -> None:
    a = specified()
    set_cell(a, "where-location", "is_not", None)
    items = [m for m in missing_items(a) if m.kind == "no_is_not"]
    assert [m.where for m in items] == ["specification.where-location.is_not"]
    assert "'is where-location'" in items[0].what


def test_untested_causes_name_the_rows() -> None:
    a = specified()
    first = next(r.id for r in a.specification if r.answered)
    with_cause(a, "c1", {first: "untested"})
    items = [m for m in missing_items(a) if m.kind == "untested"]
    assert len(items) == 1
    assert items[0].where == "causes.c1"
    assert items[0].what.endswith(f"not tested against: {first}")


@pytest.mark.parametrize(
    ("verification", "listed"),
    [(None, True), ("planned", True), ("confirmed", False), ("refuted", False)],
)
def test_assumptions_are_missing_until_their_cause_is_verified(
    verification: str | None, listed: bool
) -> None:
    a = specified()
    first = next(r.id for r in a.specification if r.answered)
    with_cause(a, "c1", {first: "explains_only_if"})
    if verification:
        a.verifications.append(
            Verification(id="v1", cause="c1", checks="x", method="y", status=verification)  # type: ignore[arg-type]
        )
    items = [m for m in missing_items(a) if m.kind == "assumption"]
    assert bool(items) is listed
    if listed:
        assert items[0].where == f"causes.c1.tests.{first}"
        assert f"explains_only_if {first}" in items[0].what


def test_a_ruled_out_cause_needs_no_verification_of_its_assumptions() -> None:
    a = specified()
    answered = [r.id for r in a.specification if r.answered]
    with_cause(a, "c1", {answered[0]: "explains_only_if", answered[1]: "does_not_explain"})
    assert "assumption" not in kinds(a)


def test_requests_not_received_and_open_questions() -> None:
    a = specified()
    a.data_requests += [
        DataRequest(id="r1", what="slow query log", requested_from="DBA", asked_at=T0),
        DataRequest(id="r2", what="HAR file", requested_from="customer", received_at=T0),
    ]
    a.open_questions += [
        OpenQuestion(id="q1", text="Which build runs in the US?"),
        OpenQuestion(id="q2", text="Who deployed?", answer="the release bot"),
    ]
    items = {m.where: m for m in missing_items(a) if m.kind in ("not_received", "question")}
    assert set(items) == {"data_requests.r1", "open_questions.q1"}
    assert "slow query log (asked of DBA)" in items["data_requests.r1"].what


def test_a_proven_analysis_misses_nothing() -> None:
    assert missing_items(proven()) == []


def test_items_come_in_the_order_of_the_kinds() -> None:
    a = specified()
    set_cell(a, "where-location", "is_not", None)
    set_cell(a, "when-first", "is", None)
    set_cell(a, "when-first", "is_not", None)
    a.data_requests.append(DataRequest(id="r1", what="log", requested_from="DBA"))
    order = list(MISSING_KINDS)
    got = kinds(a)
    assert got == sorted(got, key=order.index)
    headings = [h for h, _ in group_missing(missing_items(a))]
    assert headings == [MISSING_KINDS[k] for k in dict.fromkeys(got)]  # type: ignore[index]


def test_missing_markdown_escapes_user_text() -> None:
    a = blank()
    a.data_requests.append(
        DataRequest(id="r1", what="log | <script>x</script> *now*", requested_from="DBA")
    )
    text = missing_markdown(missing_items(a))
    line = next(x for x in text.splitlines() if "data_requests.r1" in x)
    assert "\\|" in line
    assert "<script>" not in line
    assert "\\*now\\*" in line
    assert "Nothing:" in missing_markdown([])


# -- the customer's update ---------------------------------------------------------------------

#: Words a customer should never have to decode.
JARGON = (
    "IS NOT", "is_not", "KT1", "c1", "c2", "v1", "need_data", "explains_only_if",
    "does_not_explain", "specification", "verdict", "where-location", "assumption",
    "distinction", "escalat",
)  # fmt: skip


def natural() -> Analysis:
    """``proven()`` with the texts an analyst would write, so that any jargon is ours."""
    a = proven()
    for n, row in enumerate(a.specification):
        for cell in (row.is_, row.is_not):
            if isinstance(cell, Fact):
                cell.text = f"observation {n}"
    texts = {"c1": "a faulty build on the EU hosts", "c2": "the shared network"}
    for cause in a.causes:
        cause.text = texts[cause.id]
        for test in cause.tests.values():
            test.note = "the US hosts use the same network"
    return a


@pytest.mark.parametrize("status", ["open", "escalated", "closed"])
@pytest.mark.parametrize("render", [update_text, update_markdown])
def test_the_update_has_no_internal_jargon(status: str, render: object) -> None:
    a = natural()
    if status != "closed":
        a.true_cause = None
        a.verifications[0].status = "planned"
    a.status = status  # type: ignore[assignment]
    a.escalations.append(Escalation(at=T0, by="ana", to="database team", reason="needs DBA"))
    text = render(customer_update(a, next_update="Tuesday 14:00 CET"))  # type: ignore[operator]
    for word in JARGON:
        assert word not in text, word
    assert "a faulty build on the EU hosts" in text
    flat = " ".join(text.split())
    assert "the shared network: ruled out, because the US hosts use the same network" in flat


def test_the_update_says_what_is_known_ruled_out_next_and_when() -> None:
    a = proven()
    a.true_cause = None
    a.status = "escalated"
    a.escalations.append(Escalation(at=T0, by="ana", to="database", reason="needs DBA"))
    a.data_requests.append(DataRequest(id="r1", what="the slow query log", requested_from="DBA"))
    text = update_text(customer_update(a, next_update="Tuesday 14:00 CET"))
    assert "Order API answers in more than 5 s." in text
    assert "Impact on your business: Orders lost in the EU shop." in text
    assert "Where it happens: is where-location (but not: is not where-location)." in text
    assert "cause c2: ruled out, because does_not_explain" in text
    assert "now with our database team" in text
    assert "leading explanation, not yet proven: cause c1" in text
    assert "waiting for the slow query log from DBA" in text
    assert text.rstrip().endswith("Tuesday 14:00 CET.")
    assert all(len(line) <= 76 for line in text.splitlines())


def test_the_update_keeps_interim_corrective_and_preventive_apart() -> None:
    text = update_text(customer_update(proven()))
    steps = text[text.index("What we are doing next") :]
    interim = steps.index("keep you running in the meantime: restart the pool (done)")
    corrective = steps.index("remove the cause: roll back build 42 (done)")
    preventive = steps.index("stop it from happening again: canary every build (planned)")
    assert interim < corrective < preventive
    assert "We have confirmed the cause: cause c1." in steps


def test_a_refuted_cause_is_ruled_out_with_what_was_checked() -> None:
    a = specified()
    with_cause(a, "c1")
    a.verifications.append(
        Verification(
            id="v1",
            cause="c1",
            checks="the cache hit rate",
            method="dashboard",
            result="unchanged at 98 %",
            status="refuted",
        )
    )
    u = customer_update(a)
    assert u.ruled_out == ["cause c1: ruled out; we checked the cache hit rate: unchanged at 98 %."]
    assert u.next_update == "as soon as we learn something new"


def test_a_closed_case_plans_no_further_update() -> None:
    a = proven()
    a.status = "closed"
    u = customer_update(a)
    assert u.next_update == "none planned"
    assert u.next_steps[-1].startswith("This case is closed.")


def test_the_markdown_update_escapes_user_text() -> None:
    a = blank()
    a.title = "Login | <b>broken</b> [link](http://x)"
    text = update_markdown(customer_update(a))
    first = text.splitlines()[0]
    assert "<b>" not in first
    assert "\\|" in first
    assert "\\[link\\]" in first


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


# -- closing -----------------------------------------------------------------------------------


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


# -- purity ------------------------------------------------------------------------------------


def test_the_rules_import_no_cli_libraries() -> None:
    code = (
        "import sys, ktcli.handoff.missing, ktcli.handoff.update, ktcli.handoff.versions, "
        "ktcli.handoff.closing; "
        "print(sorted(m for m in ('typer', 'questionary', 'click') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
