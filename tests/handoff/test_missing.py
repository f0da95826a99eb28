"""What backline would still have to ask: the list, its order, and its Markdown."""

from __future__ import annotations

import pytest

from ktcli.core.analysis import set_cell
from ktcli.core.model import Analysis, DataRequest, NeedData, OpenQuestion, Verification
from ktcli.handoff.missing import MISSING_KINDS, group_missing, missing_items, missing_markdown
from tests.factories import T0, blank, specified, with_cause
from tests.handoff.cases import proven


def kinds(a: Analysis) -> list[str]:
    return [m.kind for m in missing_items(a)]


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
