"""The terminal: piped box-drawing made ASCII, plain lines wrapped at words at a terminal."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ktcli.ui.terminal import ascii_lines, plain_lines, wrap_line

BOX = "".join(chr(c) for c in range(0x2500, 0x2580))


def test_every_box_drawing_character_becomes_ascii() -> None:
    out = ascii_lines(f"┌─┐\n│{BOX}│\n└─┘")
    assert out.isascii()
    assert out.startswith("+-+\n|")


@given(st.text(alphabet=st.sampled_from([*BOX, "a", " ", "\n", "é", "✓"])))
def test_the_same_as_translating_with_the_table(text: str) -> None:
    assert ascii_lines(text) == text.translate(plain_lines())


def test_a_long_line_wraps_at_words_keeping_its_indent_and_its_bullet() -> None:
    line = "  - cause c1 not tested against where-location, where-on-object, when-first"
    assert wrap_line(line, 40).split("\n") == [
        "  - cause c1 not tested against",
        "    where-location, where-on-object,",
        "    when-first",
    ]
    assert wrap_line("short", 40) == "short"


def test_a_command_line_is_left_whole_to_copy() -> None:
    line = "      ktcli fact walk extent-trend ... --side is-not --source ..."
    assert wrap_line(line, 40) == line
