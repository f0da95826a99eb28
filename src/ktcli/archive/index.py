"""The index beside the store: one SQLite file, derived from the analyses, never trusted over them.

The files are the truth. Every read first checks the index against the file
stamps (modification time, size, inode) and re-reads only the files that
changed; the store directory's own stamp lets a read skip that check when no
file was added, replaced or removed since the last one. A stamp is trusted
only when it was recorded well after it was set (the "racy git" rule: two
changes within one clock tick carry the same stamp). A corrupt index is
deleted and rebuilt; one that cannot be written is replaced by a throw-away
one in memory, so a read still answers from the files.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from ktcli.archive.record import SEP, Record, record_of
from ktcli.errors import KtError, UsageError

if TYPE_CHECKING:
    from ktcli.core.model import Analysis
    from ktcli.core.similarity import Profile

#: The index's folder in the store directory, and its file there. A folder of its own:
#: SQLite creates and deletes files beside the database (``-wal``, ``-shm``), which in
#: the store directory itself would change the very stamp that says nothing changed.
INDEX_DIR = ".ktcli-index"
INDEX_NAME = "index.sqlite3"
#: Bumped when the tables change; an index of another version is rebuilt.
SCHEMA_VERSION = 3
#: A directory stamp recorded less than this long after it was set is not trusted.
RACY_NS = 2_000_000_000
#: Files read in one check after which the write-ahead log is folded into the index.
CHECKPOINT_AFTER = 1000
#: The local store's name as a source; archives are named by their folder.
STORE = "store"
#: Handoff files in archives; the store itself holds only ``<id>.yaml``.
ARCHIVE_SUFFIXES = (".yaml", ".yml", ".json")

_T = TypeVar("_T")

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

_TABLES = """
CREATE TABLE analyses (
    rowid INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    mtime_ns INTEGER NOT NULL,
    size INTEGER NOT NULL,
    ino INTEGER NOT NULL,
    id TEXT NOT NULL,
    error TEXT,
    status TEXT,
    title TEXT,
    ticket TEXT,
    product TEXT,
    analysts TEXT,
    priority TEXT,
    depth TEXT,
    created_at REAL,
    updated_at REAL,
    closed_at REAL,
    true_cause TEXT,
    profile TEXT,
    object TEXT,
    deviation TEXT,
    effort_minutes INTEGER
);
-- The order of list exactly, so that the newest 50 are read, not all of them sorted.
CREATE INDEX analyses_listed ON analyses ((error IS NULL), updated_at DESC, id, path);
CREATE INDEX analyses_source ON analyses (source);
CREATE TABLE sources (source TEXT PRIMARY KEY, stamp TEXT NOT NULL, checked_ns INTEGER NOT NULL);
CREATE VIRTUAL TABLE fts USING fts5 (title, body, tokenize = 'unicode61 remove_diacritics 2');
"""

_COLUMNS = (
    "id, error, status, title, ticket, product, analysts, priority, depth, "
    "created_at, updated_at, closed_at, true_cause, profile, object, deviation, effort_minutes"
)
#: What ``Listed`` holds: the columns up to the true cause.
_LISTED = "a.source, a.path, " + ", ".join(
    "a." + c.strip() for c in _COLUMNS.split(",")[: _COLUMNS.split(",").index(" true_cause") + 1]
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
class Filters:
    """What ``list`` narrows to; None means any."""

    status: str | None = None
    product: str | None = None
    analyst: str | None = None
    since: datetime | None = None
    ticket: str | None = None

    def where(self) -> tuple[str, list[Any]]:
        """The SQL condition and its parameters."""
        parts: list[str] = []
        params: list[Any] = []
        for column in ("status", "product"):
            value = getattr(self, column)
            if value is not None:
                parts.append(f"a.{column} = ?")
                params.append(value)
        if self.ticket is not None:
            # Tickets as people type them: INC-9042 and inc-9042 are one ticket.
            parts.append("lower(a.ticket) = lower(?)")
            params.append(self.ticket)
        if self.analyst is not None:
            parts.append("instr(a.analysts, ?) > 0")
            params.append(SEP + self.analyst + SEP)
        if self.since is not None:
            parts.append("a.updated_at >= ?")
            params.append(self.since.timestamp())
        return (" AND ".join(parts) or "1"), params


@dataclass(frozen=True)
class SyncReport:
    """What one check against the files found."""

    read: int = 0
    removed: int = 0


def _time(value: float | None) -> datetime | None:
    return None if value is None else datetime.fromtimestamp(value, timezone.utc)


def _listed(row: sqlite3.Row | tuple[Any, ...], snippet: str | None = None) -> Listed:
    (source, path, aid, error, status, title, ticket, product, analysts) = row[:9]
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


def _stamp(st: os.stat_result) -> tuple[int, int, int]:
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def _scan(folder: Path, recursive: bool) -> dict[str, tuple[int, int, int]]:
    """The stamp of each analysis file under ``folder``: the store's ``*.yaml``, or all handoffs."""
    out: dict[str, tuple[int, int, int]] = {}
    pending = [str(folder)]
    while pending:
        try:
            entries = list(os.scandir(pending.pop()))
        except OSError:
            continue
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


