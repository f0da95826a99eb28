"""The safe YAML layer: YAML 1.2 meanings, refusals with file:line:column, exact round trips."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ktcli import yamlio, yamlwrite
from ktcli.errors import InvalidFileError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: NO", "NO"),
        ("a: no", "no"),
        ("a: on", "on"),
        ("a: yes", "yes"),
        ("a: y", "y"),
        ("a: 12:30:00", "12:30:00"),
        ("a: 2026-11-24", "2026-11-24"),
        ("a: true", True),
        ("a: FALSE", False),
        ("a: 0x1F", 31),
        ("a: 0o17", 15),
        ("a: 017", 17),
        ("a: -3", -3),
        ("a: 1.5", 1.5),
        ("a: ~", None),
        ("a: null", None),
        ("a:", None),
        ('a: "NO"', "NO"),
        ("a: '007'", "007"),
    ],
)
def test_yaml_1_2_meanings(text: str, expected: Any) -> None:
    assert yamlio.parse(text, "f.yaml") == {"a": expected}


def test_keys_keep_their_text() -> None:
    assert yamlio.parse("NO: 1\n123: 2\ntrue: 3\n", "f.yaml") == {"NO": 1, "123": 2, "true": 3}


def refusal(text: str) -> InvalidFileError:
    with pytest.raises(InvalidFileError) as info:
        yamlio.parse(text, "hand.yaml")
    return info.value


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("a: 1\nb: 2\na: 3\n", 3, 1, "duplicate key"),
        ("a: &x [1, 2]\n", 1, 4, "anchors"),
        ("a: [1]\nb: *x\n", 2, 4, "aliases"),
        ("a: !!python/object:os.system ls\n", 1, 4, "tag"),
        ("a: !custom 1\n", 1, 4, "tag"),
        ("a: !!binary aGVsbG8=\n", 1, 4, "tag"),
        ("a: 1\n---\nb: 2\n", 2, 1, "one YAML document"),
        ("a: [1, 2\nb: 3\n", 2, 2, "not valid YAML"),
        ("a:\n  - b\n c: d\n", 3, 2, "not valid YAML"),
        ("? [a, b]\n: 1\n", 1, 3, "keys must be plain text"),
        ("<<: {a: 1}\n", None, None, None),
    ],
)
def test_refusals_name_line_and_column(
    text: str, line: int | None, column: int | None, words: str | None
) -> None:
    if words is None:  # a merge key is just an unknown field name, left for validation
        assert yamlio.parse(text, "hand.yaml") == {"<<": {"a": 1}}
        return
    err = refusal(text)
    assert words in err.detail
    assert (err.line, err.column) == (line, column)
    assert err.message.startswith(f"hand.yaml:{line}:{column}: ")
    assert "\n" not in err.message


def test_duplicate_key_names_the_field() -> None:
    err = refusal("outer:\n  inner: 1\n  inner: 2\n")
    assert err.message == "hand.yaml:3:3: outer.inner: duplicate key"


def test_alias_bomb_is_refused_before_it_expands() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8)
    )
    start = time.perf_counter()
    err = refusal(bomb)
    assert time.perf_counter() - start < 5  # a guard against hanging, not a speed target
    assert err.line == 1
    assert "anchors" in err.detail


@pytest.mark.parametrize(
    "text",
    [
        # libyaml's own composer recurses and crashes the interpreter on this input; newer
        # libyaml refuses it at depth 1000 while scanning ahead, before our guard can speak.
        "[" * 100_000 + "]" * 100_000,
        "[" * 1_001 + "]" * 1_001,
        "{a: " * 2_000 + "1" + "}" * 2_000,
        "[" * 65 + "]" * 65,
        "".join(f"{'  ' * i}k{i}:\n" for i in range(70)) + "  " * 70 + "v\n",
    ],
    ids=["flow-100k", "flow-1001", "flow-map-2000", "flow-65", "block-70"],
)
def test_deep_nesting_is_refused_with_our_message(text: str) -> None:
    err = refusal(text)
    assert err.detail == "nested deeper than 64 levels"
    assert err.line is not None
    assert err.column is not None
    assert err.message.startswith(f"hand.yaml:{err.line}:{err.column}: ")


def test_nesting_at_the_limit_is_accepted() -> None:
    data = yamlio.parse("[" * 64 + "]" * 64, "hand.yaml")
    depth = 0
    while isinstance(data, list) and data:
        data = data[0]
        depth += 1
    assert depth == 63


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"a: \xff\xfe\n", "not UTF-8"),
        (b"a: b\x00c\n", "NUL"),
        (b"x" * 101, "limit is 100 bytes"),
    ],
)
def test_decode_refuses(raw: bytes, words: str) -> None:
    with pytest.raises(InvalidFileError) as info:
        yamlio.decode(raw, "f.yaml", max_bytes=100)
    assert words in info.value.message


def test_read_refuses_oversized_files_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * 200 + b"\n")
    with pytest.raises(InvalidFileError, match="limit is 100 bytes"):
        yamlio.read(big, max_bytes=100)


@pytest.mark.parametrize(
    ("name", "words"), [("missing.yaml", "no such file"), (".", "is a directory")]
)
def test_read_reports_missing_files(tmp_path: Path, name: str, words: str) -> None:
    with pytest.raises(InvalidFileError, match=words):
        yamlio.read(tmp_path / name)


def test_byte_order_mark_is_accepted() -> None:
    assert yamlio.parse(yamlio.decode(b"\xef\xbb\xbfa: 1\n", "f"), "f") == {"a": 1}


def test_marks_record_every_value() -> None:
    marks: dict[yamlio.Path_, tuple[int, int]] = {}
    yamlio.parse("a:\n  b: [1, {c: x}]\n", "f", marks=marks)
    assert marks[("a", "b", 1, "c")] == (2, 14)
    assert marks[("a",)] == (2, 3)


# -- writing ---------------------------------------------------------------------------------


def test_dump_is_block_style_in_the_given_order() -> None:
    data = {
        "schema_version": 1,
        "z": "NO",
        "text": "line one\nline two",
        "items": [{"a": 1, "b": None, "c": [{"x": "y"}], "d": {}}],
        "empty": [],
        "label": "WHAT: object",
    }
    assert yamlwrite.dump(data) == (
        "---\n"
        "schema_version: 1\n"
        'z: "NO"\n'
        "text: |-\n"
        "  line one\n"
        "  line two\n"
        "items:\n"
        "  - a: 1\n"
        "    b: null\n"
        "    c:\n"
        '      - x: "y"\n'
        "    d: {}\n"
        "empty: []\n"
        'label: "WHAT: object"\n'
    )


@pytest.mark.parametrize(
    "text",
    [
        "word " * 40,
        ("word " * 40).strip(),
        "a  b " * 30 + "end",
        "x" * 200,
        "one line\n" + ("two " * 40).strip() + "\n\n\nthree",
        "ends with a newline " * 10 + "\n",
        "- starts like a list item, has: a colon and # a hash " * 3,
        "tab\t after a word " * 10,
        "trailing space on a long line " * 5 + " ",
        "  leading space on a long line " * 5,
    ],
)
def test_long_text_folds_into_lines_of_80_and_reads_back_the_same(text: str) -> None:
    data = {"items": [{"text": text}], "top": text}
    dumped = yamlwrite.dump(data)
    assert yamlio.parse(dumped, "f") == data
    if not text.startswith(" ") and not text.rstrip("\n").endswith(" ") and "  " not in text:
        assert all(len(line) <= 80 or " " not in line.strip() for line in dumped.splitlines())


@pytest.mark.parametrize(
    "value",
    [
        "",
        " leading space",
        "trailing space ",
        "yes",
        "null",
        "~",
        "123",
        "1e5",
        "- dash",
        "key: value",
        "# hash",
        "a # b",
        "[x]",
        "{x}",
        "@at",
        "`tick`",
        "'single'",
        '"double"',
        "tab\there",
        "\x1b[2J clear",
        "\x85 next line",
        "\u2028 separator",
        "\u202e bidi",
        "C1 \x9b control",
        "multi\nline\n",
        "multi\n\nblank lines\n\n",
        "\nstarts with newline",
        "\n",
        "\n\nx",
        "a\n \n",
        "\n 0",
        "\n\n  x\ny",
        "  indented\nfirst line",
        "ends with spaces   \nand more  ",
        "crlf\r\nline",
        "emoji 🚀 and ünïcödé",
        "\ufeffbom",
    ],
)
def test_dump_round_trips_awkward_strings(value: str) -> None:
    data = {"k": value, "l": [value], "m": {"n": value}}
    assert yamlio.parse(yamlwrite.dump(data), "f") == data


plain_data = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(st.characters(exclude_categories=("Cs",)), max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.text(st.characters(exclude_categories=("Cs",)), max_size=8), children, max_size=4
        )
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=8), plain_data, max_size=5))
def test_dump_then_parse_is_identity(data: dict[str, Any]) -> None:
    text = yamlwrite.dump(data)
    assert yamlio.parse(text, "f") == data
    # The cache only skips work; it never changes the output.
    cache: yamlwrite.Cache = {}
    assert yamlwrite.dump(data, cache) == text
    assert yamlwrite.dump(data, cache) == text


def test_raw_control_characters_are_refused_with_their_position() -> None:
    err = refusal("a: 1\nb: x\x7fy\n")
    assert (
        err.message == "hand.yaml:2:5: character U+007F is not allowed in YAML; write it as \\u007f"
    )


def test_escape_unprintable_keeps_json_valid() -> None:
    import json

    text = json.dumps({"k": "a\x7fb\x85c\u2028d"}, ensure_ascii=False)
    escaped = yamlwrite.escape_unprintable(text)
    assert json.loads(escaped) == {"k": "a\x7fb\x85c\u2028d"}
    assert yamlio.parse(escaped, "f") == {"k": "a\x7fb\x85c\u2028d"}
