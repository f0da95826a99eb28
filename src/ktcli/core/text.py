"""Foreign text made safe to show: the one rule every screen, message and prompt uses."""

from __future__ import annotations

import functools
import re

#: Invisible characters that change what text appears to say: the bidirectional marks,
#: embeddings, overrides and isolates (a "\u202e" shows "exe.txt" as "txt.exe"), and the
#: zero-width space, joiners, word joiner and byte-order mark (two ids that look the same).
INVISIBLE = "\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff"
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
