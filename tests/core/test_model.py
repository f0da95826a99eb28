"""The analysis document: what it accepts and what it refuses."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from pydantic import ValidationError

from ktcli.core.model import (
    SCHEMA_VERSION,
    STANDARD_ROW_IDS,
    Analysis,
    Concern,
    Row,
    Statement,
    derive_priority,
    valid_id,
)
from tests.factories import blank


@pytest.mark.parametrize(
    ("s", "u", "g", "priority"),
    [
        ("high", "high", "high", "high"),
        ("high", "high", "low", "high"),
        ("high", "medium", "medium", "high"),
        ("high", "medium", "low", "medium"),
        ("medium", "medium", "medium", "medium"),
        ("low", "medium", "medium", "medium"),
        ("low", "low", "medium", "low"),
        ("low", "low", "low", "low"),
    ],
)
def test_priority_is_derived(s: str, u: str, g: str, priority: str) -> None:
    assert derive_priority(s, u, g) == priority  # type: ignore[arg-type]
    concern = Concern(id="k1", text="x", seriousness=s, urgency=u, growth=g)  # type: ignore[arg-type]
    assert concern.priority == priority


def test_a_contradicting_priority_is_refused() -> None:
    with pytest.raises(ValidationError, match="must be 'low'"):
        Concern(id="k1", text="x", seriousness="low", urgency="low", growth="low", priority="high")


def test_new_analysis_has_the_eleven_standard_rows_blank() -> None:
    a = blank()
    assert [r.id for r in a.specification] == list(STANDARD_ROW_IDS)
    assert len(STANDARD_ROW_IDS) == 11
    assert all(r.is_ is None and r.is_not is None for r in a.specification)
    assert a.schema_version == SCHEMA_VERSION


def minimal(**extra: Any) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "id": "x1",
        "title": "t",
        "created_at": "2026-11-24T09:00:00Z",
        "updated_at": "2026-11-24T09:00:00Z",
        **extra,
    }


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        ({"colour": "red"}, "Extra inputs are not permitted"),
        ({"schema_version": 4}, "Input should be 3"),
        ({"created_at": "2026-11-24T09:00:00"}, "time zone"),
        ({"id": "../etc"}, "should match pattern"),
        ({"id": "a..b"}, "may not contain '..'"),
        ({"title": ""}, "must not be empty"),
        ({"title": "   "}, "must not be empty"),
        ({"statement": {"object": "API"}}, "Field required"),
        ({"specification": [{"id": "r", "dimension": "how", "label": "x"}]}, "dimension"),
        (
            {
                "specification": [
                    {"id": "r", "dimension": "what", "label": "x", "is": {"kind": "guess"}}
                ]
            },
            "does not match any of the expected tags",
        ),
        (
            {
                "specification": [
                    {
                        "id": "r",
                        "dimension": "what",
                        "label": "x",
                        "is": {"kind": "fact", "text": "t"},
                    }
                ]
            },
            "source",
        ),
        (
            {
                "causes": [
                    {"id": "c1", "text": "t", "tests": {"r": {"verdict": "maybe", "note": "n"}}}
                ]
            },
            "verdict",
        ),
    ],
)
def test_invalid_documents_are_refused(extra: dict[str, Any], words: str) -> None:
    with pytest.raises(ValidationError) as info:
        Analysis.model_validate(minimal(**extra))
    assert words in str(info.value)


def test_row_uses_is_on_disk() -> None:
    row = Row.model_validate(
        {
            "id": "r",
            "dimension": "what",
            "label": "x",
            "is": {"kind": "fact", "text": "t", "source": "s"},
        }
    )
    assert row.answered
    assert "is" in row.model_dump(by_alias=True)


def test_statement_text_is_object_then_deviation() -> None:
    assert (
        Statement(object="Order API", deviation="answers slowly").text == "Order API answers slowly"
    )


@pytest.mark.parametrize(
    ("value", "ok"),
    [("inc-4711", True), ("A.b_c-1", True), ("../x", False), ("a/b", False), ("", False),
     ("-x", False), ("a..b", False), ("x" * 80, True), ("x" * 81, False)],
)  # fmt: skip
def test_valid_id(value: str, ok: bool) -> None:
    assert valid_id(value) is ok


def test_timestamps_keep_their_offset() -> None:
    a = Analysis.model_validate(minimal(created_at="2026-11-24T10:00:00+01:00"))
    assert a.created_at == datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)
    assert a.model_dump(mode="json")["created_at"] == "2026-11-24T10:00:00+01:00"
