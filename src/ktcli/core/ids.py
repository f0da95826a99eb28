"""The pattern every id matches, apart from the model: checking a name must not build it."""

from __future__ import annotations

import re

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$"
ID_RE = re.compile(ID_PATTERN)


def valid_id(value: str) -> bool:
    """True when ``value`` is usable as an analysis id (and so as a file name)."""
    # fullmatch: with match(), "$" accepts "abc\n" (a newline in a file name).
    return bool(ID_RE.fullmatch(value)) and ".." not in value
