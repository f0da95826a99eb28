"""Small builders for analyses in tests (pure: no files, no CLI)."""

from __future__ import annotations

from datetime import datetime, timezone

from ktcli.core.analysis import new_analysis, set_cell, set_test
from ktcli.core.model import Analysis, Cause, Fact, NeedData, NotApplicable, Statement

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)


def fact(text: str = "seen", source: str = "monitoring") -> Fact:
    """A reported fact."""
    return Fact(text=text, source=source)


def blank(analysis_id: str = "a1") -> Analysis:
    """A fresh analysis with nothing answered."""
    return new_analysis(analysis_id, "Checkout slow", who="ana", now=T0, ticket="INC-1")


def specified(analysis_id: str = "a1") -> Analysis:
    """Statement and every row answered on both sides; no causes yet."""
    a = blank(analysis_id)
    a.business_impact = "Orders lost in the EU shop"
    a.statement = Statement(object="Order API", deviation="answers in more than 5 s")
    for i, row in enumerate(a.specification):
        if i % 5 == 4:
            set_cell(a, row.id, "is", NotApplicable(reason="one object only"))
            set_cell(a, row.id, "is_not", NotApplicable(reason="one object only"))
        elif i % 7 == 6:
            set_cell(a, row.id, "is", fact(f"is {row.id}"))
            set_cell(a, row.id, "is_not", NeedData(who="ana", how="ask the DBA"))
        else:
            set_cell(a, row.id, "is", fact(f"is {row.id}"))
            set_cell(a, row.id, "is_not", fact(f"is not {row.id}"))
    return a


def with_cause(
    a: Analysis, cause_id: str, verdicts: dict[str, str] | None = None, default: str = "explains"
) -> Cause:
    """Add a cause tested against every answered row (``verdicts`` overrides some rows)."""
    a.causes.append(Cause(id=cause_id, text=f"cause {cause_id}"))
    for row in a.specification:
        if row.answered:
            verdict = (verdicts or {}).get(row.id, default)
            if verdict != "untested":
                set_test(a, cause_id, row.id, verdict, f"{verdict} {row.id}")  # type: ignore[arg-type]
    cause = a.cause(cause_id)
    assert cause is not None
    return cause
