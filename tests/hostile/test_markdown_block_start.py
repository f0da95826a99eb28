"""User text after a bullet's "- " stays text: no nested list, no horizontal rule."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from ktcli.core.text import escape_block_start

MD = MarkdownIt("gfm-like", {"linkify": False})


@pytest.mark.parametrize(
    "text",
    [
        "- nested",
        "+ plus",
        "* star",
        "1. step one",
        "12) twelve",
        "---",
        "- - -",
        "- ",
        "-",
        "  - indented",
    ],
)
def test_a_list_marker_at_the_start_is_text_inside_a_bullet(text: str) -> None:
    tokens = MD.parse(f"- {escape_block_start(text)}\n")
    kinds = [t.type for t in tokens]
    assert kinds.count("bullet_list_open") == 1
    assert "ordered_list_open" not in kinds
    assert "hr" not in kinds
    inline = next(t for t in tokens if t.type == "inline")
    assert inline.content.replace("\\", "") == text.strip()


@pytest.mark.parametrize(
    "text", ["-5 degrees", "1.5 s", "2026-11-24", "plain", "a - b", "100) not a list? it is"]
)
def test_text_that_does_not_start_a_block_is_unchanged(text: str) -> None:
    expected = "100\\) not a list? it is" if text.startswith("100)") else text
    assert escape_block_start(text) == expected
