"""The only place that prints. Data goes to stdout, messages and prompts to stderr."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from ktcli.core.text import clean

if TYPE_CHECKING:
    from rich.console import Console

    from ktcli.ui.plain import PlainTable

_SGR = {"green": "32", "yellow": "33", "bold red": "1;31", "dim": "2"}


def _plain_line(char: str) -> str:
    # Box-drawing block U+2500-U+257F: horizontals, verticals, then every corner and joint.
    import unicodedata

    name = unicodedata.name(char, "")
    if "HORIZONTAL" in name and "VERTICAL" not in name and ("AND" not in name):
        return "-"
    if "VERTICAL" in name and "HORIZONTAL" not in name and ("AND" not in name):
        return "|"
    return "+"


@cache
def plain_lines() -> dict[int, str]:
    """Piped output is plain: box-drawing lines become ASCII (KTCLI_BOX=1 keeps them)."""
    return {c: _plain_line(chr(c)) for c in range(0x2500, 0x2580)}


def ascii_lines(text: str) -> str:
    """``text`` with its box-drawing characters as ASCII.

    Each character that occurs is replaced in one pass of ``str.replace``: eight
    times faster than ``str.translate`` with a table, which looks up every
    character of a long ``show`` in Python.
    """
    import re

    table = plain_lines()
    for char in set(re.findall("[\u2500-\u257f]", text)):
        text = text.replace(char, table[ord(char)])
    return text


def _pieces(renderables: Iterable[Any]) -> Iterator[list[Any] | PlainTable]:
    """Groups opened: each plain table alone, and the renderables between them in lists."""
    from rich.console import Group

    from ktcli.ui.plain import PlainTable

    run: list[Any] = []
    for item in renderables:
        if isinstance(item, Group):
            for piece in _pieces(item.renderables):
                if isinstance(piece, list):
                    run += piece
                else:
                    if run:
                        yield run
                        run = []
                    yield piece
        elif isinstance(item, PlainTable):
            if run:
                yield run
                run = []
            yield item
        else:
            run.append(item)
    if run:
        yield run


def _run_pager(text: str) -> bool:
    """Page ``text`` with $PAGER (default less, colours kept); False when none can run."""
    import shlex
    import subprocess

    command = shlex.split(os.environ.get("PAGER") or "less")
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")  # quit on one screen, keep colours, leave the text on screen
    try:
        subprocess.run(command, input=text, text=True, env=env, check=False)
    except OSError:
        return False
    return True


def color_enabled(stream: Any) -> bool:
    """Colour only for a terminal, and never when NO_COLOR is set or TERM is dumb."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def wrap_line(line: str, width: int) -> str:
    """One line wrapped at words to ``width``, its indent (and a bullet's) kept; commands whole."""
    body = line.lstrip()
    indent = line[: len(line) - len(body)]
    if len(line) <= width or body.startswith("ktcli "):
        return line
    import textwrap

    hang = indent + ("  " if body.startswith(("- ", "+ ", "~ ", "* ")) else "")
    return "\n".join(
        textwrap.wrap(
            body,
            width,
            initial_indent=indent,
            subsequent_indent=hang,
            break_on_hyphens=False,
        )
    )


