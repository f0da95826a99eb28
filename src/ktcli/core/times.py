"""Times as analysts type them: ISO 8601, or a date that leads a short text (pure).

``iso_time`` reads ISO 8601 (``Z`` allowed; no zone means UTC), for the command
line and the pinned clock alike. ``read_when`` checks the time a change
happened: a date without a year is read as this year, for the analyst to
confirm; an impossible date or time (``2026-13-40``, ``25:70``) is refused with
an example; text that does not start with a date ("week 47", "unknown") is
kept as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timezone

#: What a good answer looks like, for every refusal.
EXAMPLE = "e.g. 2026-11-20 13:40 UTC, or 20 Nov 2026 13:40"

_MONTHS = {
    m: n
    for n, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for m in names
}
_MONTH = r"(?P<mon>[a-z]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"
#: The ways a date leads an answer: ISO, ISO without the year, day and month name, D.M.
_DATES = (
    re.compile(rf"{_YEAR}-(?P<month>\d{{1,2}})-{_DAY}"),
    re.compile(rf"(?P<month>\d{{1,2}})-{_DAY}(?=$|[T\s]+\d)"),
    re.compile(rf"{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR})?(?![a-z])"),
    re.compile(rf"{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?(?![a-z\d])"),
    re.compile(rf"{_DAY}\.(?P<month>\d{{1,2}})\.(?:{_YEAR})?"),
)
_CLOCK = re.compile(r"(?<![\d:])(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?(?![\d:])")


def iso_time(text: str) -> datetime | None:
    """ISO 8601 as a datetime (``Z`` allowed, no zone read as UTC); None when it is not."""
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class When:
    """An answer to "when did it change?", read: what to record, and what to say first."""

    #: The text to record: as typed, or with the date written out in full (year included).
    text: str
    #: Why the answer is refused, with an example; "" when it is not.
    problem: str = ""
    #: The year was not given and is taken as this one: the analyst confirms it.
    assumed_year: int | None = None


def read_when(text: str, now: datetime) -> When:
    """Check a change's time; a date without a year becomes this year's, to be confirmed."""
    text = text.strip()
    lowered = text.lower()
    bad = _bad_clock(lowered)
    for form in _DATES:
        found = form.match(lowered)
        if found is None:
            continue
        parts = found.groupdict()
        month = _month(parts)
        if month is None:
            continue  # "Sunday 3" or a word that is no month: not a date
        year = int(parts["year"]) if parts.get("year") else None
        try:
            day = date(year or now.year, month, int(parts["day"]))
        except ValueError:
            return When(text, f"{text[: found.end()]!r} is not a date in the calendar; {EXAMPLE}")
        if bad:
            return When(text, bad)
        rest = text[found.end() :]
        written = f"{day.isoformat()}{_joined(rest)}"
        if year is None:
            return When(written, assumed_year=now.year)
        return When(text if form is _DATES[0] else written)
    return When(text, bad)


def _month(parts: dict[str, str | None]) -> int | None:
    if parts.get("month"):
        number = int(parts["month"] or 0)
        return number if 1 <= number <= 12 else 0  # 0: refused as not in the calendar
    return _MONTHS.get((parts.get("mon") or "").lower())


def _bad_clock(text: str) -> str:
    """Why a time of day in ``text`` cannot be (``25:00``, ``14:75``); "" when every one can."""
    for found in _CLOCK.finditer(text):
        h, m, s = int(found["h"]), int(found["m"]), int(found["s"] or 0)
        if h > 23 or m > 59 or s > 59:
            return f"{found.group()!r} is not a time of day; {EXAMPLE}"
    return ""


def _joined(rest: str) -> str:
    """What followed the date, joined to the date written out: ``T13:40Z`` or `` 13:40 UTC``."""
    if not rest or rest.startswith("T"):
        return rest
    return " " + rest.lstrip(" ,")
