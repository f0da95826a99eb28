"""Bidi controls and zero-width characters: visible on a terminal, escaped in YAML and JSON."""

from __future__ import annotations

import json

import pytest

from ktcli import yamlio, yamlwrite
from ktcli.core.document import parse_analysis, to_json, to_yaml
from ktcli.core.text import INVISIBLE, clean
from tests.conftest import Run
from tests.factories import blank

CHARS = [
    "\u061c",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2060",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\ufeff",
]


@pytest.mark.parametrize("char", CHARS)
def test_clean_makes_each_invisible_character_visible(char: str) -> None:
    assert clean(f"invoice{char}fdp.exe") == f"invoice\\u{ord(char):04x}fdp.exe"


def test_clean_leaves_ordinary_text_alone() -> None:
    text = "Café – 日本語 – emoji 🙂, tab\tand newline\n"
    assert clean(text) == text


def test_the_emitter_and_the_terminal_agree_on_what_is_invisible() -> None:
    assert INVISIBLE is yamlwrite.INVISIBLE  # defined once, in the writer


@pytest.mark.parametrize("char", CHARS)
@pytest.mark.parametrize("text", ["a{c}b", "line one{c}\nline two\n", "{c}"])
def test_yaml_output_escapes_them_and_reads_back_identical(char: str, text: str) -> None:
    value = text.format(c=char)
    out = yamlwrite.dump({"a": value})
    assert char not in out
    assert f"\\u{ord(char):04x}" in out
    assert yamlio.parse(out, "f.yaml") == {"a": value}


def test_json_output_escapes_them_and_reads_back_identical() -> None:
    a = blank("a1")
    a.title = "total\u202e 001 \u200b"
    out = to_json(a)
    assert "\u202e" not in out
    assert "\u200b" not in out
    assert json.loads(out)["title"] == a.title
    assert parse_analysis(out, "a.json") == a
    assert parse_analysis(to_yaml(a), "a.yaml") == a


def test_show_never_prints_a_raw_override(ktcli: Run) -> None:
    res = ktcli("create", "--title", "refund\u202eexe.txt", "--id", "bidi")
    assert res.code == 0, res.err
    shown = ktcli("show", "bidi")
    assert shown.code == 0, shown.err
    assert "\u202e" not in shown.out + shown.err
    assert "\\u202e" in shown.out
