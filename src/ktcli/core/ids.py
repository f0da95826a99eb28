"""Ids without the model: the pattern every id matches, and new ids made from text or a count."""

from __future__ import annotations

import re
from collections.abc import Iterable

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$"
ID_RE = re.compile(ID_PATTERN)


def valid_id(value: str) -> bool:
    """True when ``value`` is usable as an analysis id (and so as a file name)."""
    # fullmatch: with match(), "$" accepts "abc\n" (a newline in a file name).
    return bool(ID_RE.fullmatch(value)) and ".." not in value


def slug(text: str, *, limit: int = 40) -> str:
    """A file-name-safe id fragment from free text ('INC-4711 / EU' -> 'inc-4711-eu')."""
    cleaned = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return cleaned[:limit].strip("-")


def next_id(prefix: str, existing: Iterable[str]) -> str:
    """The next free id of the form ``prefix`` + number: c1, c2, ..."""
    taken = set(existing)
    n = 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"
