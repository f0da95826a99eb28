"""Foreign text made safe to show: the one rule every screen, message and prompt uses."""

from __future__ import annotations

import functools
import re

# C0 and C1 controls (but tab and newline), DEL, and the bidirectional overrides.
_CONTROL = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"


@functools.cache
def _control() -> re.Pattern[str]:
    # Compiled on first use: commands that print no message should not pay for it.
    return re.compile(_CONTROL)


def clean(text: str) -> str:
    r"""Make foreign text safe for a terminal: control codes become visible escapes (\x1b)."""
    return _control().sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)
