"""The changes' questions: each change entered once, its time checked."""

from __future__ import annotations

from typing import Any

from tests.session.scripts import drive, fresh, full_answers


def changes_session(**answers: Any) -> tuple[Any, Any]:
    a = fresh(None)
    script = full_answers()
    script.update(answers)
    _, prompter, _ = drive(a, script)
    return a, prompter


def test_an_impossible_change_time_is_refused_with_an_example_and_asked_again() -> None:
    a, prompter = changes_session(**{"change.ch1.when": ["2026-13-20 13:40", "2026-11-20T13:40Z"]})
    assert prompter.ids.count("change.ch1.when") == 2
    assert (
        "warning",
        "'2026-13-20' is not a date in the calendar; e.g. 2026-11-20 13:40 UTC, or 20 Nov 2026 13:40",
    ) in prompter.notes
    assert a.changes[0].when == "2026-11-20T13:40Z"


def test_a_change_time_without_a_year_is_confirmed_as_this_year() -> None:
    a, prompter = changes_session(
        **{"change.ch1.when": "20 Nov 13:40 UTC", "change.ch1.when.confirm": True}
    )
    q = next(q for q in prompter.asked if q.id == "change.ch1.when.confirm")
    assert q.text == "No year given: record it as 2026-11-20 13:40 UTC (this year, 2026)?"
    assert a.changes[0].when == "2026-11-20 13:40 UTC"


def test_declining_this_year_asks_for_the_year() -> None:
    a, prompter = changes_session(
        **{
            "change.ch1.when": ["11-20 13:40", "2025-11-20 13:40"],
            "change.ch1.when.confirm": False,
        }
    )
    assert prompter.ids.count("change.ch1.when") == 2
    assert ("warning", "Then give the year: e.g. 2026-11-20 13:40 UTC, or 20 Nov 2026 13:40") in (
        prompter.notes
    )
    assert a.changes[0].when == "2025-11-20 13:40"


def test_a_time_that_is_no_date_is_kept_as_typed() -> None:
    a, _ = changes_session(**{"change.ch1.when": "week 47"})
    assert a.changes[0].when == "week 47"


def test_a_change_entered_once_is_linked_to_a_later_distinction() -> None:
    a, prompter = changes_session(
        **{
            "change.d1": "build 42 deployed to the EU pool",
            "change.d2": ["ch1", ""],
            "change.ch1.when": "2026-11-20T13:40Z",
            "cause.from.ch1": "build 42 pools DB connections per host",
            "cause.from.d2": "",
            "cause.from.d1": "",
        }
    )
    first, again = (q for q in prompter.asked if q.id == "change.d2")
    # The change entered at d1 is offered by its id, with its text in view.
    assert "ch1: build 42 deployed to the EU pool" in first.context
    assert first.hint.startswith("type ch1 to link a change entered already")
    # Linked, then asked once more for a change of its own; ch1 is no longer offered.
    assert again.text.startswith("What else changed")
    assert not any(line.startswith("ch1:") for line in again.context)
    assert [c.id for c in a.changes] == ["ch1"]
    d1, d2 = a.distinctions
    assert a.changes[0].distinction == d1.id
    assert a.changes[0].rows == [*d1.rows, *d2.rows]
    assert any(h.what == "linked change ch1 to distinction d2" for h in a.history)
    # Its time is asked once.
    assert prompter.ids.count("change.ch1.when") == 1


def test_linking_a_change_that_is_not_offered_is_refused() -> None:
    a, prompter = changes_session(
        **{
            "change.d1": "build 42 deployed to the EU pool",
            "change.d2": ["ch7", "ch1", ""],
            "change.ch1.when": "2026-11-20T13:40Z",
            "cause.from.ch1": "",
            "cause.from.d2": "",
            "cause.from.d1": "",
        }
    )
    assert ("warning", "no change ch7 to link here (open to link: ch1)") in prompter.notes
    assert len(a.changes[0].rows) == 2
