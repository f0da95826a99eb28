"""Safe YAML for files from other people: YAML 1.2 meanings, no aliases, errors with line numbers.

The reader walks libyaml's event stream itself instead of composing a node tree:
the C composer recurses and crashes on deeply nested input, and the tree keeps
aliases that pydantic would later expand (an "alias bomb"). Walking events lets
us refuse anchors, aliases, unknown tags, duplicate keys and deep nesting before
any of it is built, and remember where each value stood for error messages.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Container
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
#: Values (scalars, lists, mappings) in one file: an analysis of 200 causes x 30 rows holds
#: about 40,000; reading 100,000 and validating them takes about a second.
MAX_NODES = 100_000
#: Items in one list or keys in one mapping. The write check bounds it by the line count,
#: so it stays well above the ~20,000 lines of that analysis.
MAX_ITEMS = 40_000
#: Characters in one text value: a pasted log belongs in an attachment, not in the handoff.
MAX_STRING = 1_000_000

Path_ = tuple[str | int, ...]
M = TypeVar("M", bound="BaseModel")

_CORE = "tag:yaml.org,2002:"


@functools.cache
def _loader_class() -> type[Any]:
    """The libyaml event parser (the pure-Python one where libyaml is missing).

    Only its events are used: the walker resolves plain scalars itself with the
    YAML 1.2 core schema (``_resolve_plain``: ``NO`` stays a string). Looked up on
    first use: writing YAML (every save) needs no PyYAML at all.
    """
    import yaml

    return yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader


# The YAML 1.2 core schema for plain scalars; anything else is text.
_PLAIN_TYPES = tuple(
    (_CORE + tag, re.compile(regex))
    for tag, regex in (
        ("null", r"(?:~|null|Null|NULL|)"),
        ("bool", r"(?:true|True|TRUE|false|False|FALSE)"),
        ("int", r"(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)"),
        (
            "float",
            r"(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
            r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))",
        ),
    )
)


def _resolve_plain(value: str) -> str:
    """The core-schema tag of a plain scalar (PyYAML's resolver did this in Python, slower)."""
    for tag, regex in _PLAIN_TYPES:
        if regex.fullmatch(value):
            return tag
    return _CORE + "str"


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
    if kind in ("int", "float"):
        return _number(kind, value)
    raise ValueError(f"the tag {tag!r} is not allowed here")


def _number(kind: str, value: str) -> int | float:
    if not value.isascii():
        # int() and float() read other scripts' digits ("٠١" is 1): YAML does not.
        raise ValueError(f"{value!r} is not a number; YAML numbers use the digits 0-9")
    if kind == "int":
        if value.startswith("0o"):
            return int(value[2:], 8)
        if value.startswith("0x"):
            return int(value[2:], 16)
        return int(value, 10)
    low = value.lower()
    if low.endswith(".inf"):
        return float("-inf") if low.startswith("-") else float("inf")
    if low == ".nan":
        return float("nan")
    return float(value)


# The first characters of a plain scalar that may be other than text ("" is null).
_TYPED_START = frozenset(("", *"-+.0123456789~nNtTfF"))


# A frame of the walk: the mapping or list being built, and (for a mapping) the key whose
# value comes next. Plain lists, not objects: the loop reads and writes them for every event.
_Frame = list[Any]  # [dict | list, str | None]


def _mark(event: Any) -> tuple[int, int]:
    return (event.start_mark.line + 1, event.start_mark.column + 1)


def _items_message() -> str:
    return f"more than {MAX_ITEMS:,} items in one list or mapping"


class _Walker:
    """libyaml's events turned into plain data in one loop; refusals raised as they are met.

    Every refusal is raised at the event that breaks a rule, so hostile input costs no
    more than the events read before it: limits on values, items and text length keep
    any file under :data:`MAX_BYTES` within a second of CPU. The loop keeps what it
    needs in local names and builds no path while all is well: where a value stands
    (for an error's field, or for ``marks``) is read off the stack of frames only when
    it is wanted.
    """

    def __init__(
        self,
        text: str,
        source: str,
        marks: dict[Path_, tuple[int, int]] | None,
        key_marks: dict[Path_, tuple[int, int]] | None,
        only: Container[Path_] | None,
    ) -> None:
        import yaml

        self.yaml = yaml
        self.text = text
        self.loader = _loader_class()(text)
        self.source = source
        self.marks = marks
        self.key_marks = key_marks
        self.only = only
        #: The mappings and lists open around the next event, outermost first, inside a
        #: list that receives the document itself (and is not part of any path).
        self.stack: list[_Frame] = [[[], None]]
        self.documents = 0

    def walk(self) -> Any:
        """Read every event; the document as plain data."""
        yaml = self.yaml
        try:
            return self.loop()
        except yaml.MarkedYAMLError as exc:
            raise _syntax_error(exc, self.source) from None
        except yaml.reader.ReaderError as exc:
            raise _reader_error(exc, self.text, self.source) from None
        except yaml.YAMLError as exc:  # pragma: no cover - libyaml marks what it refuses
            raise InvalidFileError(
                self.source, f"not valid YAML: {exc}", line=1, column=1
            ) from None
        finally:
            self.loader.dispose()

    def loop(self) -> Any:
        """The events in order; scalars, most of them, are handled here and not in a method."""
        yaml, get, stack = self.yaml, self.loader.get_event, self.stack
        scalar_event, map_start, seq_start = (
            yaml.ScalarEvent,
            yaml.MappingStartEvent,
            yaml.SequenceStartEvent,
        )
        map_end, seq_end, stream_end = (
            yaml.MappingEndEvent,
            yaml.SequenceEndEvent,
            yaml.StreamEndEvent,
        )
        marks, key_marks, typed_start = self.marks, self.key_marks, _TYPED_START
        top = stack[-1]
        nodes = 0
        while True:
            event = get()
            kind = type(event)
            if kind is scalar_event:
                nodes += 1
                value = event.value
                cur = top[0]
                is_map = type(cur) is dict
                if (
                    event.anchor is not None
                    or event.tag is not None
                    or nodes > MAX_NODES
                    or len(value) > MAX_STRING
                    or (not is_map and len(cur) >= MAX_ITEMS)
                ):
                    self.refuse(event, nodes)
                if is_map and top[1] is None:
                    # Keys are names in our documents: keep their text as written.
                    if value in cur or len(cur) >= MAX_ITEMS or key_marks is not None:
                        self.key(cur, event)
                    top[1] = value
                    continue
                if marks is not None:
                    self.note(self.path(), event)
                # Quoted text, and plain text that cannot start a number, a boolean or a
                # null, is text.
                if event.implicit[0] and value[:1] in typed_start:
                    value = self.construct(event)
                if is_map:
                    cur[top[1]] = value
                    top[1] = None
                else:
                    cur.append(value)
            elif kind is map_end or kind is seq_end:
                top = self.end(event)
            elif kind is map_start or kind is seq_start:
                nodes += 1
                top = self.start(event, kind is map_start, nodes)
            elif kind is stream_end:
                return stack[0][0][0] if stack[0][0] else None
            else:
                self.other(event)

    def refuse(self, event: Any, nodes: int) -> None:
        """A scalar with an anchor or a tag, or past a limit: refused, in this order."""
        self.check_node(event, nodes)
        size = len(event.value)
        if size > MAX_STRING:
            raise self.fail(event, f"text of {size:,} characters; the limit is {MAX_STRING:,}")
        raise self.fail(event, _items_message())

    def start(self, event: Any, is_map: bool, nodes: int) -> _Frame:
        """A mapping or list opens: checked, noted, and the innermost frame from now on."""
        self.check_node(event, nodes)
        stack = self.stack
        if type(stack[-1][0]) is dict and stack[-1][1] is None:
            raise self.fail(event, "mapping keys must be plain text")
        if len(stack) > MAX_DEPTH:
            line, col = _mark(event)
            raise InvalidFileError(
                self.source, f"nested deeper than {MAX_DEPTH} levels", line=line, column=col
            )
        if self.marks is not None:
            self.note(self.path(), event)
        top: _Frame = [{} if is_map else [], None]
        stack.append(top)
        return top

    def end(self, event: Any) -> _Frame:
        """A mapping or list closes: it becomes the value of its key or its list's next item."""
        stack = self.stack
        child = stack.pop()[0]
        top = stack[-1]
        cur = top[0]
        if type(cur) is dict:
            cur[top[1]] = child
            top[1] = None
        else:
            if len(cur) >= MAX_ITEMS:
                raise self.fail(event, _items_message())
            cur.append(child)
        return top

    # -- the rarer events and the checks -----------------------------------------------------

    def other(self, event: Any) -> None:
        """Stream start and document end carry nothing; a document start or an alias might."""
        if isinstance(event, self.yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise self.fail(event, "only one YAML document is allowed per file")
            if event.tags:
                raise self.fail(event, "%TAG directives are not allowed; write plain values")
        elif isinstance(event, self.yaml.AliasEvent):
            raise self.fail(event, "aliases (*name) are not allowed; write the value out")

    def construct(self, event: Any) -> Any:
        value = event.value
        try:
            return _scalar(_resolve_plain(value), value)
        except ValueError as exc:
            raise self.fail(event, str(exc)) from None

    def check_node(self, event: Any, nodes: int) -> None:
        """Anchors, tags and the total number of values: refused wherever they stand."""
        if event.anchor is not None:
            raise self.fail(event, "anchors (&name) are not allowed; write the value out")
        if event.tag is not None:
            raise self.fail(event, f"the tag {event.tag!r} is not allowed; write a plain value")
        if nodes > MAX_NODES:
            raise self.fail(
                event, f"more than {MAX_NODES:,} values in one file; that is not a handoff"
            )

    def key(self, mapping: dict[str, Any], event: Any) -> None:
        """A new key of the innermost mapping: not seen before in it, and not one too many."""
        value = event.value
        if value in mapping:
            line, col = _mark(event)
            where = ".".join(str(p) for p in (*self.path(), value))
            raise InvalidFileError(self.source, "duplicate key", line=line, column=col, field=where)
        if len(mapping) >= MAX_ITEMS:
            raise self.fail(event, _items_message())
        if self.key_marks is not None:
            key_path: Path_ = (*self.path(), value)
            self.key_marks[key_path] = _mark(event)

    def note(self, path: Path_, event: Any) -> None:
        if self.marks is not None and (self.only is None or path in self.only):
            self.marks[path] = _mark(event)

    def path(self) -> Path_:
        """Where the next value goes: each open list's next index, each open mapping's key.

        The innermost mapping before its next key is read contributes nothing: that is
        the path of the mapping itself.
        """
        return tuple(
            frame[1] if type(frame[0]) is dict else len(frame[0])
            for frame in self.stack[1:]
            if frame[1] is not None or type(frame[0]) is not dict
        )

    def fail(self, event: Any, message: str) -> InvalidFileError:
        line, col = _mark(event)
        where = ".".join(str(p) for p in self.path()) or None
        return InvalidFileError(self.source, message, line=line, column=col, field=where)


def _syntax_error(exc: Any, source: str) -> InvalidFileError:
    """The refusal of libyaml, in our words where we have them, always with a line and column."""
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "not valid YAML"
    if "nesting depth" in problem:
        # libyaml (0.2.6+, in PyYAML 6.0.4 wheels) refuses deep flow nesting itself while it
        # scans ahead, before our guard sees the 65th level: the user gets our one refusal.
        problem = f"nested deeper than {MAX_DEPTH} levels"
    else:
        problem = f"not valid YAML: {problem}"
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    return InvalidFileError(source, problem, line=line, column=col)


def _reader_error(exc: Any, text: str, source: str) -> InvalidFileError:
    line, column = _line_col(text, exc.position)
    code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
    message = f"character U+{code:04X} is not allowed in YAML; write it as \\u{code:04x}"
    return InvalidFileError(source, message, line=line, column=column)


def _line_col(text: str, position: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1) + 1


def parse(
    text: str,
    source: str,
    *,
    marks: dict[Path_, tuple[int, int]] | None = None,
    key_marks: dict[Path_, tuple[int, int]] | None = None,
    only: Container[Path_] | None = None,
) -> Any:
    """Parse one YAML (or JSON) document into plain Python data.

    ``source`` names the file in error messages. When ``marks`` is given it is
    filled with the line and column of every value, keyed by its path (only of
    the paths in ``only``, when given), and ``key_marks`` with those of every
    mapping key.
    """
    return _Walker(text, source, marks, key_marks, only).walk()


def check_size(
    size: int, source: str, *, max_bytes: int = MAX_BYTES, writing: bool = False
) -> None:
    """The one size rule, on read as on write: ktcli never writes a file it would refuse."""
    if size > max_bytes:
        what = "would be" if writing else "is"
        raise InvalidFileError(
            source,
            f"file {what} {size:,} bytes; the limit is {max_bytes:,} bytes",
            line=None if writing else 1,
            column=None if writing else 1,
            hint="Split the analysis, or move long logs out of it (keep a reference instead)."
            if writing
            else None,
        )


def check_writable(data: bytes, source: str) -> None:
    """Every read limit, applied before a write: ktcli never stores a file it would refuse.

    ``data`` is the emitted YAML. Three counts bound what a parse would find (each key
    writes a ":", each list item a "-", each item of a list or mapping starts a line; no
    text is longer than the file), so the exact check, a parse, runs only for documents
    that come near a limit: a save stays about a millisecond on a 650 KB analysis.
    """
    check_size(len(data), source, writing=True)
    nodes = 1 + 2 * data.count(b":") + data.count(b"-")
    if nodes <= MAX_NODES and data.count(b"\n") <= MAX_ITEMS and len(data) <= MAX_STRING:
        return
    try:
        parse(data.decode("utf-8"), source)
    except InvalidFileError as exc:
        raise InvalidFileError(
            source,
            f"not written: ktcli would refuse to read it back ({exc.detail})",
            field=exc.field,
            hint="Split the analysis, or move long logs out of it (keep a reference instead).",
        ) from None


def decode(raw: bytes, source: str, *, max_bytes: int = MAX_BYTES) -> str:
    """Turn a file's bytes into text, refusing oversized or non-UTF-8 content."""
    check_size(len(raw), source, max_bytes=max_bytes)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = raw.rfind(b"\n", 0, exc.start) + 1
        line = raw.count(b"\n", 0, exc.start) + 1
        column = len(raw[start : exc.start].decode("utf-8", "replace")) + 1
        if line == 1 and raw.startswith(b"\xef\xbb\xbf"):
            column -= 1  # the byte order mark is not a column
        raise InvalidFileError(
            source,
            f"not UTF-8 text (byte {raw[exc.start]:#04x} at offset {exc.start})",
            line=line,
            column=column,
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        line, column = _line_col(text, nul)
        raise InvalidFileError(
            source, "contains a NUL byte; not a text file", line=line, column=column
        )
    return text


def read(path: Path, *, max_bytes: int = MAX_BYTES) -> str:
    """Read a text file with the size limit, before anything parses it."""
    return decode(read_bytes(path, max_bytes=max_bytes), str(path), max_bytes=max_bytes)


def read_bytes(path: Path, *, max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a file (at most one more than ``max_bytes``); too large a file is refused."""
    source = str(path)
    try:
        check_size(path.stat().st_size, source, max_bytes=max_bytes)
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
    return raw


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


def mark_of(text: str, source: str, path: Path_) -> tuple[int, int] | None:
    """Line and column of the value at ``path``, or of its closest parent, in ``text``.

    For refusals made after parsing (an unsupported ``schema_version``) that must
    still name file:line:column.
    """
    marks: dict[Path_, tuple[int, int]] = {}
    parse(text, source, marks=marks, only={path[:i] for i in range(len(path) + 1)})
    return marks.get(path) or nearest_mark(path, marks)


_MESSAGES = {
    "extra_forbidden": "unknown field (not in the schema; check the spelling)",
    "missing": "required field is missing",
}


def validation_error(exc: ValidationError, text: str, source: str) -> InvalidFileErrors:
    """Turn a pydantic ValidationError into one line per problem, with file:line:column."""
    all_errors = exc.errors(include_url=False)
    shown_errors = all_errors[:MAX_ERRORS]
    # Only the marks these errors need: a file with 50,000 wrong items must not cost a
    # mark for each of its values.
    wanted = {tuple(err["loc"][:i]) for err in shown_errors for i in range(len(err["loc"]) + 1)}
    marks: dict[Path_, tuple[int, int]] = {}
    key_marks: dict[Path_, tuple[int, int]] = {}
    try:
        parse(text, source, marks=marks, key_marks=key_marks, only=wanted)
    except InvalidFileError:  # pragma: no cover - the text parsed once already
        marks = {}
    errors: list[InvalidFileError] = []
    for err in shown_errors:
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
