"""Block-style YAML for plain data: diff-friendly, readable back identically by ``ktcli.yamlio``.

A small emitter for plain data (dict, list, str, int, float, bool, None) instead
of yaml.dump: PyYAML resolves and represents every scalar in Python and took
340 ms for a 650 KB analysis, far too slow to save after every answer. This one
writes the same block style in a fraction of that, and the round-trip tests
(including a property-based one) hold it to "reads back identical".

The output passes yamllint's default configuration, so that teams who lint
their repositories can keep handoffs and playbooks in them: a ``---`` document
start, sequences indented under their key, and lines of at most :data:`WIDTH`
characters where the text allows it (long text becomes a folded block scalar,
broken at single spaces, which reads back as the same string).
"""

from __future__ import annotations

import json
import re
from typing import Any

#: Invisible characters that change what text appears to say: the bidirectional marks,
#: embeddings, overrides and isolates (a "\u202e" shows "exe.txt" as "txt.exe"), and the
#: zero-width space, joiners, word joiner and byte-order mark (two ids that look the same).
#: The writer escapes them (as \u202e) and the terminal shows them escaped (core.text).
INVISIBLE = "\u061c\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff"
# Characters YAML forbids raw in a stream or that other readers treat as line breaks,
# and the invisible ones: raw, they make a file say one thing in an editor or a diff
# and another to ktcli.
_NON_PRINTABLE = re.compile(
    f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029{INVISIBLE}\ufffe\uffff]"
)
_PLAIN = re.compile(rf"[A-Za-z_/(][^\x00-\x1f\x7f-\x9f\u2028\u2029{INVISIBLE}\ufffe\uffff:#]*")
# Words that YAML 1.1 readers (PyYAML, many tools) would turn into booleans or null.
_RESERVED = frozenset((
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE",
    "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL",
))  # fmt: skip
#: yamllint's default line-length.
WIDTH = 80
#: Where one line of text may be broken in a folded scalar: a single space between
#: two other characters (a break folds back into exactly one space).
_BREAK = re.compile(r"(?<=[^ \t]) (?=[^ \t])")
_BLOCK_BAD = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029{INVISIBLE}\ufffe\uffff]")


def escape_unprintable(text: str) -> str:
    """Escape characters that YAML readers refuse raw; valid in JSON strings too."""
    return _NON_PRINTABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def _quoted(value: str) -> str:
    return escape_unprintable(json.dumps(value, ensure_ascii=False))


def _scalar_text(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return ".nan"
        if value in (float("inf"), float("-inf")):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value)
        return text if ("." in text or "e" in text) else text + ".0"
    if isinstance(value, str):
        if (
            _PLAIN.fullmatch(value)
            and value not in _RESERVED
            and not value.endswith(" ")
            and "\t" not in value
        ):
            return value
        return _quoted(value)
    raise TypeError(f"cannot write {type(value).__name__} as YAML")


def _block(value: str, indent: str) -> str | None:
    """A literal block for multi-line text, when one can hold it exactly."""
    if (
        _BLOCK_BAD.search(value)
        or value[:1] in (" ", "\t")
        or value.endswith("\n\n")
        or not value.strip("\n")
    ):
        return None
    if value.endswith("\n"):
        header, body = "|", value[:-1]
    else:
        header, body = "|-", value
    # The block's indentation is read from its first non-empty line, so that line
    # must not start with white space of its own.
    first = next(line for line in body.split("\n") if line)
    if first[0] in " \t":
        return None
    lines = [f"{indent}{line}" if line else "" for line in body.split("\n")]
    return header + "\n" + "\n".join(lines)


def _fold_line(line: str, width: int) -> list[str]:
    """``line`` broken at single spaces into pieces of at most ``width`` where it can be."""
    pieces: list[str] = []
    start = 0
    while len(line) - start > width:
        spaces = [m.start() for m in _BREAK.finditer(line, start + 1)]
        fitting = [p for p in spaces if p - start <= width]
        at = fitting[-1] if fitting else next(iter(spaces), None)
        if at is None:
            break
        pieces.append(line[start:at])
        start = at + 1
    pieces.append(line[start:])
    return pieces


