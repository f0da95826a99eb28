"""``ktcli playbook lint``: check playbook files as CI would, collecting every error."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from ktcli.errors import InvalidFileError, InvalidFileErrors
from ktcli.playbooks.discovery import index, sources
from ktcli.playbooks.files import SUFFIXES, PlaybookFile, load_file, playbook_paths
from ktcli.playbooks.merge import merge_chain, resolve_chain

if TYPE_CHECKING:
    from pathlib import Path


@dataclass
class LintReport:
    """What ``ktcli playbook lint`` found."""

    files: list[Path] = field(default_factory=list)
    errors: list[InvalidFileError] = field(default_factory=list)

    @cached_property
    def files_with_errors(self) -> int:
        """How many files have at least one error."""
        return len({e.path for e in self.errors})


def _expand(paths: list[Path], report: LintReport) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(
                p
                for p in path.rglob("*")
                if p.suffix in SUFFIXES
                and p.is_file()
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.exists():
            out.append(path)
        else:
            report.errors.append(InvalidFileError(str(path), "no such file or directory"))
    return list(dict.fromkeys(out))


def _errors_of(exc: InvalidFileError | InvalidFileErrors) -> list[InvalidFileError]:
    return exc.errors if isinstance(exc, InvalidFileErrors) else [exc]


def lint(paths: list[Path], cwd: Path | None = None) -> LintReport:
    """Check playbook files (or directories of them) as CI would; never raises for bad files.

    ``extends`` resolves against the files given, then their sibling files (so a
    hook given only changed files still finds their parents), then discovery.
    """
    report = LintReport()
    report.files = _expand(paths, report)
    given: dict[str, PlaybookFile] = {}
    for path in report.files:
        try:
            item = load_file(path)
        except (InvalidFileError, InvalidFileErrors) as exc:
            report.errors += _errors_of(exc)
            continue
        first = given.get(item.playbook.id)
        if first is not None:
            report.errors.append(
                item.error(
                    ("id",), f"duplicate playbook id {item.playbook.id!r} (also {first.path})"
                )
            )
            continue
        given[item.playbook.id] = item
    siblings: dict[str, PlaybookFile] = {}
    for directory in dict.fromkeys(p.parent for p in report.files):
        for path in playbook_paths(directory):
            if path not in report.files:
                try:
                    siblings[path.stem] = load_file(path)
                except (InvalidFileError, InvalidFileErrors):
                    continue  # not asked about; its own lint run reports it
    local = {**siblings, **given}
    catalog = index(sources(cwd))

    def find(playbook_id: str) -> PlaybookFile | None:
        return local.get(playbook_id) or catalog.lookup(playbook_id)

    for item in given.values():
        try:
            merge_chain(resolve_chain(item, find))
        except (InvalidFileError, InvalidFileErrors) as exc:
            report.errors += _errors_of(exc)
    # A broken parent fails its own check and every child's: say it once.
    unique = {e.message: e for e in report.errors}
    report.errors = sorted(unique.values(), key=lambda e: (e.path, e.line or 0, e.column or 0))
    return report
