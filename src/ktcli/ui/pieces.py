"""Small rich pieces every view uses: user text as harmless Text, and Text joined."""

from __future__ import annotations

from rich.text import Text

from ktcli.core.text import clean


def user_text(value: str, style: str = "") -> Text:
    """User text as plain, harmless Text: never markup, escape sequences made visible."""
    return Text(clean(value), style=style)


def joined(*parts: Text | str) -> Text:
    """The parts as one Text, each keeping its own style."""
    out = Text()
    for part in parts:
        out.append(part)
    return out
