"""Times as analysts type them: checked, a missing year confirmed, nonsense refused."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from ktcli.core.times import When, iso_time, read_when

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-18T14:02Z",
        "2026-11-18 14:02 UTC",
        "2026-11-18",
        "week 47",
        "unknown",
        "3-4 days before the alert",
        "Sunday night",
        "after the 14:00 deploy",
    ],
)
def test_a_full_date_or_free_text_is_kept_as_typed(text: str) -> None:
    assert read_when(text, NOW) == When(text)


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("11-18", "2026-11-18"),
        ("11-18 14:02 UTC", "2026-11-18 14:02 UTC"),
        ("18 Nov", "2026-11-18"),
        ("18th November 14:02", "2026-11-18 14:02"),
        ("Nov 18, 14:02 UTC", "2026-11-18 14:02 UTC"),
        ("18.11.", "2026-11-18"),
    ],
)
def test_a_date_without_a_year_is_read_as_this_year_to_be_confirmed(
    text: str, written: str
) -> None:
    when = read_when(text, NOW)
    assert (when.text, when.assumed_year, when.problem) == (written, 2026, "")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2026-13-40", "'2026-13-40' is not a date in the calendar"),
        ("2026-02-30 10:00", "'2026-02-30' is not a date in the calendar"),
        ("31 Feb", "'31 Feb' is not a date in the calendar"),
        ("2026-11-18 25:00", "'25:00' is not a time of day"),
        ("18 Nov 14:75", "'14:75' is not a time of day"),
        ("14:75", "'14:75' is not a time of day"),
    ],
)
def test_an_impossible_date_or_time_is_refused_with_an_example(text: str, problem: str) -> None:
    when = read_when(text, NOW)
    assert when.problem.startswith(problem)
    assert when.problem.endswith("e.g. 2026-11-20 13:40 UTC, or 20 Nov 2026 13:40")


def test_iso_time_reads_z_and_takes_utc_when_no_zone_is_given() -> None:
    assert iso_time("2026-11-18T14:02Z") == datetime(2026, 11, 18, 14, 2, tzinfo=timezone.utc)
    assert iso_time("2026-11-18") == datetime(2026, 11, 18, tzinfo=timezone.utc)
    assert iso_time("last tuesday") is None
