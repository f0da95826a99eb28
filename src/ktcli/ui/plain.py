"""Tables laid out as plain lines, for sections too large for rich's tables. Pure.

rich measures every cell of a table, renders it, and splits the result into
lines; at 200 causes x 30 rows (6,000 grid cells, 4,000 ranking notes) that was
seconds. A :class:`PlainTable` is laid out once, at the width it is drawn at,
by measuring and wrapping strings, and is drawn as segments: it looks like a
``box.SIMPLE_HEAD`` table (a bold header, a rule under it, one space between
columns) and costs time in proportion to the text it holds.

Cells are ``(text, style)`` pairs of text already made safe with
:func:`ktcli.core.text.clean`; a style is a rich style name.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.cells import cell_len, chop_cells
from rich.segment import Segment
from rich.style import Style

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions

Cell = tuple[str, str]
Line = list[Cell]


@dataclass(frozen=True)
class Column:
    """A column: its header, how it fits, and how its cells sit in it."""

    header: str
    #: The share of the width left over that this column takes (0: as wide as its text).
    ratio: int = 0
    #: Never wider than this (0: no limit); wider text wraps.
    max_width: int = 0
    justify: str = "left"


def width_of(text: str) -> int:
    """Terminal cells ``text`` takes (plain ASCII: its length, the common case measured fast)."""
    if text.isascii():
        return len(text)
    known = _WIDTHS.get(text)
    if known is None:
        known = cell_len(text)
        if len(text) < 16:  # symbols and short labels, met again and again
            _WIDTHS[text] = known
    return known


_WIDTHS: dict[str, int] = {}


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells: at spaces, or folded inside a long word."""
    if not text:
        return [""]
    width = max(1, width)
    if "\n" not in text and width_of(text) <= width:
        return [text]
    out: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if width_of(candidate) <= width:
                line = candidate
                continue
            if line:
                out.append(line)
            pieces = chop_cells(word, width) if width_of(word) > width else [word]
            out.extend(pieces[:-1])
            line = pieces[-1]
        out.append(line)
    return out


def _pad(text: str, width: int, justify: str) -> str:
    if not text:
        return " " * width
    gap = width - width_of(text)
    if justify == "center":
        return " " * (gap // 2) + text + " " * (gap - gap // 2)
    if justify == "right":
        return " " * gap + text
    return text + " " * gap


@dataclass
class PlainTable:
    """A table drawn as plain lines; rows are added like a rich table's."""

    columns: Sequence[Column]
    rows: list[list[Cell]] = field(default_factory=list)

    def add_row(self, *cells: Cell) -> None:
        """One row; a missing cell is blank."""
        self.rows.append(list(cells))

    def widths(self, total: int) -> list[int]:
        """Each column's width for a table ``total`` cells wide (one space before and between)."""
        natural = [width_of(c.header) for c in self.columns]
        for row in self.rows:
            for i, (text, _) in enumerate(row):
                longest = max(width_of(p) for p in text.split("\n")) if text else 0
                if longest > natural[i]:
                    natural[i] = longest
        widths = [
            min(n, c.max_width) if c.max_width else n
            for n, c in zip(natural, self.columns, strict=True)
        ]
        flexible = [i for i, c in enumerate(self.columns) if c.ratio]
        spare = total - len(widths) - sum(w for i, w in enumerate(widths) if i not in flexible)
        shares = sum(self.columns[i].ratio for i in flexible)
        for i in flexible:
            widths[i] = min(natural[i], max(4, spare * self.columns[i].ratio // max(1, shares)))
        return widths

    def lines(self, total: int) -> Iterator[Line]:
        """The lines: a blank, the header, a rule, each row's wrapped cells, a blank."""
        widths = self.widths(total)
        yield []  # the blank edges above and below, as rich's SIMPLE_HEAD box draws them
        yield self._line([(c.header, "bold") for c in self.columns], widths)
        yield [(" " + "─" * (sum(widths) + len(widths) - 1), "")]
        for row in self.rows:
            cells = row + [("", "")] * (len(self.columns) - len(row))
            wrapped = [wrap(text, w) for (text, _), w in zip(cells, widths, strict=True)]
            for n in range(max(len(w) for w in wrapped)):
                parts = [
                    (w[n] if n < len(w) else "", s)
                    for w, (_, s) in zip(wrapped, cells, strict=True)
                ]
                yield self._line(parts, widths)
        yield []

    def _line(self, cells: list[Cell], widths: list[int]) -> Line:
        """One line of cells padded to their widths: unstyled runs joined, trailing blanks cut."""
        out: Line = []
        run = ""
        for (text, style), width, column in zip(cells, widths, self.columns, strict=True):
            run += " "
            if style and text:
                if run:
                    out.append((run, ""))
                out.append((_pad(text, width, column.justify), style))
                run = ""
            else:
                run += _pad(text, width, column.justify)
        run = run.rstrip()
        if run:
            out.append((run, ""))
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        styles: dict[str, Style | None] = {"": None}
        for line in self.lines(options.max_width):
            for text, style in line:
                if style not in styles:
                    styles[style] = console.get_style(style)
                yield Segment(text, styles[style])
            yield Segment.line()