class Terminal:
    """stdout for data and renderables; stderr for messages, warnings and errors."""

    def __init__(self, out: Console | None = None, err: Console | None = None) -> None:
        self._out = out
        self._err = err

    @property
    def out(self) -> Console:
        """The console on stdout."""
        if self._out is None:
            from rich.console import Console

            self._out = Console(highlight=False, soft_wrap=False)
        return self._out

    @property
    def err(self) -> Console:
        """The console on stderr."""
        if self._err is None:
            from rich.console import Console

            self._err = Console(stderr=True, highlight=False)
        return self._err

    def data(self, text: str) -> None:
        """Raw data (an export, an id) to stdout, byte for byte."""
        sys.stdout.write(text)
        sys.stdout.flush()

    def lines(self, text: str) -> None:
        """Plain lines to stdout: at a terminal, wrapped at words to its width.

        A wrapped line keeps its indent, and a bullet's text its own; a command
        line (``ktcli ...``) is left whole, to copy. Piped, the text is as given.
        """
        out = self.out
        if out.is_terminal:
            text = "".join(wrap_line(line, out.width) + "\n" for line in text.splitlines())
        self.data(text)

    def show(self, *renderables: Any) -> None:
        """Rich renderables to stdout; piped, plain: no padding at line ends, no box-drawing."""
        self._write(self.rendered(*renderables))

    def page(self, *renderables: Any, pager: bool = True) -> None:
        """As :meth:`show`; at a terminal, longer than the screen, through $PAGER (or less)."""
        self.page_text(self.rendered(*renderables), pager=pager)

    def page_text(self, text: str, *, pager: bool = True) -> None:
        """Text :meth:`rendered` made, written as :meth:`page` writes it."""
        out = self.out
        if not (pager and out.is_terminal and sys.stdin.isatty()):
            self._write(text)
        elif text.count("\n") < out.size.height or not _run_pager(text):
            self.data(text)

    def rendered(self, *renderables: Any) -> str:
        """What :meth:`show` writes for ``renderables``: piped, without padding or box-drawing."""
        text = self.text(*renderables)
        if self.out.is_terminal:
            return text
        if not os.environ.get("KTCLI_BOX"):
            text = ascii_lines(text)
        return "\n".join(line.rstrip() for line in text.split("\n"))

    def layout(self) -> str:
        """All that :meth:`rendered` depends on besides the renderables, as one line."""
        out = self.out
        box = bool(os.environ.get("KTCLI_BOX"))
        return (
            f"width={out.width} terminal={out.is_terminal} colours={out.color_system} "
            f"no_color={out.no_color} encoding={out.encoding} box={box}"
        )

    def _write(self, text: str) -> None:
        if self.out.is_terminal:
            self.out.file.write(text)
            self.out.file.flush()
        else:
            self.data(text)

    def text(self, *renderables: Any) -> str:
        """What the stdout console prints for ``renderables``, plain tables drawn without rich.

        Groups are opened; a :class:`~ktcli.ui.plain.PlainTable` among them is drawn
        by itself (``PlainTable.text``), in time proportional to its text, and what
        lies between is printed by rich: the same characters rich prints for it all.
        """
        from rich.console import Group

        pieces = list(_pieces(renderables))
        if all(isinstance(piece, list) for piece in pieces):
            return self._printed(*renderables)  # no plain table: rich prints it all, as given
        width = self.out.options.max_width
        return "".join(
            self._printed(Group(*piece))
            if isinstance(piece, list)
            else piece.text(width, self._paint)
            for piece in pieces
        )

    def _printed(self, *renderables: Any, end: str = "\n") -> str:
        """What rich prints for ``renderables`` on the stdout console."""
        out = self.out
        with out.capture() as captured:
            out.print(*renderables, end=end)
        return captured.get()

    def _paint(self, style: str) -> tuple[str, str]:
        """The escape codes the stdout console puts before and after text in ``style``."""
        from rich.text import Text

        before, _, after = self._printed(Text("X", style=style), end="").partition("X")
        return before, after

    def _message(self, style: str, prefix: str, text: str) -> None:
        # Plain writes, not rich: most commands print only a line or two, and
        # importing rich for that cost more start-up time than the command.
        if prefix and style and color_enabled(sys.stderr):
            prefix = f"\x1b[{_SGR[style]}m{prefix}\x1b[0m"
        # Never fold a message: "file:line:col: field: problem" must stay one line.
        sys.stderr.write(f"{prefix}{clean(text)}\n")
        sys.stderr.flush()

    def info(self, text: str) -> None:
        """A plain message on stderr."""
        self._message("", "", text)

    def success(self, text: str) -> None:
        """A done message on stderr."""
        self._message("green", "✓ ", text)

    def warn(self, text: str) -> None:
        """A warning on stderr."""
        self._message("yellow", "warning: ", text)

    def error(self, text: str, hint: str | None = None) -> None:
        """An error (and what to do next) on stderr."""
        for line in text.splitlines() or [""]:
            self._message("bold red", "error: ", line)
        if hint:
            self._message("dim", "hint: ", hint)
