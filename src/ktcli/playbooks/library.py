"""Finding, loading, merging, hashing and linting playbooks.

Discovery order (a later playbook wins by id): the built-in playbooks shipped in
the package, the user's config directory, the team directory
``.ktcli/playbooks/`` at the root of the current git repository, then every
directory in ``KTCLI_PLAYBOOK_PATH``. Files are read only through
:mod:`ktcli.yamlio`, so every error names file:line:column and the field.

Merging, hashing and describing changes are pure functions; only the loaders
touch the disk.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ktcli import yamlio
from ktcli.errors import InvalidFileError, InvalidFileErrors, KtError, NotFoundError
from ktcli.playbooks.model import PLAYBOOK_SCHEMA_VERSION, Playbook, RowGuide, Terms, problems

if TYPE_CHECKING:
    from datetime import datetime

    from ktcli.core.model import Analysis, PlaybookRef
    from ktcli.session.guide import Guide

#: The playbook used when a session names none.
DEFAULT_ID = "generic"
ENV_PATH = "KTCLI_PLAYBOOK_PATH"
SUFFIXES = (".yaml", ".yml")
TEAM_DIR = Path(".ktcli") / "playbooks"

SourceKind = Literal["builtin", "user", "team", "path"]


def builtin_dir() -> Path:
    """Where the built-in playbooks are: inside the installed package, else the checkout."""
    packaged = Path(__file__).resolve().parent / "builtin"
    if packaged.is_dir():
        return packaged
    # An editable install runs from src/ktcli; the files stay in playbooks/ at the root.
    return Path(__file__).resolve().parents[3] / "playbooks"


def user_dir() -> Path:
    """The user's own playbooks, in the platform's config directory."""
    from platformdirs import user_config_dir

    return Path(user_config_dir("ktcli", appauthor=False)) / "playbooks"


def git_root(start: Path) -> Path | None:
    """The nearest directory at or above ``start`` holding ``.git`` (a directory or a file).

    Walking up is microseconds; running git would cost a process per command.
    """
    here = start.resolve()
    for candidate in (here, *here.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


@dataclass(frozen=True)
class Source:
    """One directory searched for playbooks, and what kind of place it is."""

    kind: SourceKind
    directory: Path


def sources(cwd: Path | None = None, environ: Mapping[str, str] | None = None) -> list[Source]:
    """Every directory searched, in order of increasing precedence."""
    env = os.environ if environ is None else environ
    found = [Source("builtin", builtin_dir()), Source("user", user_dir())]
    root = git_root(cwd or Path.cwd())
    if root is not None:
        found.append(Source("team", root / TEAM_DIR))
    for entry in env.get(ENV_PATH, "").split(os.pathsep):
        if entry.strip():
            found.append(Source("path", Path(entry).expanduser()))
    return found


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
        raise _locate(
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
        raise _located(text, source, found)
    return playbook


def _locate(text: str, source: str, loc: tuple[str | int, ...], message: str) -> InvalidFileError:
    return _located(text, source, [(loc, message)]).errors[0]


def _located(
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
        return _locate(self.text, str(self.path), loc, message)


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


# -- merging ---------------------------------------------------------------------------------


def _union(first: Iterable[str], second: Iterable[str]) -> list[str]:
    return list(dict.fromkeys([*first, *second]))


def _by_id(parent: list[Any], child: list[Any]) -> list[Any]:
    """Parent items, each replaced in place by a child item with its id; new ones appended."""
    merged = {item.id: item for item in parent}
    for item in child:
        merged[item.id] = item
    return list(merged.values())


def merge(parent: Playbook, child: Playbook) -> Playbook:
    """``child`` on top of ``parent``: same id replaces, new ids and list entries add."""
    rows: dict[str, RowGuide] = {}
    for row_id in _union(parent.rows, child.rows):
        old, new = parent.rows.get(row_id), child.rows.get(row_id)
        if old is None or new is None:
            rows[row_id] = old or new  # type: ignore[assignment]
            continue
        rows[row_id] = RowGuide(
            questions=_union(old.questions, new.questions),
            hint=new.hint if new.hint is not None else old.hint,
            is_not=_union(old.is_not, new.is_not),
        )
    terms = Terms(
        vague=_union(parent.terms.vague, child.terms.vague),
        causal=_union(parent.terms.causal, child.terms.causal),
        loaded=_union(parent.terms.loaded, child.terms.loaded),
    )
    return child.model_copy(
        update={
            "tags": _union(parent.tags, child.tags),
            "rows": rows,
            "extra_rows": _by_id(parent.extra_rows, child.extra_rows),
            "evidence": _by_id(parent.evidence, child.evidence),
            "causes": _by_id(parent.causes, child.causes),
            "terms": terms,
            "data_requests": _by_id(parent.data_requests, child.data_requests),
        }
    )


def resolve_chain(
    start: PlaybookFile, lookup: Callable[[str], PlaybookFile | None]
) -> list[PlaybookFile]:
    """``start`` and every playbook it extends, child first; missing or circular is an error."""
    chain = [start]
    while (parent_id := chain[-1].playbook.extends) is not None:
        seen = [f.playbook.id for f in chain]
        if parent_id in seen:
            loop = " → ".join([*seen[seen.index(parent_id) :], parent_id])
            raise chain[-1].error(("extends",), f"circular extends: {loop}")
        parent = lookup(parent_id)
        if parent is None:
            raise chain[-1].error(
                ("extends",), f"extends {parent_id!r}, which is not a known playbook"
            )
        chain.append(parent)
    return chain


def merge_chain(chain: list[PlaybookFile]) -> Playbook:
    """Merge a chain from :func:`resolve_chain`; rows each file names must exist once merged."""
    merged = chain[-1].playbook
    for child in reversed(chain[:-1]):
        merged = merge(merged, child.playbook)
    known = merged.row_ids()
    for item in chain:
        if item.playbook.extends is None:
            continue  # checked against its own rows when it was read
        found = problems(item.playbook, known)
        if found:
            raise _located(item.text, str(item.path), found)
    return merged


# -- discovery -------------------------------------------------------------------------------


@dataclass
class Catalog:
    """The playbooks found, by id (their file name); each is read when first needed.

    Finding by file name means a session reads only its playbook and what that
    extends, not every file in every directory.
    """

    sources: list[Source]
    #: The winning file for each id.
    found: dict[str, tuple[Path, Source]] = field(default_factory=dict)
    #: Files that lost to a later one with the same id.
    shadowed: list[tuple[Path, Source]] = field(default_factory=list)
    problems: list[KtError] = field(default_factory=list)
    #: The winners read so far.
    files: dict[str, PlaybookFile] = field(default_factory=dict)

    def lookup(self, playbook_id: str) -> PlaybookFile | None:
        """The winning playbook for an id, read now if not yet; None when there is none."""
        item = self.files.get(playbook_id)
        if item is None and playbook_id in self.found:
            path, source = self.found[playbook_id]
            item = self.files[playbook_id] = load_file(path, source)
        return item

    def get(self, playbook_id: str) -> PlaybookFile:
        """The winning playbook for ``playbook_id``; NotFoundError when there is none."""
        item = self.lookup(playbook_id)
        if item is None:
            known = ", ".join(sorted(self.found)) or "none"
            raise NotFoundError(
                f"no playbook with id {playbook_id!r}",
                hint=f"Known playbooks: {known}. See 'ktcli playbook list'.",
            )
        return item

    def chain(self, playbook_id: str) -> list[PlaybookFile]:
        """The playbook and its ancestors, child first."""
        return resolve_chain(self.get(playbook_id), self.lookup)

    def merged(self, playbook_id: str) -> Playbook:
        """The playbook with everything it extends merged in."""
        return merge_chain(self.chain(playbook_id))

    def load_all(self) -> None:
        """Read every winner now; what cannot be read goes to ``problems``."""
        for playbook_id in self.found:
            try:
                self.lookup(playbook_id)
            except (InvalidFileError, InvalidFileErrors) as exc:
                self.problems.append(exc)


def index(where: list[Source] | None = None) -> Catalog:
    """List the playbook files in ``where`` (default: :func:`sources`); a later one wins by id."""
    catalog = Catalog(sources=where if where is not None else sources())
    for src in catalog.sources:
        if src.kind == "path" and not src.directory.is_dir():
            catalog.problems.append(
                KtError(
                    f"{ENV_PATH} names {src.directory}, which is not a directory",
                    hint=f"Fix or remove that entry of {ENV_PATH}.",
                )
            )
            continue
        here: dict[str, Path] = {}
        for path in playbook_paths(src.directory):
            if path.stem in here:
                catalog.problems.append(
                    KtError(
                        f"{path}: same id as {here[path.stem].name} next to it; this one wins",
                        hint="Keep one file per playbook id.",
                    )
                )
            here[path.stem] = path
            previous = catalog.found.get(path.stem)
            if previous is not None:
                catalog.shadowed.append(previous)
            catalog.found[path.stem] = (path, src)
    return catalog


def discover(where: list[Source] | None = None) -> Catalog:
    """Find and read every playbook in ``where``, as ``playbook list`` shows them."""
    catalog = index(where)
    catalog.load_all()
    return catalog


def load(playbook_id: str = DEFAULT_ID, cwd: Path | None = None) -> Playbook:
    """The merged playbook ``playbook_id`` as discovery finds it from ``cwd``."""
    return index(sources(cwd)).merged(playbook_id)


# -- traceability ----------------------------------------------------------------------------


def _digest(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_hash(playbook: Playbook) -> str:
    """sha256 of the canonical JSON of a (merged) playbook: sorted keys, no spaces, UTF-8."""
    return _digest(playbook.model_dump(mode="json"))


#: Item kinds in the per-item hashes, with the words used to describe them.
_ITEM_WORDS = {
    "about": "name, description, tags or extends",
    "row": "guide for row",
    "extra_row": "extra row",
    "evidence": "evidence",
    "cause": "known cause",
    "data_request": "data request",
    "terms": "probing terms",
}


def item_hashes(playbook: Playbook) -> dict[str, str]:
    """A 12-hex-digit hash per item (``cause:ID``, ``row:ID``, ...), to say later what changed."""
    data = playbook.model_dump(mode="json")
    items = {
        "about": _digest([data[k] for k in ("name", "description", "tags", "extends")]),
        "terms": _digest(data["terms"]),
    }
    for row_id, guide in data["rows"].items():
        items[f"row:{row_id}"] = _digest(guide)
    for key, kind in (
        ("extra_rows", "extra_row"),
        ("evidence", "evidence"),
        ("causes", "cause"),
        ("data_requests", "data_request"),
    ):
        for entry in data[key]:
            items[f"{kind}:{entry['id']}"] = _digest(entry)
    return {k: v[:12] for k, v in items.items()}


def make_ref(playbook: Playbook) -> PlaybookRef:
    """What an analysis records about the (merged) playbook it used."""
    from ktcli.core.model import PlaybookRef

    return PlaybookRef(
        id=playbook.id,
        version=playbook.version,
        sha256=content_hash(playbook),
        items=item_hashes(playbook),
    )


def _item_words(key: str) -> str:
    kind, _, ident = key.partition(":")
    words = _ITEM_WORDS.get(kind, kind)
    return f"{words} {ident!r}" if ident else words


def describe_changes(recorded: PlaybookRef, current: Playbook) -> list[str]:
    """What differs between the playbook an analysis recorded and ``current``; empty if nothing."""
    if recorded.id != current.id:
        return [f"a different playbook: {current.id!r} instead of {recorded.id!r}"]
    if recorded.sha256 == content_hash(current):
        return []
    version = (
        [f"version {recorded.version} is now {current.version}"]
        if recorded.version != current.version
        else []
    )
    if not recorded.items:
        return [*version, "the content changed (no per-item record to compare)"]
    now = item_hashes(current)
    items = []
    for key in recorded.items:
        if key not in now:
            items.append(f"{_item_words(key)} was removed")
        elif now[key] != recorded.items[key]:
            items.append(f"{_item_words(key)} changed")
    items += [f"{_item_words(key)} was added" for key in now if key not in recorded.items]
    # The hash differs, so something changed even if no item says so (e.g. the version).
    return [*version, *items] or ["the content changed"]


# -- in the guided session --------------------------------------------------------------------


def _row_hint(playbook: Playbook, row_id: str) -> str:
    """One row's advice as hint lines: the hint, extra questions, IS NOT comparisons, requests."""
    guide = playbook.rows.get(row_id)
    extra = next((r for r in playbook.extra_rows if r.id == row_id), None)
    lines: list[str] = []
    hint = guide.hint if guide and guide.hint else (extra.hint if extra else None)
    if hint:
        lines.append(hint)
    if guide and guide.questions:
        lines.append("also ask: " + " / ".join(guide.questions))
    is_not = (extra.is_not if extra else []) + (guide.is_not if guide else [])
    if is_not:
        lines.append("a good IS NOT here: " + "; ".join(is_not))
    asks = [d.what for d in playbook.data_requests if d.row == row_id]
    if asks:
        lines.append("ask for: " + "; ".join(asks))
    return "\n".join(lines)


