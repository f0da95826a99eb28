"""Safe YAML for files from other people: YAML 1.2 meanings, no aliases, errors with line numbers.

The reader walks libyaml's event stream itself instead of composing a node tree:
the C composer recurses and crashes on deeply nested input, and the tree keeps
aliases that pydantic would later expand (an "alias bomb"). Walking events lets
us refuse anchors, aliases, unknown tags, duplicate keys and deep nesting before
any of it is built, and remember where each value stood for error messages.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ktcli.errors import InvalidFileError, InvalidFileErrors

if TYPE_CHECKING:
    from pydantic import BaseModel, ValidationError

#: Handoffs and playbooks are written by people; anything larger is a mistake or an attack.
MAX_BYTES = 10 * 1024 * 1024
#: The analysis model nests about eight levels deep; this leaves room and stops stack exhaustion.
MAX_DEPTH = 64
#: Validation errors listed before the rest are summarised.
MAX_ERRORS = 20

Path_ = tuple[str | int, ...]
M = TypeVar("M", bound="BaseModel")

_CORE = "tag:yaml.org,2002:"


@functools.cache
def _loader_class() -> type[Any]:
    """The libyaml parser with the YAML 1.2 core schema resolvers (``NO`` stays a string).

    Built on first use: writing YAML (every save) needs no PyYAML at all.
    """
    import yaml

    base = yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader

    class Loader12(base):  # type: ignore[valid-type,misc]
        pass

    Loader12.yaml_implicit_resolvers = {}
    for tag, regex, first in (
        ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
        ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
        (
            "float",
            r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
            "-+0123456789.",
        ),
        ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ):
        Loader12.add_implicit_resolver(_CORE + tag, re.compile(regex), list(first))
    return Loader12


def _scalar(tag: str, value: str) -> Any:
    """Construct one scalar of the core schema; raise ValueError for anything else."""
    kind = tag[len(_CORE) :] if tag.startswith(_CORE) else None
    if kind == "str":
        return value
    if kind == "null":
        if value in ("", "~", "null", "Null", "NULL"):
            return None
        raise ValueError(f"{value!r} is not a null")
    if kind == "bool":
        if value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise ValueError(f"{value!r} is not a boolean (use true or false)")
    if kind == "int":
        if value.startswith("0o"):
            return int(value[2:], 8)
        if value.startswith("0x"):
            return int(value[2:], 16)
        return int(value, 10)
    if kind == "float":
        low = value.lower()
        if low.endswith(".inf"):
            return float("-inf") if low.startswith("-") else float("inf")
        if low == ".nan":
            return float("nan")
        return float(value)
    raise ValueError(f"the tag {tag!r} is not allowed here")


class _Frame:
    """A mapping or sequence being built while walking the events."""

    __slots__ = ("key", "path", "value")

    def __init__(self, value: dict[str, Any] | list[Any], path: Path_) -> None:
        self.value = value
        self.path = path
        self.key: str | None = None


def _mark(event: Any) -> tuple[int, int]:
    return (event.start_mark.line + 1, event.start_mark.column + 1)


def parse(
    text: str,
    source: str,
    *,
    marks: dict[Path_, tuple[int, int]] | None = None,
    key_marks: dict[Path_, tuple[int, int]] | None = None,
) -> Any:
    """Parse one YAML (or JSON) document into plain Python data.

    ``source`` names the file in error messages. When ``marks`` is given it is
    filled with the line and column of every value, keyed by its path, and
    ``key_marks`` with those of every mapping key.
    """
    import yaml

    loader = _loader_class()(text)
    stack: list[_Frame] = []
    result: Any = None
    documents = 0

    def fail(event: Any, message: str) -> InvalidFileError:
        line, col = _mark(event)
        where = ".".join(str(p) for p in _current_path()) or None
        return InvalidFileError(source, message, line=line, column=col, field=where)

    def _current_path() -> Path_:
        if not stack:
            return ()
        top = stack[-1]
        if isinstance(top.value, dict):
            return (*top.path, top.key) if top.key is not None else top.path
        return (*top.path, len(top.value))

    def place(event: Any, value: Any) -> bool:
        """Attach a finished value to its parent; True when it was a mapping key."""
        nonlocal result
        if not stack:
            result = value
            return False
        top = stack[-1]
        if isinstance(top.value, dict):
            if top.key is None:
                if not isinstance(value, str):
                    raise fail(event, "mapping keys must be plain text")
                if value in top.value:
                    line, col = _mark(event)
                    where = ".".join(str(p) for p in (*top.path, value))
                    raise InvalidFileError(
                        source, "duplicate key", line=line, column=col, field=where
                    )
                top.key = value
                if key_marks is not None:
                    key_path: Path_ = (*top.path, value)
                    key_marks[key_path] = _mark(event)
                return True
            top.value[top.key] = value
            top.key = None
            return False
        top.value.append(value)
        return False

    try:
        while True:
            event = loader.get_event()
            if isinstance(event, yaml.StreamEndEvent):
                break
            if isinstance(event, (yaml.StreamStartEvent, yaml.DocumentEndEvent)):
                continue
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise fail(event, "only one YAML document is allowed per file")
                continue
            if isinstance(event, yaml.AliasEvent):
                raise fail(event, "aliases (*name) are not allowed; write the value out")
            if getattr(event, "anchor", None) is not None:
                raise fail(event, "anchors (&name) are not allowed; write the value out")
            if isinstance(event, yaml.ScalarEvent):
                is_key = bool(stack) and isinstance(stack[-1].value, dict) and stack[-1].key is None
                if is_key:
                    # Keys are names in our documents: keep their text as written.
                    value: Any = event.value
                else:
                    tag = event.tag
                    if tag is None or tag == "!":
                        tag = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
                    try:
                        value = _scalar(tag, event.value)
                    except ValueError as exc:
                        raise fail(event, str(exc)) from None
                path = _current_path()
                was_key = place(event, value)
                if marks is not None and not was_key:
                    marks[path] = _mark(event)
                continue
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                if stack and isinstance(stack[-1].value, dict) and stack[-1].key is None:
                    raise fail(event, "mapping keys must be plain text")
                kind = "map" if isinstance(event, yaml.MappingStartEvent) else "seq"
                if event.tag not in (None, "!", _CORE + kind):
                    raise fail(event, f"the tag {event.tag!r} is not allowed here")
                if len(stack) >= MAX_DEPTH:
                    line, col = _mark(event)
                    raise InvalidFileError(
                        source, f"nested deeper than {MAX_DEPTH} levels", line=line, column=col
                    )
                path = _current_path()
                if marks is not None:
                    marks[path] = _mark(event)
                container: dict[str, Any] | list[Any] = {} if kind == "map" else []
                stack.append(_Frame(container, path))
                continue
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = stack.pop()
                place(event, frame.value)
                continue
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "not valid YAML"
        if "nesting depth" in problem:
            # libyaml (0.2.6+, in PyYAML 6.0.4 wheels) refuses deep flow nesting itself while it
            # scans ahead, before our guard sees the 65th level: the user gets our one refusal.
            problem_text = f"nested deeper than {MAX_DEPTH} levels"
            if mark is None:
                raise InvalidFileError(source, problem_text) from None
            raise InvalidFileError(
                source, problem_text, line=mark.line + 1, column=mark.column + 1
            ) from None
        if mark is None:
            raise InvalidFileError(source, f"not valid YAML: {problem}") from None
        raise InvalidFileError(
            source, f"not valid YAML: {problem}", line=mark.line + 1, column=mark.column + 1
        ) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        code = (
            exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        )
        message = f"character U+{code:04X} is not allowed in YAML; write it as \\u{code:04x}"
        raise InvalidFileError(source, message, line=line, column=column) from None
    except yaml.YAMLError as exc:
        raise InvalidFileError(source, f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    return result


def decode(raw: bytes, source: str, *, max_bytes: int = MAX_BYTES) -> str:
    """Turn a file's bytes into text, refusing oversized or non-UTF-8 content."""
    if len(raw) > max_bytes:
        raise InvalidFileError(
            source, f"file is {len(raw):,} bytes; the limit is {max_bytes:,} bytes"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InvalidFileError(source, "not UTF-8 text", line=line) from None
    if "\x00" in text:
        raise InvalidFileError(source, "contains a NUL byte; not a text file")
    return text


def read(path: Path, *, max_bytes: int = MAX_BYTES) -> str:
    """Read a text file with the size limit, before anything parses it."""
    source = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InvalidFileError(
                source, f"file is {size:,} bytes; the limit is {max_bytes:,} bytes"
            )
        with path.open("rb") as fh:
            raw = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise InvalidFileError(source, "no such file") from None
    except IsADirectoryError:
        raise InvalidFileError(source, "is a directory, not a file") from None
    except PermissionError:
        raise InvalidFileError(source, "permission denied") from None
    except OSError as exc:
        raise InvalidFileError(source, exc.strerror or str(exc)) from None
    return decode(raw, source, max_bytes=max_bytes)


def _locate(
    loc: tuple[str | int, ...], marks: dict[Path_, tuple[int, int]]
) -> tuple[Path_, tuple[int, int] | None]:
    """Follow a pydantic error location through the data paths we saw.

    pydantic inserts names that are not in the data (the tag of a tagged union,
    validator names); those are skipped. Returns the displayed field path and the
    mark of the deepest value that exists.
    """
    path: Path_ = ()
    shown: list[str | int] = []
    mark = marks.get(())
    for i, part in enumerate(loc):
        candidate = (*path, part)
        if candidate in marks:
            path = candidate
            shown.append(part)
            mark = marks[candidate]
        elif i == len(loc) - 1:
            shown.append(part)
    return tuple(shown), mark


def nearest_mark(
    loc: tuple[str | int, ...], marks: dict[Path_, tuple[int, int]]
) -> tuple[int, int] | None:
    """The mark of the closest enclosing value of ``loc`` that has one."""
    while loc:
        loc = loc[:-1]
        if loc in marks:
            return marks[loc]
    return None


_MESSAGES = {
    "extra_forbidden": "unknown field (not in the schema; check the spelling)",
    "missing": "required field is missing",
}


def validation_error(exc: ValidationError, text: str, source: str) -> InvalidFileErrors:
    """Turn a pydantic ValidationError into one line per problem, with file:line:column."""
    marks: dict[Path_, tuple[int, int]] = {}
    key_marks: dict[Path_, tuple[int, int]] = {}
    try:
        parse(text, source, marks=marks, key_marks=key_marks)
    except InvalidFileError:  # pragma: no cover - the text parsed once already
        marks = {}
    errors: list[InvalidFileError] = []
    all_errors = exc.errors(include_url=False)
    for err in all_errors[:MAX_ERRORS]:
        shown, mark = _locate(tuple(err["loc"]), marks)
        if err["type"] == "extra_forbidden":
            # Point at the unknown key itself, not at its value.
            mark = key_marks.get(shown, mark)
        field = ".".join(str(p) for p in shown) or "(document)"
        message = _MESSAGES.get(err["type"], err["msg"])
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        line, col = mark if mark else (None, None)
        errors.append(InvalidFileError(source, message, line=line, column=col, field=field))
    if len(all_errors) > MAX_ERRORS:
        errors.append(
            InvalidFileError(source, f"... and {len(all_errors) - MAX_ERRORS} more problems")
        )
    return InvalidFileErrors(errors)


def validate(model: type[M], text: str, source: str) -> M:
    """Parse ``text`` and validate it as ``model``; every error names file:line:column and field."""
    from pydantic import ValidationError

    data = parse(text, source)
    if not isinstance(data, dict):
        raise InvalidFileError(
            source, "expected a mapping of fields at the top of the document", line=1, column=1
        )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise validation_error(exc, text, source) from None


# -- writing ---------------------------------------------------------------------------------
#
# A small emitter for plain data (dict, list, str, int, float, bool, None) instead
# of yaml.dump: PyYAML resolves and represents every scalar in Python and took
# 340 ms for a 650 KB analysis, far too slow to save after every answer. This one
# writes the same block style in a fraction of that, and the round-trip tests
# (including a property-based one) hold it to "reads back identical".

# Characters YAML forbids raw in a stream or that other readers treat as line breaks.
_NON_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_PLAIN = re.compile(r"[A-Za-z_/(][^\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff:#]*")
# Words that YAML 1.1 readers (PyYAML, many tools) would turn into booleans or null.
_RESERVED = frozenset((
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE",
    "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL",
))  # fmt: skip
_BLOCK_BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


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


def _emit(value: Any, indent: str, out: list[str], prefix: str) -> None:
    """Append ``prefix`` + value; ``prefix`` is ``key:`` or ``-`` already indented."""
    if isinstance(value, dict):
        if not value:
            out.append(f"{prefix} {{}}")
            return
        first = True
        for key, item in value.items():
            name = _scalar_text(key)
            if prefix.endswith("-") and first:
                line_prefix = f"{prefix} {name}:"
                child = indent + "  "
            else:
                if first:
                    out.append(prefix)
                line_prefix = f"{indent}{name}:"
                child = indent + "  "
            first = False
            _emit(item, child, out, line_prefix)
        return
    if isinstance(value, list):
        if not value:
            out.append(f"{prefix} []")
            return
        # Sequences inside a mapping sit at the key's own indentation, as PyYAML writes them.
        item_indent = indent[:-2] if prefix.endswith(":") and len(indent) >= 2 else indent
        first = True
        for item in value:
            if prefix.endswith("-") and first:
                line_prefix = f"{prefix} -"
                first = False
            else:
                if first and prefix:
                    out.append(prefix)
                first = False
                line_prefix = f"{item_indent}-"
            _emit(item, item_indent + "  ", out, line_prefix)
        return
    if isinstance(value, str) and "\n" in value:
        block = _block(value, indent)
        if block is not None:
            out.append(f"{prefix} {block}")
            return
    out.append(f"{prefix} {_scalar_text(value)}" if prefix else _scalar_text(value))


Cache = dict[tuple[str, int], tuple[Any, list[str]]]


def dump(data: Any, cache: Cache | None = None) -> str:
    """Render plain data as diff-friendly block YAML, keys in the order given.

    With a ``cache`` (an empty dict kept between calls), each top-level value and
    each item of a top-level list is re-emitted only when it changed since the
    last call: a session saves after every answer, and most of a large analysis
    stays the same between two answers.
    """
    out: list[str] = []
    if isinstance(data, dict) and data:
        for key, item in data.items():
            name = _scalar_text(key)
            if cache is None:
                _emit(item, "  ", out, f"{name}:")
            elif isinstance(item, list) and item:
                out.append(f"{name}:")
                for i, element in enumerate(item):
                    _emit_cached(cache, (key, i), element, "-", out)
            else:
                _emit_cached(cache, (key, -1), item, f"{name}:", out)
    elif isinstance(data, list) and data:
        for item in data:
            _emit(item, "  ", out, "-")
    else:
        _emit(data, "", out, "")
    return "\n".join(out) + "\n"


def _emit_cached(
    cache: Cache, slot: tuple[str, int], value: Any, prefix: str, out: list[str]
) -> None:
    hit = cache.get(slot)
    if hit is not None and (hit[0] is value or hit[0] == value):
        out.extend(hit[1])
        return
    lines: list[str] = []
    _emit(value, "  ", lines, prefix)
    cache[slot] = (value, lines)
    out.extend(lines)
