"""The index of the store and the archives: derived from the analyses, never trusted over them.

The files are the truth. Every read first checks the index against the file
stamps (modification time, size, inode) and re-reads only the files that
changed; the store directory's own stamp lets a read skip that check when no
file was added, replaced or removed since the last one. A stamp is trusted
only when it was recorded well after it was set (the "racy git" rule: two
changes within one clock tick carry the same stamp).

That logic is here, once; a :class:`~ktcli.archive.backend.Backend` keeps the
rows: SQLite beside the store by default (:mod:`ktcli.archive.sqlite`), or one
PostgreSQL database for an organisation when ``KTCLI_ARCHIVE_URL`` names one
(:mod:`ktcli.archive.postgres`, imported only then).
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ktcli.archive.backend import Filters, Row, Stamp
from ktcli.archive.record import SEP, record_of
from ktcli.errors import KtError, UsageError

if TYPE_CHECKING:
    from ktcli.archive.backend import Backend
    from ktcli.archive.sqlite import SQLiteBackend
    from ktcli.config import Config
    from ktcli.core.model import Analysis
    from ktcli.core.similarity import Profile

__all__ = ["Case", "Filters", "Index", "Listed", "SyncReport", "archive_paths", "archive_url"]

#: A directory stamp recorded less than this long after it was set is not trusted.
RACY_NS = 2_000_000_000
#: The local store's name as a source; archives are named by their folder.
STORE = "store"
#: Handoff files in archives; the store itself holds only ``<id>.yaml``.
ARCHIVE_SUFFIXES = (".yaml", ".yml", ".json")
#: The environment variable that puts the index in an organisation's PostgreSQL database.
URL_VARIABLE = "KTCLI_ARCHIVE_URL"
#: A word that more than this share of the indexed analyses hold does not find ``similar``
#: candidates (unless every word is that common): it would rank nearly the whole index...
COMMON_SHARE = 0.2
#: ... provided it is held by more than this many: fewer are cheap to rank, and keep the
#: candidates a small store would have found by any shared word.
COMMON_FLOOR = 1000

#: Left out of the search for candidates of ``similar``: they say nothing about a problem.
_COMMON = frozenset(
    (
        "the",
        "and",
        "for",
        "not",
        "are",
        "was",
        "were",
        "has",
        "have",
        "had",
        "but",
        "with",
        "from",
        "into",
        "onto",
        "than",
        "then",
        "when",
        "there",
        "this",
        "that",
        "these",
        "those",
        "all",
        "any",
        "its",
        "our",
        "your",
        "their",
        "one",
        "two",
        "some",
        "only",
        "more",
        "most",
        "after",
        "before",
        "since",
        "until",
        "over",
        "under",
    )
)


@dataclass(frozen=True)
class Listed:
    """One indexed analysis as ``list`` and ``search`` show it; ``error`` for a broken file."""

    source: str
    path: str
    id: str
    error: str | None
    status: str | None
    title: str | None
    ticket: str | None
    product: str | None
    analysts: tuple[str, ...]
    priority: str | None
    depth: str | None
    created_at: datetime | None
    updated_at: datetime | None
    closed_at: datetime | None
    true_cause: str | None
    snippet: str | None = None

    def as_json(self) -> dict[str, Any]:
        """A plain mapping for ``--json``: timestamps in ISO 8601, nothing rendered."""
        out: dict[str, Any] = {}
        for key, value in self.__dict__.items():
            out[key] = value.isoformat() if isinstance(value, datetime) else value
        out["analysts"] = list(self.analysts)
        return out


@dataclass(frozen=True)
class Case:
    """One analysis as the reports see it: who, what, when, how long, how much effort."""

    id: str
    source: str
    status: str
    title: str
    product: str | None
    analysts: tuple[str, ...]
    object: str | None
    deviation: str | None
    true_cause: str | None
    created_at: datetime
    closed_at: datetime | None
    effort_minutes: int


@dataclass(frozen=True)
class SyncReport:
    """What one check against the files found."""

    read: int = 0
    removed: int = 0


def _time(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, timezone.utc)


def _listed(row: Sequence[Any], source: str, snippet: str | None = None) -> Listed:
    (_, path, aid, error, status, title, ticket, product, analysts) = row[:9]
    (priority, depth, created, updated, closed, true_cause) = row[9:15]
    return Listed(
        source=source,
        path=path,
        id=aid,
        error=error,
        status=status,
        title=title,
        ticket=ticket,
        product=product,
        analysts=tuple(x for x in (analysts or "").split(SEP) if x),
        priority=priority,
        depth=depth,
        created_at=_time(created),
        updated_at=_time(updated),
        closed_at=_time(closed),
        true_cause=true_cause,
        snippet=snippet,
    )


def _stamp(st: os.stat_result) -> Stamp:
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _scan(folder: Path, recursive: bool) -> dict[str, Stamp]:
    """The stamp of each analysis file under ``folder``: the store's ``*.yaml``, or all handoffs."""
    out: dict[str, Stamp] = {}
    pending = [str(folder)]
    while pending:
        # One entry at a time: a list of 100,000 directory entries alone holds about 100 MiB.
        with contextlib.suppress(OSError), os.scandir(pending.pop()) as entries:
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                if recursive and entry.is_dir(follow_symlinks=False):
                    pending.append(entry.path)
                elif entry.name.endswith(ARCHIVE_SUFFIXES if recursive else (".yaml",)):
                    with contextlib.suppress(OSError):
                        if entry.is_file(follow_symlinks=False):
                            out[entry.path] = _stamp(entry.stat(follow_symlinks=False))
    return out