def _connect(target: str) -> sqlite3.Connection:
    """Open (creating if need be) an index of this schema version; older ones are emptied."""
    conn = sqlite3.connect(target, timeout=2.0, isolation_level=None)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            _create(conn, fresh=version == 0)
        # Derived data: a crash may lose the last update, the next read re-checks the files.
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
    except BaseException:
        conn.close()
        raise
    return conn


def _create(conn: sqlite3.Connection, *, fresh: bool) -> None:
    conn.execute("BEGIN IMMEDIATE")
    if not fresh:
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'fts_%'"
        ).fetchall():
            conn.execute(f'DROP TABLE IF EXISTS "{name}"')
    for statement in _TABLES.split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.execute("COMMIT")


def _remove(path: Path) -> None:
    for name in (path.name, path.name + "-wal", path.name + "-shm"):
        with contextlib.suppress(FileNotFoundError):
            (path.parent / name).unlink()


def _fts_query(text: str) -> str:
    """Every word of ``text`` as a quoted FTS5 string: all must match, no operator syntax."""
    import re

    words = re.findall(r"\w+", text)
    if not words:
        raise UsageError(
            f"nothing to search for in {text!r}", hint="Give one or more words, e.g. 'timeout'."
        )
    return " ".join(f'"{w}"' for w in words)


