"""Tables laid out as plain lines, for sections too large for rich's tables. Pure.

rich measures every cell of a table, renders it, and splits the result into
lines; at 200 causes x 30 rows (6,000 grid cells, 4,000 ranking notes) that was
seconds. A :class:`PlainTable` is laid out once, at the width it is drawn at,
by measuring and wrapping strings: it looks like a ``box.SIMPLE_HEAD`` table (a
bold header, a rule under it, one space between columns) and costs time in
proportion to the text it holds. :meth:`PlainTable.text` draws it as one string
without rich (what ``ktcli show`` prints, see ``ui/terminal.py``); inside other
rich renderables it is drawn as segments, to the same characters.

Cells are ``(text, style)`` pairs of text already made safe with
:func:`ktcli.core.text.clean`; a style is a rich style name.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.cells import cell_len, chop_cells, set_cell_size
from rich.segment import Segment
from rich.style import Style

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions

Cell = tuple[str, str]
Line = list[Cell]
#: A style name's escape codes before and after the text: ``("", "")`` without colour.
Paint = Callable[[str], tuple[str, str]]


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


def _longest_line(text: str) -> int:
    return width_of(text) if "\n" not in text else max(map(width_of, text.split("\n")))


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


def crop(line: Line, total: int) -> Line:
    """``line`` cut to ``total`` cells, as rich cuts a printed line that is too long."""
    length = sum(width_of(text) for text, _ in line)
    if length <= total:
        return line
    out: Line = []
    length = 0
    for text, style in line:
        size = width_of(text)
        if length + size < total:
            out.append((text, style))
            length += size
            continue
        out.append((set_cell_size(text, total - length), style))
        break
    return out


def _fits(cells: list[Cell], widths: list[int]) -> bool:
    """Each cell's text is one line no wider than its column (ASCII measured inline: speed)."""
    for (text, _), width in zip(cells, widths, strict=True):
        if "\n" in text or (len(text) if text.isascii() else width_of(text)) > width:
            return False
    return True


def _pad(text: str, width: int, justify: str) -> str:
    gap = width - (len(text) if text.isascii() else width_of(text))
    if gap <= 0:
        return text
    if justify == "left":
        return text + " " * gap
    if justify == "center":
        return " " * (gap // 2) + text + " " * (gap - gap // 2)
    return " " * gap + text


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
        for i in range(len(self.columns)):
            # Each distinct text measured once: a grid's cells are a few symbols over and over.
            texts = {row[i][0] for row in self.rows if i < len(row)}
            natural[i] = max(natural[i], max(map(_longest_line, texts), default=0))
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
        """The lines: a blank, the header, a rule, each row's wrapped cells, a blank.

        Each fits ``total`` cells: a line wider (columns that cannot shrink, a header
        wider than its column) is cut where rich would cut it.
        """
        widths = self.widths(total)
        if sum(widths) + len(widths) <= total and all(
            width_of(c.header) <= w for c, w in zip(self.columns, widths, strict=True)
        ):
            yield from self._lines(widths)  # every line fits: no line need be measured
            return
        for line in self._lines(widths):
            yield crop(line, total)

    def text(self, total: int, paint: Paint | None = None) -> str:
        """The table as the characters rich would print for it, every line ending in a newline.

        ``paint`` gives each style's escape codes (none: no colour, no bold).
        """
        codes: dict[str, tuple[str, str]] = {}
        # Each styled piece painted once: a grid is a few symbols, over and over.
        painted: dict[Cell, str] = {}
        out: list[str] = []
        for line in self.lines(total):
            for piece in line:
                if piece[1] and piece not in painted:
                    text, style = piece
                    if style not in codes:
                        codes[style] = paint(style) if paint else ("", "")
                    painted[piece] = f"{codes[style][0]}{text}{codes[style][1]}"
            out.append("".join([painted[p] if p[1] else p[0] for p in line]))
        out.append("")
        return "\n".join(out)

    def _lines(self, widths: list[int]) -> Iterator[Line]:
        yield []  # the blank edges above and below, as rich's SIMPLE_HEAD box draws them
        yield self._line([(c.header, "bold") for c in self.columns], widths)
        yield [(" " + "─" * (sum(widths) + len(widths) - 1), "")]
        blanks = [("", "")] * len(self.columns)
        for row in self.rows:
            cells = row + blanks[len(row) :] if len(row) < len(blanks) else row
            if _fits(cells, widths):
                yield self._line(cells, widths)  # the common row: one line, nothing wrapped
                continue
            wrapped = [wrap(text, w) for (text, _), w in zip(cells, widths, strict=True)]
            for n in range(max(map(len, wrapped))):
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
            if not text:
                run += " " * (width + 1)
                continue
            padded = _pad(text, width, column.justify)
            if style:
                out.append((run + " ", ""))
                out.append((padded, style))
                run = ""
            else:
                run += " " + padded
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
