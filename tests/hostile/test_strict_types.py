"""Strict types: only an integer is a version, only ISO text is a time, only true/false a flag."""

from __future__ import annotations

import pytest

from ktcli.core.document import parse_analysis, to_yaml
from ktcli.errors import InvalidFileError, InvalidFileErrors
from tests.factories import blank


def _analysis_text(**changes: str) -> str:
    text = to_yaml(blank("a1"))
    for key, value in changes.items():
        lines = text.splitlines()
        lines = [f"{key}: {value}" if ln.startswith(f"{key}:") else ln for ln in lines]
        text = "\n".join(lines) + "\n"
    return text


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("schema_version", "true"),
        ("schema_version", "1.0"),
        ("created_at", "1700000000"),
        ("created_at", "'1700000000'"),
        ("created_at", "1.7e9"),
        ("updated_at", "2026-11-24T09:00:00"),
    ],
)
def test_loose_types_are_refused_with_line_and_column(key: str, value: str) -> None:
    text = _analysis_text(**{key: value})
    line = next(n for n, ln in enumerate(text.splitlines(), 1) if ln.startswith(f"{key}:"))
    with pytest.raises(InvalidFileErrors) as info:
        parse_analysis(text, "h.yaml")
    assert info.value.message.startswith(f"h.yaml:{line}:{len(key) + 3}: {key}: ")


def test_an_unsupported_schema_version_names_line_and_column() -> None:
    with pytest.raises(InvalidFileError) as info:
        parse_analysis(_analysis_text(schema_version="4"), "h.yaml")
    assert info.value.message.startswith("h.yaml:2:17: schema_version: ")
    assert "this ktcli reads 1, 2, 3" in info.value.message


@pytest.mark.parametrize("value", ["'1'", "'2'", "true"])
def test_a_version_that_is_not_an_integer_is_refused_with_line_and_column(value: str) -> None:
    with pytest.raises((InvalidFileError, InvalidFileErrors)) as info:
        parse_analysis(_analysis_text(schema_version=value), "h.yaml")
    assert "h.yaml:2:17: schema_version: " in info.value.message


def test_a_flag_is_true_or_false_only() -> None:
    text = _analysis_text().replace("  reopened: false", "  reopened: 'yes'")
    assert "reopened: 'yes'" in text
    with pytest.raises(InvalidFileErrors, match=r"appraisal\.reopened"):
        parse_analysis(text, "h.yaml")


def test_the_strict_types_still_read_what_ktcli_writes() -> None:
    a = blank("a1")
    assert parse_analysis(to_yaml(a), "h.yaml") == a
