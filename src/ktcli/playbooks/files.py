"""One playbook file: read it, validate it, and place every error at its line and column.

Files are read only through :mod:`ktcli.yamlio`, so every error names
file:line:column and the field.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ktcli import yamlio
from ktcli.errors import InvalidFileError, InvalidFileErrors
from ktcli.playbooks.model import PLAYBOOK_SCHEMA_VERSION, Playbook, problems

SUFFIXES = (".yaml", ".yml")

SourceKind = Literal["builtin", "user", "team", "path"]


@dataclass(frozen=True)
class Source:
    """One directory searched for playbooks, and what kind of place it is."""

    kind: SourceKind
    directory: Path


def playbook_paths(directory: Path) -> list[Path]:
    """The playbook files directly in ``directory``, sorted by name."""
    try:
        return sorted(
            p for p in directory.iterdir() if p.suffix in SUFFIXES and not p.name.startswith(".")
        )
    except (FileNotFoundError, NotADirectoryError):
        return []


def parse_playbook(text: str, source: str) -> Playbook:
    """Validate one playbook document; errors name file:line:column and the field."""
    from pydantic import ValidationError

    data = yamlio.parse(text, source)
    if not isinstance(data, dict):
        raise InvalidFileError(
            source, "expected a mapping of fields (a playbook) at the top", line=1, column=1
        )
    version = data.get("schema_version")
    if isinstance(version, int) and version != PLAYBOOK_SCHEMA_VERSION:
        raise locate(
            text,
            source,
            ("schema_version",),
            f"schema_version {version!r} is not supported; this ktcli reads "
            f"{PLAYBOOK_SCHEMA_VERSION}",
        )
    try:
        playbook = Playbook.model_validate(data)
    except ValidationError as exc:
        raise yamlio.validation_error(exc, text, source) from None
    # Row references wait for the merge when the playbook inherits rows.
    found = problems(playbook, None if playbook.extends else playbook.row_ids())
    if found:
        raise located(text, source, found)
    return playbook


def locate(text: str, source: str, loc: tuple[str | int, ...], message: str) -> InvalidFileError:
    """One problem found after validation, placed at the value ``loc`` names."""
    return located(text, source, [(loc, message)]).errors[0]


def located(
    text: str, source: str, found: Iterable[tuple[tuple[str | int, ...], str]]
) -> InvalidFileErrors:
    """Problems found after validation, placed at the line and column of the offending value."""
    marks: dict[yamlio.Path_, tuple[int, int]] = {}
    key_marks: dict[yamlio.Path_, tuple[int, int]] = {}
    yamlio.parse(text, source, marks=marks, key_marks=key_marks)
    errors = []
    for loc, message in found:
        # A row guide under an unknown row id: the key is what is wrong.
        at_key = key_marks.get(loc) if len(loc) == 2 and loc[0] == "rows" else None
        mark = at_key or marks.get(loc) or yamlio.nearest_mark(loc, marks)
        line, col = mark if mark else (None, None)
        errors.append(
            InvalidFileError(source, message, line=line, column=col, field=".".join(map(str, loc)))
        )
    return InvalidFileErrors(errors)


@dataclass(frozen=True)
class PlaybookFile:
    """A playbook as read from one file, before ``extends`` is merged."""

    playbook: Playbook
    path: Path
    source: Source
    text: str

    def error(self, loc: tuple[str | int, ...], message: str) -> InvalidFileError:
        """An error about this file, placed at the value ``loc`` names."""
        return locate(self.text, str(self.path), loc, message)


def load_file(path: Path, source: Source | None = None) -> PlaybookFile:
    """Read and validate one playbook file."""
    text = yamlio.read(path)
    playbook = parse_playbook(text, str(path))
    item = PlaybookFile(playbook, path, source or Source("path", path.parent), text)
    if path.stem != playbook.id:
        # Discovery finds a playbook by its file name without reading every file.
        raise item.error(
            ("id",),
            f"id {playbook.id!r} differs from the file name; name the file "
            f"{playbook.id}{path.suffix}",
        )
    return item
