"""Same problem? Specifications compared row by row, never the titles."""

from __future__ import annotations

import pytest

from ktcli.core.analysis import set_cell
from ktcli.core.model import Analysis, Distinction, Statement
from ktcli.core.similarity import (
    DIFFERENT,
    NOT_SAME,
    SAME,
    UNKNOWN,
    Profile,
    alike,
    compare,
    profile,
)
from tests.factories import blank, fact


def case(
    analysis_id: str, title: str, facts: dict[str, tuple[str, str]], distinction: str = ""
) -> Analysis:
    a = blank(analysis_id)
    a.title = title
    a.statement = Statement(object="Order API", deviation="answers in more than 5 s")
    for row, (is_, is_not) in facts.items():
        set_cell(a, row, "is", fact(is_))
        set_cell(a, row, "is_not", fact(is_not))
    if distinction:
        a.distinctions.append(Distinction(id="d1", text=distinction, rows=[]))
    return a


EU = {
    "where-location": ("shop in region eu-1", "shop in region us-1"),
    "when-first": ("after release 4.2", "before release 4.2"),
}


def test_titles_alike_but_specifications_crossed_is_not_the_same_problem() -> None:
    past = case("past", "Checkout slow", EU)
    # The region that was fine then is the one that is slow now, and the reverse.
    now = case(
        "now",
        "Checkout slow",
        {
            "where-location": ("shop in region us-1", "shop in region eu-1"),
            "when-first": ("after release 4.2", "before release 4.2"),
        },
    )
    cmp = compare(profile(now), profile(past))
    assert cmp.verdict == NOT_SAME
    assert [f.row for f in cmp.contradictions] == ["where-location", "where-location"]
    assert cmp.reasons()[0] == "WHERE: location: IS now, IS NOT then: shop in region us-1"


def test_titles_differ_but_specifications_match_is_likely_the_same_problem() -> None:
    past = case("past", "Checkout slow", EU, distinction="only eu-1 uses the new pool size")
    now = case("now", "Payments time out", EU, distinction="only eu-1 uses the new pool size")
    cmp = compare(profile(now), profile(past))
    assert cmp.verdict == SAME
    assert cmp.contradictions == []
    assert len(cmp.matches) == 5  # the statement and both sides of two rows
    assert cmp.alike_distinctions == [("only eu-1 uses the new pool size",) * 2]
    assert cmp.score == 7


def test_facts_on_the_same_side_that_differ_outweigh_fewer_matches() -> None:
    past = case("past", "x", {"where-location": ("region eu-1", "region us-1")})
    now = case("now", "y", {"where-location": ("region ap-3", "region sa-2")})
    now.statement = Statement(object="Mail relay", deviation="drops messages")
    assert compare(profile(now), profile(past)).verdict == DIFFERENT


def test_nothing_comparable_yet_says_so() -> None:
    past = case("past", "x", {"where-location": ("region eu-1", "region us-1")})
    now = case("now", "x", {"when-first": ("after release 4.2", "before release 4.2")})
    now.statement = None
    cmp = compare(profile(now), profile(past))
    assert cmp.verdict == UNKNOWN
    assert cmp.not_comparable == ["WHEN: first seen"]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("shop in region eu-1", "Shop in region EU-1", True),
        ("shop in region eu-1", "shop in region eu-2", False),  # one identifier apart
        ("error 500 on checkout", "error 502 on checkout", False),
        ("all customers in the EU shop", "customers in the EU shop", True),
        ("printer", "database", False),
        ("after release 4.2", "before release 4.2", False),  # one word of four apart
        ("", "x", False),
    ],
)
def test_alike(a: str, b: str, expected: bool) -> None:
    assert alike(a, b) is expected


def test_a_profile_survives_its_json_form() -> None:
    p = profile(case("past", "Checkout slow", EU, distinction="d"))
    assert Profile.from_data(p.as_data()) == p
    assert "shop in region eu-1" in p.words()


def test_a_reused_fix_is_written_only_once_set_and_read_back() -> None:
    from ktcli.core.document import ExportCache, parse_analysis, to_yaml
    from ktcli.core.model import FixReuse
    from tests.factories import T0, with_cause

    a = case("now", "Checkout slow", EU)
    with_cause(a, "c1")
    assert "fix_reused_from" not in to_yaml(a)
    assert "fix_reused_from" not in to_yaml(a, ExportCache())
    a.fix_reused_from = FixReuse(
        analysis="past",
        source="store",
        verdict=SAME,
        matching=5,
        contradicting=0,
        fix=["pool back to 50"],
        by="ana",
        at=T0,
    )
    text = to_yaml(a, ExportCache())
    assert text.rstrip().splitlines()[-2:] == ["  by: ana", '  at: "2026-11-24T09:00:00Z"']
    assert parse_analysis(text, "x.yaml") == a
