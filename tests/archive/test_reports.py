"""Recurring problems and resolution times, from the index's cases."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ktcli.archive.html import resolution_csv, resolution_json, resolution_page
from ktcli.archive.index import Case
from ktcli.archive.reports import (
    by_analyst,
    by_product,
    duration,
    percentile,
    recurring,
    resolution,
)
from tests.factories import T0


def case(
    cid: str,
    *,
    obj: str | None = "Order API",
    dev: str | None = "times out",
    cause: str | None = None,
    days: float = 0,
    hours: float | None = None,
    analysts: tuple[str, ...] = ("ana",),
    product: str | None = None,
    effort: int = 0,
) -> Case:
    created = T0 + timedelta(days=days)
    return Case(
        id=cid,
        source="store",
        status="closed" if hours is not None else "open",
        title=f"title {cid}",
        product=product,
        analysts=analysts,
        object=obj,
        deviation=dev,
        true_cause=cause,
        created_at=created,
        closed_at=created + timedelta(hours=hours) if hours is not None else None,
        effort_minutes=effort,
    )


def test_recurring_groups_by_statement_or_true_cause_costliest_first() -> None:
    cases = [
        # Every week, another analyst: the same error, a restart clears it.
        *(
            case(
                f"w{n}",
                obj="Billing app",
                dev="throws error E42",
                days=7 * n,
                analysts=(f"analyst-{n % 8}",),
                effort=70,
            )
            for n in range(8)
        ),
        # Worded otherwise, but the same true cause as the weekly one: one problem.
        case("x1", obj="Invoice run", dev="stops at night", cause="cache full", effort=30),
        case("w-cause", obj="billing APP", dev="throws error E42!", cause="Cache full"),
        case("once", obj="Printer", dev="jams"),
        case("twice-1", obj="VPN", dev="drops", days=1, effort=10),
        case("twice-2", obj="VPN", dev="drops", days=2, effort=5),
    ]
    groups = recurring(cases)
    assert [len(g.cases) for g in groups] == [10, 2]
    weekly = groups[0]
    assert {c.id for c in weekly.cases} >= {"w0", "w7", "x1", "w-cause"}
    assert weekly.hours == pytest.approx((8 * 70 + 30) / 60)
    assert len(weekly.analysts) == 8 + 1  # analyst-0..7 and ana
    assert (weekly.last - weekly.first).days == 49
    assert weekly.causes == ["Cache full", "cache full"]
    assert recurring(cases, minimum=3) == [weekly]


def test_percentiles_are_nearest_rank() -> None:
    values = [float(v) for v in range(1, 11)]
    assert percentile(values, 0.5) == 5
    assert percentile(values, 0.9) == 9
    assert percentile([7.0], 0.9) == 7


def test_resolution_by_product_and_analyst_names_the_slowest() -> None:
    cases = [
        case("a", hours=1, product="web", analysts=("ana", "bo")),
        case("b", hours=3, product="web"),
        case("c", hours=200, product="web", analysts=("bo",)),
        case("d", hours=0.5),
        case("open"),
    ]
    products = resolution(cases, by_product)
    assert [(d.name, d.count) for d in products] == [("web", 3), ("(no playbook)", 1)]
    web = products[0]
    assert (web.median, web.p90, web.maximum) == (3, 200, 200)
    assert web.slowest == [(200, "c"), (3, "b"), (1, "a")]
    assert dict(web.histogram) == {
        "< 1 h": 0,
        "1-4 h": 2,
        "4-24 h": 0,
        "1-3 d": 0,
        "3-7 d": 0,
        "1-4 wk": 1,
        "> 4 wk": 0,
    }
    analysts = {d.name: d.count for d in resolution(cases, by_analyst)}
    assert analysts == {"ana": 3, "bo": 2}


def test_exports_escape_and_never_give_a_mean() -> None:
    evil = case("<b>x</b>", hours=2, product="<script>alert(1)</script>")
    sections = [("by product", resolution([evil], by_product))]
    page = resolution_page(sections, T0)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;x&lt;/b&gt; (2.0 h)" in page
    assert "mean" not in resolution_json(sections)
    assert "<link" not in page, "self-contained"
    assert "src=" not in page, "self-contained"
    assert resolution_csv(sections).splitlines() == [
        "by,name,count,median_hours,p90_hours,max_hours,slowest",
        "product,<script>alert(1)</script>,1,2.00,2.00,2.00,<b>x</b>",
    ]


@pytest.mark.parametrize(
    ("hours", "text"), [(0.25, "15 min"), (5, "5.0 h"), (47.5, "47.5 h"), (72, "3.0 d")]
)
def test_duration(hours: float, text: str) -> None:
    assert duration(hours) == text
