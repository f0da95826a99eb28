"""A small terminal screen for tests: what prompt_toolkit's output leaves on a grid of cells.

It knows the sequences prompt_toolkit writes (relative cursor moves, carriage
return, line feed, erase to end of line and below, attributes, modes), enough
to see where a drawn line breaks; attributes and modes are read and ignored.
"""

from __future__ import annotations

import re

from prompt_toolkit.utils import get_cwidth

CSI = re.compile(
    r"\x1b\[([?>=]?)([0-9;]*)([A-Za-z@`])|\x1b[()][0-9A-Za-z]|\x1b[=>78]|\x1b\][^\x07]*\x07"
)


class Screen:
    """Rows of cells, the cursor, and scrolling when a line feed passes the last row."""

    def __init__(self, rows: int, columns: int) -> None:
        self.rows, self.columns = rows, columns
        self.cells = [[" "] * columns for _ in range(rows)]
        self.y = self.x = 0

    def feed(self, data: str) -> None:
        """Apply what the program wrote."""
        at = 0
        for match in CSI.finditer(data):
            self._text(data[at : match.start()])
            if match.group(3):
                self._csi(match.group(1), match.group(2), match.group(3))
            at = match.end()
        self._text(data[at:])

    def lines(self) -> list[str]:
        """The rows as text, trailing blanks cut; blank rows at the bottom left out."""
        out = ["".join(c for c in row if c).rstrip() for row in self.cells]
        while out and not out[-1]:
            out.pop()
        return out

    def _text(self, text: str) -> None:
        for c in text:
            if c == "\r":
                self.x = 0
            elif c == "\n":
                self._down(1)
            elif c == "\b":
                self.x = max(0, self.x - 1)
            elif c >= " ":
                self._put(c)

    def _put(self, c: str) -> None:
        width = get_cwidth(c)
        if width == 0:
            return
        x = min(self.x, self.columns - width)
        self.cells[self.y][x] = c
        if width == 2:
            self.cells[self.y][x + 1] = ""
        self.x = min(x + width, self.columns - 1) if x + width >= self.columns else x + width

    def _down(self, n: int) -> None:
        for _ in range(n):
            if self.y == self.rows - 1:
                self.cells.pop(0)
                self.cells.append([" "] * self.columns)
            else:
                self.y += 1

    def _csi(self, private: str, params: str, final: str) -> None:
        if private:
            return  # modes: cursor shown, bracketed paste, autowrap...
        n = int(params.split(";")[0] or 1) if final in "ABCD" else 0
        if final == "A":
            self.y = max(0, self.y - n)
        elif final == "B":
            self.y = min(self.rows - 1, self.y + n)
        elif final == "C":
            self.x = min(self.columns - 1, self.x + n)
        elif final == "D":
            self.x = max(0, self.x - n)
        elif final == "K":
            self.cells[self.y][self.x :] = [" "] * (self.columns - self.x)
        elif final == "J":
            self.cells[self.y][self.x :] = [" "] * (self.columns - self.x)
            for row in range(self.y + 1, self.rows):
                self.cells[row] = [" "] * self.columns
        elif final == "H":
            parts = [int(p or 1) for p in params.split(";")] if params else [1, 1]
            self.y, self.x = parts[0] - 1, (parts[1] if len(parts) > 1 else 1) - 1