def guide(playbook: Playbook) -> Guide:
    """What a (merged) playbook adds to a guided session, in the shape ``interview`` takes."""
    from ktcli.core.language import DEFAULT_TERMS
    from ktcli.session import guide as seam

    row_ids = [*playbook.rows, *(r.id for r in playbook.extra_rows)]
    row_ids += [d.row for d in playbook.data_requests if d.row]
    rows = tuple(
        seam.RowAdvice(row_id, hint=_row_hint(playbook, row_id))
        for row_id in dict.fromkeys(row_ids)
    )
    return seam.Guide(
        id=playbook.id,
        rows=tuple(r for r in rows if r.hint),
        # The row's hint and comparisons travel in its RowAdvice, like a standard row's.
        extra_rows=tuple(
            seam.AddedRow(r.id, r.dimension, r.label, r.question) for r in playbook.extra_rows
        ),
        causes=tuple(seam.OfferedCause(c.id, c.text, c.confirm) for c in playbook.causes),
        evidence=tuple(
            seam.EvidenceItem(
                e.id, e.what + (" (before any restart)" if e.before_restart else ""), e.row
            )
            for e in playbook.evidence
        ),
        terms=DEFAULT_TERMS.extended(
            vague=tuple(playbook.terms.vague),
            causal=tuple(playbook.terms.causal),
            loaded=tuple(playbook.terms.loaded),
        ),
    )


