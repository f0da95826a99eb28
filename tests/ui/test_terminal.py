"""The terminal's piped output: box-drawing made ASCII, the same as a table lookup would."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ktcli.ui.terminal import ascii_lines, plain_lines

BOX = "".join(chr(c) for c in range(0x2500, 0x2580))


def test_every_box_drawing_character_becomes_ascii() -> None:
    out = ascii_lines(f"┌─┐\n│{BOX}│\n└─┘")
    assert out.isascii()
    assert out.startswith("+-+\n|")


@given(st.text(alphabet=st.sampled_from([*BOX, "a", " ", "\n", "é", "✓"])))
def test_the_same_as_translating_with_the_table(text: str) -> None:
    assert ascii_lines(text) == text.translate(plain_lines())
