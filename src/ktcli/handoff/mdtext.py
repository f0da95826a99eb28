"""Markdown pieces shared by the handoff documents and the terminal: escaping, times, a builder.

Every piece of user text goes through :func:`inline` (or :func:`fence`), so a
pipe never splits a table cell, ``<script>`` stays text, and ``[x](y)`` never
becomes a link. Pure: text in, text out.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ktcli.core.text import clean, escape_block_start
from ktcli.core.vocabulary import RATINGS

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime

    from ktcli.core.model import Concern

#: What a section says when it has nothing in it.
NONE_RECORDED = "_None recorded._"


def when(value: datetime) -> str:
    """A timestamp for people: minutes, with UTC spelled out or the offset kept."""
    offset = value.utcoffset()
    zone = " UTC" if not offset else value.strftime(" %z")
    if zone != " UTC":
        zone = f"{zone[:-2]}:{zone[-2:]}"
    return value.strftime("%Y-%m-%d %H:%M") + zone


def top_priority(concerns: Iterable[Concern]) -> str | None:
    """The highest derived priority among the concerns, or None when there are none."""
    ranked = sorted((c.priority or "low" for c in concerns), key=RATINGS.index)
    return ranked[0] if ranked else None


# -- escaping ----------------------------------------------------------------------------------

# Everything GFM could read as markup inside a paragraph or a table cell. "&" first
# would not matter with translate (one pass), which is why translate is used.
_ESCAPES = str.maketrans(
    {
        "\\": "\\\\",
        "|": "\\|",
        "`": "\\`",
        "*": "\\*",
        "_": "\\_",
        "[": "\\[",
        "]": "\\]",
        "#": "\\#",
        "~": "\\~",
        "<": "&lt;",
        ">": "&gt;",
        "&": "&amp;",
    }
)

#: Multi-line text longer than this, or with more lines, leaves the table for a fenced block.
_LONG = 160
_LINES = 4


def inline(text: str) -> str:
    """User text as one line of literal Markdown, safe in a table cell (newlines become <br>)."""
    one = clean(text.replace("\r\n", "\n")).translate(_ESCAPES)
    # "- x" or "1. step" as a bullet's text would become a nested list: keep it text.
    return "<br>".join(escape_block_start(part.strip()) for part in one.split("\n"))


def fence(text: str, info: str = "text") -> str:
    """A fenced block holding ``text`` verbatim; the fence outruns any backtick run inside."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    bar = "`" * max(3, longest + 1)
    body = clean(text.replace("\r\n", "\n")).rstrip("\n")
    return f"{bar}{info}\n{body}\n{bar}"


def _is_long(text: str) -> bool:
    body = text.strip()
    return "\n" in body and (len(body) > _LONG or body.count("\n") >= _LINES)


class MarkdownDoc:
    """Lines of Markdown, plus long texts waiting to be written after the current table."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._notes: list[tuple[int, str, str]] = []
        self._count = 0

    def text(self, value: str, where: str) -> str:
        """Inline text, or a pointer to a note when it is long and multi-line."""
        if not _is_long(value):
            return inline(value)
        self._count += 1
        self._notes.append((self._count, where, value))
        return f"(see note {self._count} below)"

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def heading(self, level: int, title: str) -> None:
        self.flush()
        if self.lines and self.lines[-1]:
            self.lines.append("")
        self.lines += ["#" * level + " " + title, ""]

    def bullets(self, title: str, items: list[str]) -> None:
        """A section of one bullet per item, or a line saying there are none."""
        self.heading(2, title)
        self.add(*(f"- {item}" for item in items) if items else [NONE_RECORDED])

    def table(self, header: list[str], rows: Iterable[list[str]]) -> None:
        self.lines.append("| " + " | ".join(header) + " |")
        self.lines.append("|" + "|".join(" --- " for _ in header) + "|")
        for row in rows:
            self.lines.append("| " + " | ".join(cell or " " for cell in row) + " |")

    def flush(self) -> None:
        """Write the long texts collected since the last flush, each in its own fenced block."""
        for number, where, value in self._notes:
            self.lines += ["", f"Note {number} ({inline(where)}):", "", fence(value)]
        self._notes.clear()

    def render(self) -> str:
        self.flush()
        return "\n".join(self.lines).rstrip("\n") + "\n"
