"""The only place that prints. Data goes to stdout, messages and prompts to stderr."""

from __future__ import annotations

import functools
import re
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

# C0 and C1 controls (but tab and newline), DEL, and the bidirectional overrides.
_CONTROL = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"


@functools.cache
def _control() -> re.Pattern[str]:
    # Compiled on first use: commands that print no message should not pay for it.
    return re.compile(_CONTROL)


def clean(text: str) -> str:
    r"""Make foreign text safe for a terminal: control codes become visible escapes (\x1b)."""
    return _control().sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


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

    def show(self, *renderables: Any) -> None:
        """Rich renderables to stdout."""
        self.out.print(*renderables)

    def _message(self, style: str, prefix: str, text: str) -> None:
        from rich.text import Text

        line = Text()
        if prefix:
            line.append(prefix, style=style)
        line.append(clean(text))
        # Never fold a message: "file:line:col: field: problem" must stay one line.
        self.err.print(line, soft_wrap=True)

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