def _words(text: str) -> list[str]:
    """The words of ``text`` (all must match): never operator syntax."""
    words = re.findall(r"\w+", text)
    if not words:
        raise UsageError(
            f"nothing to search for in {text!r}", hint="Give one or more words, e.g. 'timeout'."
        )
    return words


class Index:
    """The index of the store and of the read-only archives."""

    def __init__(self, root: Path, archives: Sequence[Path] = (), url: str | None = None) -> None:
        self.root = root
        self.archives = tuple(archives)
        self.backend: Backend
        if url is None:
            from ktcli.archive.sqlite import SQLiteBackend

            self.backend = SQLiteBackend(root)
            store, prefix = STORE, ""
        else:
            # Imported only here: SQLite users never load psycopg (start-up time).
            from ktcli.archive.postgres import PostgresBackend, owner

            self.backend = PostgresBackend(url)
            # One database for many stores: each source is named by whose and where it is,
            # so that no analyst's check forgets another's rows.
            prefix = owner() + ":"
            store = prefix + str(root.absolute())
        self._sources = [(store, root, False)] + [
            (prefix + str(p.absolute() if prefix else p), p, True) for p in self.archives
        ]
        #: How a source is shown: ``store`` for this one, the folder for its archives.
        self._shown = {store: STORE} | {n: str(p) for n, p, _ in self._sources[1:]}

    @property
    def sqlite(self) -> SQLiteBackend:
        """The SQLite backend (for what only it has: a file, a bypass)."""
        from ktcli.archive.sqlite import SQLiteBackend

        assert isinstance(self.backend, SQLiteBackend), "the index is not in SQLite"
        return self.backend

    @property
    def path(self) -> Path:
        """The SQLite index file."""
        return self.sqlite.path

    @property
    def bypassed(self) -> bool:
        """True when the index file could not be used and one in memory answers instead."""
        return bool(getattr(self.backend, "bypassed", False))

    def where(self) -> str:
        """Where the index is, for ``ktcli index`` to say."""
        return self.backend.where()

    def close(self) -> None:
        """Close the connection, if open."""
        self.backend.close()

    def _row_source(self, name: str) -> str:
        return self._shown.get(name, name)

    # -- keeping up with the files ------------------------------------------------------------

    def sources(self) -> list[tuple[str, Path, bool]]:
        """(name, folder, recursive) of the store and of every archive."""
        return list(self._sources)

    def sync(self, *, force: bool = False, thorough: bool = False) -> SyncReport:
        """Bring the index up to date with the files; ``force`` re-reads every one.

        ``thorough`` compares every file's stamp even when the directory's says
        nothing was added or replaced: it finds files rewritten in place.
        """

        def work(backend: Backend) -> SyncReport:
            total = SyncReport()
            for name, folder, recursive in self._sources:
                got = self._sync_source(
                    backend, name, folder, recursive=recursive, force=force, thorough=thorough
                )
                total = SyncReport(total.read + got.read, total.removed + got.removed)
            return total

        return self.backend.guarded(work)

    def rebuild(self) -> SyncReport:
        """Forget this store's and its archives' rows and read every file again."""
        names = [n for n, _, _ in self._sources]
        self.backend.guarded(lambda backend: backend.forget(names))
        return self.sync(force=True)

    def _sync_source(
        self,
        backend: Backend,
        name: str,
        folder: Path,
        *,
        recursive: bool,
        force: bool,
        thorough: bool = False,
    ) -> SyncReport:
        # Asked first: opening a new SQLite index creates its folder in the store directory,
        # which changes the very stamp read next.
        known_stamp = backend.source_stamp(name)
        try:
            st = folder.stat()
        except OSError:
            st = None
        stamp = f"{st.st_mtime_ns}:{st.st_ino}" if st else "missing"
        # Only the store's directory stamp says that no file changed: archives nest folders.
        if (
            not (force or thorough or recursive)
            and st is not None
            and known_stamp is not None
            and known_stamp[0] == stamp
            and known_stamp[1] - st.st_mtime_ns > RACY_NS
        ):
            return SyncReport()
        checked = time.time_ns()
        files = _scan(folder, recursive) if st else {}
        # Compared row by row, not held: what is current leaves ``files`` as it is seen, so
        # the stamps of 100,000 files are held once, never twice.
        gone: list[str] = []
        for path, *was in backend.known(name):
            now = files.get(path)
            if now is None:
                gone.append(path)
            elif not force and now == tuple(was):
                del files[path]
        changed = list(files)
        read = backend.write(name, gone, self._rows(changed, files, recursive), (stamp, checked))
        return SyncReport(read, len(gone))

    def _rows(self, paths: list[str], files: dict[str, Stamp], archive: bool) -> Iterator[Row]:
        """The rows of ``paths``, read one at a time: only one analysis is ever held."""
        for path in paths:
            analysis, error = self._read(Path(path), archive)
            if analysis is None:
                yield Row(path, files[path], Path(path).stem, None, error)
            else:
                yield Row(path, files[path], analysis.id, record_of(analysis))

    @staticmethod
    def _read(path: Path, archive: bool) -> tuple[Analysis | None, str | None]:
        """The analysis in a file, or the first line of why it would not load."""
        from ktcli import yamlio
        from ktcli.core.document import parse_analysis

        try:
            analysis = parse_analysis(yamlio.read(path), str(path))
        except KtError as exc:
            return None, exc.message.splitlines()[0]
        if not archive and analysis.id != path.name.removesuffix(".yaml"):
            return None, f"{path}: id: holds analysis {analysis.id!r}, not {path.stem!r}"
        return analysis, None

    def update(self, path: Path, analysis: Analysis) -> None:
        """Record an analysis the store has just saved at ``path`` (the store's after-save hook).

        The directory stamp is left alone: the next read re-checks the files'
        stamps, and finds this one already current.
        """
        row = Row(str(path), _stamp(path.stat()), analysis.id, record_of(analysis))
        store = self._sources[0][0]
        self.backend.guarded(lambda backend: backend.write(store, [], [row]))

    # -- questions ----------------------------------------------------------------------------

    def counts(self) -> tuple[int, int]:
        """How many files are indexed, and how many of them would not load (no check first)."""
        return self.backend.guarded(lambda backend: backend.counts())

    def listing(self, filters: Filters, limit: int | None = None) -> tuple[list[Listed], int]:
        """Analyses matching ``filters``: broken files first, then newest first; and how many."""
        self.sync()
        rows, count = self.backend.guarded(lambda backend: backend.listing(filters, limit))
        return [_listed(r, self._row_source(r[0])) for r in rows], count

    def search(self, text: str, limit: int = 20) -> list[Listed]:
        """Analyses whose text holds every word of ``text``, best match first, with a snippet.

        The snippet marks matches with STX and ETX (``char(2)`` … ``char(3)``), characters that
        user text shown on a terminal never keeps (see ``core.text.clean``).
        """
        words = _words(text)
        self.sync()
        rows = self.backend.guarded(lambda backend: backend.search(words, limit))
        return [_listed(r[:-1], self._row_source(r[0]), r[-1]) for r in rows]

    def similar(self, words: str, exclude: str, limit: int = 200) -> list[tuple[Listed, Profile]]:
        """Candidates for "same problem?": analyses sharing any of ``words``, best first.

        ``exclude`` is the id of the analysis itself (its copies in archives too). The
        comparison, row by row, is :func:`ktcli.core.similarity.compare`; this finds whom.
        """
        import json

        from ktcli.core.similarity import Profile

        every = dict.fromkeys(w.lower() for w in re.findall(r"\w+", words))
        # Words nearly every analysis holds find nothing but cost a rank for each of them.
        unique = [w for w in every if len(w) > 2 and w not in _COMMON] or list(every)
        if not unique:
            return []
        self.sync()

        def work(backend: Backend) -> list[tuple[Any, ...]]:
            common = backend.common(unique, COMMON_SHARE, COMMON_FLOOR)
            telling = [w for w in unique if w not in common] or unique
            return backend.similar(telling, exclude, limit)

        rows = self.backend.guarded(work)
        return [
            (_listed(r[:-1], self._row_source(r[0])), Profile.from_data(json.loads(r[-1])))
            for r in rows
        ]

    def cases(self) -> list[Case]:
        """Every analysis that loads, with what the reports group and measure by."""
        self.sync()
        rows = self.backend.guarded(lambda backend: backend.cases())
        return [
            Case(
                id=r[0],
                source=self._row_source(r[1]),
                status=r[2],
                title=r[3],
                product=r[4],
                analysts=tuple(x for x in (r[5] or "").split(SEP) if x),
                object=r[6],
                deviation=r[7],
                true_cause=r[8],
                created_at=datetime.fromtimestamp(r[9], timezone.utc),
                closed_at=_time(r[10]),
                effort_minutes=r[11] or 0,
            )
            for r in rows
        ]


