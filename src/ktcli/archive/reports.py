"""Beyond one ticket, in figures: recurring problems, and time to resolution as a distribution.

Pure: both work on the index's :class:`~ktcli.archive.index.Case` list. Never a
mean alone: resolution is counted, its median, 90th percentile and maximum
given, and the slowest analyses named.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ktcli.archive.index import Case

#: Histogram buckets of time to resolution: (upper bound in hours, label).
BUCKETS: tuple[tuple[float, str], ...] = (
    (1, "< 1 h"),
    (4, "1-4 h"),
    (24, "4-24 h"),
    (72, "1-3 d"),
    (168, "3-7 d"),
    (720, "1-4 wk"),
    (math.inf, "> 4 wk"),
)
#: How many of the slowest analyses a group names.
SLOWEST = 3


def _key(text: str | None) -> str:
    """Text compared loosely: case, punctuation and spacing ignored."""
    return " ".join(re.findall(r"\w+", (text or "").lower()))


@dataclass
class Recurring:
    """Analyses of one problem: the same object and deviation, or the same true cause."""

    cases: list[Case]

    @property
    def first(self) -> datetime:
        """When it was first analysed."""
        return min(c.created_at for c in self.cases)

    @property
    def last(self) -> datetime:
        """When it was last analysed."""
        return max(c.created_at for c in self.cases)

    @property
    def analysts(self) -> list[str]:
        """Everyone who worked on one of them, each once."""
        return sorted({a for c in self.cases for a in c.analysts})

    @property
    def hours(self) -> float:
        """Effort recorded on all of them."""
        return sum(c.effort_minutes for c in self.cases) / 60

    @property
    def label(self) -> str:
        """The statement of the latest one, or its true cause."""
        latest = max(self.cases, key=lambda c: c.created_at)
        if latest.object and latest.deviation:
            return f"{latest.object} {latest.deviation}"
        return latest.true_cause or latest.title

    @property
    def causes(self) -> list[str]:
        """The true causes found, each once."""
        return sorted({c.true_cause for c in self.cases if c.true_cause})


def recurring(cases: Iterable[Case], minimum: int = 2) -> list[Recurring]:
    """Groups of at least ``minimum`` analyses of one problem, the costliest first.

    Two analyses are one problem when their object and deviation read the same,
    or their true causes do; the groups are the connected sets of that relation.
    """
    items = list(cases)
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: dict[tuple[str, str], int] = {}
    for i, case in enumerate(items):
        keys = []
        if case.object and case.deviation:
            keys.append(("statement", f"{_key(case.object)} / {_key(case.deviation)}"))
        if case.true_cause:
            keys.append(("cause", _key(case.true_cause)))
        for key in keys:
            if key in seen:
                parent[find(i)] = find(seen[key])
            else:
                seen[key] = i
    groups: dict[int, list[Case]] = {}
    for i, case in enumerate(items):
        groups.setdefault(find(i), []).append(case)
    found = [Recurring(g) for g in groups.values() if len(g) >= minimum]
    found.sort(key=lambda r: (-r.hours, -len(r.cases), r.label))
    return found


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile (q in 0..1) of a non-empty list."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


@dataclass
class Distribution:
    """Time to resolution of one group (a product, an analyst), in hours."""

    name: str
    cases: list[tuple[float, str]] = field(default_factory=list)

    @property
    def hours(self) -> list[float]:
        """Every resolution time."""
        return [h for h, _ in self.cases]

    @property
    def count(self) -> int:
        """How many were resolved."""
        return len(self.cases)

    @property
    def median(self) -> float:
        """The middle resolution time."""
        return percentile(self.hours, 0.5)

    @property
    def p90(self) -> float:
        """Nine in ten were resolved within this."""
        return percentile(self.hours, 0.9)

    @property
    def maximum(self) -> float:
        """The slowest."""
        return max(self.hours)

    @property
    def slowest(self) -> list[tuple[float, str]]:
        """The slowest analyses, by id, slowest first."""
        return sorted(self.cases, key=lambda c: (-c[0], c[1]))[:SLOWEST]

    @property
    def histogram(self) -> list[tuple[str, int]]:
        """How many fall in each of :data:`BUCKETS`."""
        counts = [0] * len(BUCKETS)
        for h in self.hours:
            counts[next(i for i, (upper, _) in enumerate(BUCKETS) if h < upper)] += 1
        return [(label, n) for (_, label), n in zip(BUCKETS, counts, strict=True)]


def _hours(case: Case) -> float | None:
    if case.closed_at is None:
        return None
    return max(0.0, (case.closed_at - case.created_at).total_seconds() / 3600)


def resolution(cases: Iterable[Case], by: Callable[[Case], Iterable[str]]) -> list[Distribution]:
    """Closed analyses grouped by ``by`` (a case may count in several groups), largest first."""
    groups: dict[str, Distribution] = {}
    for case in cases:
        hours = _hours(case)
        if hours is None:
            continue
        for name in by(case):
            groups.setdefault(name, Distribution(name)).cases.append((hours, case.id))
    return sorted(groups.values(), key=lambda d: (-d.count, d.name))


def by_product(case: Case) -> list[str]:
    """The product: the playbook's id, or "(no playbook)"."""
    return [case.product or "(no playbook)"]


def by_analyst(case: Case) -> list[str]:
    """Every analyst who worked on it: each one's distribution counts it."""
    return list(case.analysts) or ["(nobody named)"]


def duration(hours: float) -> str:
    """Hours for people: minutes under an hour, hours under two days, days after."""
    if hours < 1:
        return f"{round(hours * 60)} min"
    if hours < 48:
        return f"{hours:.1f} h"
    return f"{hours / 24:.1f} d"
