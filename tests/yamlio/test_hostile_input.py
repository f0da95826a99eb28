"""Hostile YAML: tags anywhere, directives, bad bytes, loose types and huge shapes are refused
with file:line:column, quickly."""

from __future__ import annotations

import time

import pytest

from ktcli import yamlio
from ktcli.core.document import parse_analysis, to_yaml
from ktcli.errors import InvalidFileError, InvalidFileErrors
from tests.factories import blank


def refusal(text: str) -> InvalidFileError:
    with pytest.raises(InvalidFileError) as info:
        yamlio.parse(text, "hand.yaml")
    return info.value


# -- tags and directives ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("!!python/object/apply:os.system title: x\n", 1, 1),
        ("a: 1\n!!str b: 2\n", 2, 1),
        ("? !custom k\n: 1\n", 1, 3),
        ("a: !!str 1\n", 1, 4),
        ("a: !!int '1'\n", 1, 4),
        ('a: !!int "٠١"\n', 1, 4),
        ("a: ! 1\n", 1, 4),
        ("a: !!map {b: 1}\n", 1, 4),
        ("a: !!seq [1]\n", 1, 4),
        ("!!map\na: 1\n", 1, 1),
    ],
)
def test_tags_are_refused_anywhere_keys_included(text: str, line: int, column: int) -> None:
    err = refusal(text)
    assert "tag" in err.detail
    assert (err.line, err.column) == (line, column)


def test_tag_directives_are_refused() -> None:
    err = refusal("%TAG !e! tag:example.com,2000:\n---\na: 1\n")
    assert "%TAG directives are not allowed" in err.detail
    assert err.line is not None
    assert err.column is not None


def test_digits_of_other_scripts_are_text_not_numbers() -> None:
    assert yamlio.parse("a: ٠١\n", "f.yaml") == {"a": "٠١"}


# -- every refusal names file:line:column ----------------------------------------------------


def test_invalid_utf8_names_line_and_column() -> None:
    with pytest.raises(InvalidFileError) as info:
        yamlio.decode(b"a: 1\nb: caf\xe9\n", "f.yaml")
    assert (info.value.line, info.value.column) == (2, 7)
    assert info.value.message.startswith("f.yaml:2:7: not UTF-8 text")


def test_invalid_utf8_column_counts_characters_not_bytes() -> None:
    with pytest.raises(InvalidFileError) as info:
        yamlio.decode("é: ".encode() + b"\xff", "f.yaml")
    assert (info.value.line, info.value.column) == (1, 4)


def test_a_nul_byte_names_line_and_column() -> None:
    with pytest.raises(InvalidFileError) as info:
        yamlio.decode(b"a: 1\nb: x\x00y\n", "f.yaml")
    assert info.value.message == "f.yaml:2:5: contains a NUL byte; not a text file"


def test_the_size_refusal_names_line_1_column_1() -> None:
    with pytest.raises(InvalidFileError) as info:
        yamlio.decode(b"x" * 11, "f.yaml", max_bytes=10)
    assert info.value.message.startswith("f.yaml:1:1: file is 11 bytes; the limit is 10 bytes")


def test_mark_of_finds_a_value_or_its_parent() -> None:
    text = "schema_version: 2\nouter:\n  inner: 1\n"
    assert yamlio.mark_of(text, "f", ("schema_version",)) == (1, 17)
    assert yamlio.mark_of(text, "f", ("outer", "inner")) == (3, 10)
    assert yamlio.mark_of(text, "f", ("outer", "missing")) == (3, 3)


def _analysis_text(**changes: str) -> str:
    text = to_yaml(blank("a1"))
    for key, value in changes.items():
        lines = text.splitlines()
        lines = [f"{key}: {value}" if ln.startswith(f"{key}:") else ln for ln in lines]
        text = "\n".join(lines) + "\n"
    return text


# -- size and shape limits -------------------------------------------------------------------


def test_too_many_values_are_refused() -> None:
    inner = "[" + "1," * 999 + "1]"
    text = "a: [" + ",".join([inner] * (yamlio.MAX_NODES // 1000 + 1)) + "]\n"
    err = refusal(text)
    assert f"more than {yamlio.MAX_NODES:,} values" in err.detail
    assert err.line == 1


def test_too_many_items_in_one_list_are_refused_where_the_excess_starts() -> None:
    err = refusal("- 1\n" * (yamlio.MAX_ITEMS + 1))
    assert f"more than {yamlio.MAX_ITEMS:,} items" in err.detail
    assert (err.line, err.column) == (yamlio.MAX_ITEMS + 1, 3)


def test_too_many_keys_in_one_mapping_are_refused() -> None:
    err = refusal("".join(f"k{i}: 1\n" for i in range(yamlio.MAX_ITEMS + 1)))
    assert f"more than {yamlio.MAX_ITEMS:,} items" in err.detail
    assert err.line == yamlio.MAX_ITEMS + 1


def test_a_text_too_long_is_refused() -> None:
    err = refusal("a: b\nc: " + "x" * (yamlio.MAX_STRING + 1) + "\n")
    assert f"the limit is {yamlio.MAX_STRING:,}" in err.detail
    assert (err.line, err.column, err.field) == (2, 4, "c")


def test_many_wrong_items_give_a_capped_list_of_errors_quickly() -> None:
    wrong = "analysts: [" + ", ".join(["1"] * 15_000) + "]\n"
    text = _analysis_text().replace("analysts:\n  - ana\n", wrong)
    assert wrong in text
    start = time.process_time()
    with pytest.raises(InvalidFileErrors) as info:
        parse_analysis(text, "h.yaml")
    assert time.process_time() - start < 5  # a guard against blowing up, not a speed target
    lines = info.value.message.splitlines()
    assert len(lines) == yamlio.MAX_ERRORS + 1
    assert lines[-1].endswith(f"... and {15_000 - yamlio.MAX_ERRORS} more problems")