class Index:
    """The index of the store and of the read-only archives."""

    def __init__(self, root: Path, archives: Sequence[Path] = ()) -> None:
        self.root = root
        self.archives = tuple(archives)
        self.path = root / INDEX_DIR / INDEX_NAME
        self._conn: sqlite3.Connection | None = None
        #: True when the index on disk could not be used and one in memory answers instead.
        self.bypassed = False

    # -- connection ---------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        if self.root.is_dir():
            try:
                self.path.parent.mkdir(exist_ok=True)
                return _connect(str(self.path))
            except (sqlite3.DatabaseError, OSError):
                with contextlib.suppress(OSError):
                    _remove(self.path)
                with contextlib.suppress(sqlite3.DatabaseError, OSError):
                    return _connect(str(self.path))
        # No store yet, or nowhere to write: answer from the files through a throw-away index.
        self.bypassed = self.root.is_dir()
        return _connect(":memory:")

    @property
    def conn(self) -> sqlite3.Connection:
        """The open connection (opened, and created, on first use)."""
        if self._conn is None:
            self._conn = self._open()
        return self._conn

    def close(self) -> None:
        """Close the connection, if open."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _guarded(self, work: Callable[[sqlite3.Connection], _T]) -> _T:
        """Run ``work``; an index found corrupt on the way is deleted, rebuilt, and asked again."""
        try:
            return work(self.conn)
        except sqlite3.OperationalError:
            # Busy past the timeout, or the disk refuses: answer from the files this once.
            self.close()
            self.bypassed = True
            self._conn = _connect(":memory:")
        except sqlite3.DatabaseError:
            # Not a database, or a malformed one: it is derived, so start again.
            self.close()
            with contextlib.suppress(OSError):
                _remove(self.path)
        return work(self.conn)

    @contextlib.contextmanager
    def _transaction(self, conn: sqlite3.Connection) -> Iterator[None]:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    # -- keeping up with the files ------------------------------------------------------------

    def sources(self) -> list[tuple[str, Path, bool]]:
        """(name, folder, recursive) of the store and of every archive."""
        return [(STORE, self.root, False)] + [(str(p), p, True) for p in self.archives]

    def sync(self, *, force: bool = False, thorough: bool = False) -> SyncReport:
        """Bring the index up to date with the files; ``force`` re-reads every one.

        ``thorough`` compares every file's stamp even when the directory's says
        nothing was added or replaced: it finds files rewritten in place.
        """

        def work(conn: sqlite3.Connection) -> SyncReport:
            total = SyncReport()
            for name, folder, recursive in self.sources():
                got = self._sync_source(
                    conn, name, folder, recursive=recursive, force=force, thorough=thorough
                )
                total = SyncReport(total.read + got.read, total.removed + got.removed)
            return total

        return self._guarded(work)

    def rebuild(self) -> SyncReport:
        """Forget everything and read every file again."""
        self.close()
        with contextlib.suppress(OSError):
            _remove(self.path)
        return self.sync(force=True)

    def _sync_source(
        self,
        conn: sqlite3.Connection,
        name: str,
        folder: Path,
        *,
        recursive: bool,
        force: bool,
        thorough: bool = False,
    ) -> SyncReport:
        try:
            st = folder.stat()
        except OSError:
            st = None
        stamp = f"{st.st_mtime_ns}:{st.st_ino}" if st else "missing"
        known_stamp = conn.execute(
            "SELECT stamp, checked_ns FROM sources WHERE source = ?", (name,)
        ).fetchone()
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
        known = {
            path: (m, s, i)
            for path, m, s, i in conn.execute(
                "SELECT path, mtime_ns, size, ino FROM analyses WHERE source = ?", (name,)
            )
        }
        gone = [p for p in known if p not in files]
        changed = [p for p, s in files.items() if force or known.get(p) != s]
        with self._transaction(conn):
            for path in gone:
                self._delete(conn, path)
            for path in changed:
                self._put(conn, name, path, files[path], *self._read(Path(path), recursive))
            conn.execute(
                "INSERT INTO sources (source, stamp, checked_ns) VALUES (?, ?, ?) "
                "ON CONFLICT (source) DO UPDATE SET stamp = excluded.stamp, "
                "checked_ns = excluded.checked_ns",
                (name, stamp, checked),
            )
        if len(changed) + len(gone) > CHECKPOINT_AFTER:
            # A large write leaves a large write-ahead log, which the next process to open
            # the index would read whole (100,000 analyses: 2.6 s and 140 MiB for a list).
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return SyncReport(len(changed), len(gone))

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

    @staticmethod
    def _delete(conn: sqlite3.Connection, path: str) -> None:
        row = conn.execute("SELECT rowid FROM analyses WHERE path = ?", (path,)).fetchone()
        if row is not None:
            conn.execute("DELETE FROM fts WHERE rowid = ?", row)
            conn.execute("DELETE FROM analyses WHERE rowid = ?", row)

    def _put(
        self,
        conn: sqlite3.Connection,
        source: str,
        path: str,
        stamp: tuple[int, int, int],
        analysis: Analysis | None,
        error: str | None,
    ) -> None:
        self._delete(conn, path)
        rec: Record | None = record_of(analysis) if analysis is not None else None
        values: tuple[Any, ...] = (
            (
                rec.id,
                None,
                rec.status,
                rec.title,
                rec.ticket,
                rec.product,
                rec.analysts,
                rec.priority,
                rec.depth,
                rec.created_at,
                rec.updated_at,
                rec.closed_at,
                rec.true_cause,
                rec.profile,
                rec.object,
                rec.deviation,
                rec.effort_minutes,
            )
            if rec
            else (Path(path).stem, error, *([None] * 15))
        )
        cur = conn.execute(
            # Only our own column names are formatted in; every value is a parameter.
            f"INSERT INTO analyses (path, source, mtime_ns, size, ino, {_COLUMNS}) "  # noqa: S608
            f"VALUES (?, ?, ?, ?, ?, {', '.join('?' * 17)})",
            (path, source, *stamp, *values),
        )
        if rec is not None:
            conn.execute(
                "INSERT INTO fts (rowid, title, body) VALUES (?, ?, ?)",
                (cur.lastrowid, rec.title, rec.body),
            )

    def update(self, path: Path, analysis: Analysis) -> None:
        """Record an analysis the store has just saved at ``path`` (the store's after-save hook).

        The directory stamp is left alone: the next read re-checks the files'
        stamps, and finds this one already current.
        """

        def work(conn: sqlite3.Connection) -> None:
            stamp = _stamp(path.stat())
            with self._transaction(conn):
                self._put(conn, STORE, str(path), stamp, analysis, None)

        self._guarded(work)

    # -- questions ----------------------------------------------------------------------------

    def counts(self) -> tuple[int, int]:
        """How many files are indexed, and how many of them would not load (no check first)."""

        def work(conn: sqlite3.Connection) -> tuple[int, int]:
            total, broken = conn.execute("SELECT count(*), count(error) FROM analyses").fetchone()
            return int(total), int(broken)

        return self._guarded(work)

    def listing(self, filters: Filters, limit: int | None = None) -> tuple[list[Listed], int]:
        """Analyses matching ``filters``: broken files first, then newest first; and how many."""
        self.sync()
        where, params = filters.where()

        def work(conn: sqlite3.Connection) -> tuple[list[Listed], int]:
            # ``where`` is built from fixed column names; the values are parameters.
            total = conn.execute(f"SELECT count(*) FROM analyses a WHERE {where}", params)  # noqa: S608
            count = int(total.fetchone()[0])
            rows = conn.execute(
                f"SELECT {_LISTED} FROM analyses a WHERE {where} "  # noqa: S608
                "ORDER BY a.error IS NULL, a.updated_at DESC, a.id, a.path LIMIT ?",
                [*params, -1 if limit is None else limit],
            ).fetchall()
            return [_listed(r) for r in rows], count

        return self._guarded(work)

    def search(self, text: str, limit: int = 20) -> list[Listed]:
        """Analyses whose text holds every word of ``text``, best match first, with a snippet.

        The snippet marks matches with STX and ETX (``char(2)`` … ``char(3)``), characters that
        user text shown on a terminal never keeps (see ``core.text.clean``).
        """
        query = _fts_query(text)
        self.sync()

        def work(conn: sqlite3.Connection) -> list[Listed]:
            rows = conn.execute(
                f"SELECT {_LISTED}, snippet(fts, -1, char(2), char(3), '…', 12) "  # noqa: S608
                "FROM fts JOIN analyses a ON a.rowid = fts.rowid "
                "WHERE fts MATCH ? ORDER BY bm25(fts, 4.0, 1.0), a.updated_at DESC LIMIT ?",
                (query, limit),
            ).fetchall()
            return [_listed(r[:-1], r[-1]) for r in rows]

        return self._guarded(work)

    def similar(self, words: str, exclude: str, limit: int = 200) -> list[tuple[Listed, Profile]]:
        """Candidates for "same problem?": analyses sharing any of ``words``, best first.

        ``exclude`` is the id of the analysis itself (its copies in archives too). The
        comparison, row by row, is :func:`ktcli.core.similarity.compare`; this finds whom.
        """
        import json
        import re

        from ktcli.core.similarity import Profile

        every = dict.fromkeys(w.lower() for w in re.findall(r"\w+", words))
        # Words nearly every analysis holds find nothing but cost a rank for each of them.
        unique = [w for w in every if len(w) > 2 and w not in _COMMON] or list(every)
        if not unique:
            return []
        query = " OR ".join(f'"{w}"' for w in unique)
        self.sync()

        def work(conn: sqlite3.Connection) -> list[tuple[Listed, Profile]]:
            rows = conn.execute(
                f"SELECT {_LISTED}, a.profile "  # noqa: S608 - our column names only
                "FROM fts JOIN analyses a ON a.rowid = fts.rowid "
                "WHERE fts MATCH ? AND a.id != ? ORDER BY bm25(fts, 4.0, 1.0) LIMIT ?",
                (query, exclude, limit),
            ).fetchall()
            return [(_listed(r[:-1]), Profile.from_data(json.loads(r[-1]))) for r in rows]

        return self._guarded(work)

    def cases(self) -> list[Case]:
        """Every analysis that loads, with what the reports group and measure by."""
        self.sync()

        def work(conn: sqlite3.Connection) -> list[Case]:
            rows = conn.execute(
                "SELECT id, source, status, title, product, analysts, object, deviation, "
                "true_cause, created_at, closed_at, effort_minutes "
                "FROM analyses WHERE error IS NULL ORDER BY created_at, id"
            ).fetchall()
            return [
                Case(
                    id=r[0],
                    source=r[1],
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

        return self._guarded(work)


def archive_paths(env: str | None = None) -> list[Path]:
    """The folders of ``KTCLI_ARCHIVE_PATH`` (like PATH), then the config file's, each once."""
    from ktcli.config import load_config

    value = os.environ.get("KTCLI_ARCHIVE_PATH", "") if env is None else env
    named = [Path(p).expanduser() for p in value.split(os.pathsep) if p.strip()]
    return list(dict.fromkeys([*named, *load_config().archives]))