def _folded(value: str, indent: str) -> str | None:
    """A folded block (``>``) for long text, when one can hold it exactly.

    In a folded scalar a single line break reads as a space and each empty line
    as a newline, so text lines are broken only at single spaces and every newline
    of the text is written as one empty line more. Lines that begin or end with
    white space would not fold back the same way (or would break yamllint's
    trailing-spaces rule): such text is left to the other styles.
    """
    if _BLOCK_BAD.search(value) or value.startswith("\n") or value.endswith("\n\n"):
        return None
    header, body = (">", value[:-1]) if value.endswith("\n") else (">-", value)
    lines = body.split("\n")
    if not body or any(line[:1] in (" ", "\t") or line[-1:] in (" ", "\t") for line in lines):
        return None
    width = max(WIDTH - len(indent), 20)
    out: list[str] = []
    for n, line in enumerate(lines):
        if n:
            out.append("")
        if line:
            out.extend(f"{indent}{piece}" for piece in _fold_line(line, width))
    return header + "\n" + "\n".join(out)


def _string(value: str, indent: str, prefix: str) -> str:
    """A string after ``prefix``: plain or quoted, a literal block, or folded when too long."""
    if "\n" in value:
        block = _block(value, indent)
        if block is not None and all(len(line) <= WIDTH for line in block.split("\n")):
            return block
        return _folded(value, indent) or block or _scalar_text(value)
    text = _scalar_text(value)
    if len(prefix) + 1 + len(text) <= WIDTH:
        return text
    return _folded(value, indent) or text


def _emit(value: Any, indent: str, out: list[str], prefix: str) -> None:
    """Append ``prefix`` + value; ``prefix`` is ``key:`` or ``-`` already indented."""
    if isinstance(value, dict) and value:
        _emit_mapping(value, indent, out, prefix)
    elif isinstance(value, list) and value:
        _emit_sequence(value, indent, out, prefix)
    elif isinstance(value, dict):
        out.append(f"{prefix} {{}}")
    elif isinstance(value, list):
        out.append(f"{prefix} []")
    elif isinstance(value, str) and prefix:
        out.append(f"{prefix} {_string(value, indent, prefix)}")
    else:
        out.append(f"{prefix} {_scalar_text(value)}" if prefix else _scalar_text(value))


def _emit_mapping(value: dict[str, Any], indent: str, out: list[str], prefix: str) -> None:
    child = indent + "  "
    for n, (key, item) in enumerate(value.items()):
        name = _scalar_text(key)
        if n == 0 and prefix.endswith("-"):
            # The first key shares the line of its list dash.
            _emit(item, child, out, f"{prefix} {name}:")
            continue
        if n == 0:
            out.append(prefix)
        _emit(item, child, out, f"{indent}{name}:")


def _emit_sequence(value: list[Any], indent: str, out: list[str], prefix: str) -> None:
    # Sequences inside a mapping are indented under their key (yamllint's default).
    item_indent = indent
    for n, item in enumerate(value):
        if n == 0 and prefix.endswith("-"):
            line_prefix = f"{prefix} -"
        else:
            if n == 0 and prefix:
                out.append(prefix)
            line_prefix = f"{item_indent}-"
        _emit(item, item_indent + "  ", out, line_prefix)


Cache = dict[tuple[str, int], tuple[Any, list[str]]]


def dump(data: Any, cache: Cache | None = None) -> str:
    """Render plain data as diff-friendly block YAML, keys in the order given.

    With a ``cache`` (an empty dict kept between calls), each top-level value and
    each item of a top-level list is re-emitted only when it changed since the
    last call: a session saves after every answer, and most of a large analysis
    stays the same between two answers.
    """
    out: list[str] = ["---"]
    if isinstance(data, dict) and data:
        for key, item in data.items():
            name = _scalar_text(key)
            if cache is None:
                _emit(item, "  ", out, f"{name}:")
            elif isinstance(item, list) and item:
                out.append(f"{name}:")
                for i, element in enumerate(item):
                    _emit_cached(cache, (key, i), element, "  -", out, "    ")
            else:
                _emit_cached(cache, (key, -1), item, f"{name}:", out, "  ")
    elif isinstance(data, list) and data:
        for item in data:
            _emit(item, "  ", out, "-")
    else:
        _emit(data, "", out, "")
    return "\n".join(out) + "\n"


def _emit_cached(
    cache: Cache, slot: tuple[str, int], value: Any, prefix: str, out: list[str], indent: str
) -> None:
    hit = cache.get(slot)
    if hit is not None and (hit[0] is value or hit[0] == value):
        out.extend(hit[1])
        return
    lines: list[str] = []
    _emit(value, indent, lines, prefix)
    cache[slot] = (value, lines)
    out.extend(lines)