def attach(analysis: Analysis, playbook: Playbook) -> list[str]:
    """Record the playbook on the analysis and add its evidence as data requests.

    Idempotent: a data request whose id is already there is left alone, so a
    resumed session adds only evidence the playbook gained since. Returns the
    ids of the requests added.
    """
    from ktcli.core.model import DataRequest

    analysis.playbook = make_ref(playbook)
    have = {d.id for d in analysis.data_requests}
    added = []
    for ev in playbook.evidence:
        if ev.id in have:
            continue
        what = ev.what + (" - before any restart" if ev.before_restart else "")
        if ev.commands:
            what += "\n" + "\n".join(f"$ {c}" for c in ev.commands)
        analysis.data_requests.append(
            DataRequest(id=ev.id, what=what, requested_from=ev.requested_from, row=ev.row)
        )
        added.append(ev.id)
    return added


def for_session(
    analysis: Analysis,
    requested: str | None,
    catalog: Catalog | None = None,
    *,
    who: str | None = None,
    now: datetime | None = None,
) -> tuple[Guide, list[str]]:
    """The guide for a new or resumed session, and warnings to show the analyst.

    A new analysis records the requested playbook (``generic`` when none is
    named). A resumed one keeps the playbook it recorded: when that changed
    since, the warning says what changed and the record is brought up to date;
    when it cannot be found any more, the session goes on without it.
    """
    from ktcli.errors import UsageError
    from ktcli.session.guide import NO_GUIDE

    catalog = catalog or index()
    recorded = analysis.playbook
    if recorded is None:
        playbook = catalog.merged(requested or DEFAULT_ID)
        attach(analysis, playbook)
        return guide(playbook), []
    if requested is not None and requested != recorded.id:
        raise UsageError(
            f"{analysis.id} was started with playbook {recorded.id!r}, not {requested!r}",
            hint="A session keeps its playbook; start a new analysis for another one.",
        )
    if recorded.id not in catalog.found:
        return NO_GUIDE, [
            f"playbook {recorded.id!r} (version {recorded.version}) is not available here; "
            "continuing without it"
        ]
    playbook = catalog.merged(recorded.id)
    changes = describe_changes(recorded, playbook)
    if not changes:
        return guide(playbook), []
    attach(analysis, playbook)
    warning = (
        f"playbook {recorded.id!r} changed since this analysis used it "
        f"(sha256 {recorded.sha256[:12]}, now {content_hash(playbook)[:12]}): " + "; ".join(changes)
    )
    if who is not None and now is not None:
        from ktcli.core.analysis import record

        record(analysis, who, warning, now)
    return guide(playbook), [warning]


# -- lint --------------------------------------------------------------------------------------


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