def archive_url(env: str | None = None, config: Config | None = None) -> str | None:
    """The PostgreSQL database of the index, or None for SQLite beside the store.

    ``KTCLI_ARCHIVE_URL`` wins; unset (or empty), the configuration file's
    ``archive_url`` is used (``config``, read when not given).
    """
    value = (os.environ.get(URL_VARIABLE, "") if env is None else env).strip()
    origin = URL_VARIABLE
    if not value and env is None:
        configured = (config or _config()).archive_url
        value, origin = (configured or "").strip(), "archive_url (configuration)"
    if not value:
        return None
    if not value.startswith(("postgresql://", "postgres://")):
        raise KtError(
            f"{origin}: expected a postgresql:// URL, got {value.split(':', 1)[0]!r}",
            hint="For example postgresql://ana@db.example.org/ktcli; unset it for SQLite.",
        )
    return value


def archive_paths(env: str | None = None, config: Config | None = None) -> list[Path]:
    """The folders of ``KTCLI_ARCHIVE_PATH`` (like PATH), then the config file's, each once."""
    value = os.environ.get("KTCLI_ARCHIVE_PATH", "") if env is None else env
    named = [Path(p).expanduser() for p in value.split(os.pathsep) if p.strip()]
    return list(dict.fromkeys([*named, *(config or _config()).archives]))


def _config() -> Config:
    from ktcli.config import load_config

    return load_config()
