"""Foreign text made safe to show: the one rule every screen, message and prompt uses."""

from __future__ import annotations

import functools
import re

from ktcli.yamlwrite import INVISIBLE

# C0 and C1 controls (but tab and newline), DEL, and the invisible characters above.
_CONTROL = f"[\x00-\x08\x0b-\x1f\x7f-\x9f{INVISIBLE}]"


@functools.cache
def _control() -> re.Pattern[str]:
    # Compiled on first use: commands that print no message should not pay for it.
    return re.compile(_CONTROL)


def clean(text: str) -> str:
    r"""Make foreign text safe for a terminal: control codes become visible escapes (\x1b).

    Bidirectional controls and zero-width characters are shown as ``\u202e`` too.
    """
    return _control().sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


# What opens a list item, a thematic break or a block quote at the start of a line:
# "-", "+" or "*" then a space or the end, "1." or "1)" likewise (up to nine digits).
_BLOCK_START = re.compile(r"([ \t]{0,3})([-+*]|[0-9]{1,9}[.)])(?=[ \t]|$)")
# "---", "- - -", "***": a thematic break (a horizontal rule) however spaced.
_RULE = re.compile(r"([ \t]{0,3})([-*_])(?=(?:[ \t]*\2){2,}[ \t]*$)")


def escape_block_start(text: str) -> str:
    r"""Markdown that starts like a list item read as text: ``- x`` becomes ``\- x``.

    For user text placed where a line starts, e.g. after a bullet's ``- ``:
    ``- 1. step`` would otherwise render as a nested numbered list, ``- - x`` as
    a nested bullet, ``- ---`` as a horizontal rule. Apply it after any other
    escaping (it adds a backslash that must stay single).
    """
    match = _BLOCK_START.match(text) or _RULE.match(text)
    if match is None:
        return text
    marker = match.group(2)
    escaped = f"{marker[:-1]}\\{marker[-1]}"
    return match.group(1) + escaped + text[match.end() :]
