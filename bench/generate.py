"""Generate large, valid analyses for the benchmarks (pure; no files written here)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from ktcli.core.analysis import new_analysis, record
from ktcli.core.model import Analysis, Cause, CauseTest, Fact, Row

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)
DIMENSIONS = ("what", "where", "when", "extent")


def big_analysis(causes: int = 200, rows: int = 30, *, analysis_id: str = "big") -> Analysis:
    """An analysis with ``rows`` answered rows and ``causes`` causes tested against every row."""
    a = new_analysis(analysis_id, "Generated analysis", who="bench", now=T0, ticket="BENCH-1")
    extra = [
        Row(id=f"extra-{i}", dimension=DIMENSIONS[i % 4], label=f"EXTRA: row {i}")
        for i in range(max(0, rows - len(a.specification)))
    ]
    a.specification = (a.specification + extra)[:rows]
    for i, row in enumerate(a.specification):
        row.is_ = Fact(text=f"observed value {i} on host web-{i:02d}", source="monitoring")
        row.is_not = Fact(
            text=f"closest comparison {i}: host web-{i + 50:02d}",
            source="monitoring",
            status="verified",
            evidence=[f"grafana panel {i}"],
        )
    verdicts = ("explains", "explains_only_if", "does_not_explain")
    for c in range(causes):
        a.causes.append(
            Cause(
                id=f"c{c + 1}",
                text=f"possible cause number {c + 1}: a change in component {c % 17}",
                tests={
                    row.id: CauseTest(
                        verdict=verdicts[(c + i) % 7 % 3],
                        note=f"because component {c % 17} touches row {i} in this way",
                    )
                    for i, row in enumerate(a.specification)
                },
            )
        )
    for n in range(20):
        record(a, "bench", f"step {n}", T0 + timedelta(minutes=n))
    return a
