"""The index in one SQLite file beside the store (the default: nothing to install or set up).

A corrupt index is deleted and rebuilt; one that cannot be written is replaced
by a throw-away one in memory, so a read still answers from the files.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from ktcli.archive.backend import (
    CASES,
    COLUMNS,
    LISTED,
    Filters,
    Row,
    column_definitions,
    row_values,
)

#: The index's folder in the store directory, and its file there. A folder of its own:
#: SQLite creates and deletes files beside the database (``-wal``, ``-shm``), which in
#: the store directory itself would change the very stamp that says nothing changed.
INDEX_DIR = ".ktcli-index"
INDEX_NAME = "index.sqlite3"
#: Bumped when the tables change; an index of another version is rebuilt.
SCHEMA_VERSION = 4
#: Files written in one check after which the write-ahead log is folded into the index.
CHECKPOINT_AFTER = 1000

_T = TypeVar("_T")

_TABLES = f"""
CREATE TABLE analyses (
    rowid INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    source TEXT NOT NULL,
    mtime_ns INTEGER NOT NULL,
    size INTEGER NOT NULL,
    ino INTEGER NOT NULL,
{column_definitions({"text": "TEXT", "integer": "INTEGER", "real": "REAL"})}
);
-- The order of list exactly, so that the newest 50 are read, not all of them sorted;
-- with the filtered columns, so that a filter on the analyst reads no wide row.
CREATE INDEX analyses_listed
    ON analyses ((error IS NULL), updated_at DESC, id, path, status, product, analysts);
CREATE INDEX analyses_source ON analyses (source);
-- list's filters: matched, counted and ordered in narrow indexes, not in the wide rows.
CREATE INDEX analyses_filtered
    ON analyses (status, product, analysts, (error IS NULL), updated_at DESC, id, path);
CREATE INDEX analyses_ticket ON analyses (lower(ticket));
CREATE TABLE sources (source TEXT PRIMARY KEY, stamp TEXT NOT NULL, checked_ns INTEGER NOT NULL);
CREATE VIRTUAL TABLE fts USING fts5 (title, body, tokenize = 'unicode61 remove_diacritics 2');
"""


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


def _quoted(words: Sequence[str], between: str) -> str:
    """Words as quoted FTS5 strings: no operator syntax can come from the text."""
    return between.join(f'"{w}"' for w in words)


class SQLiteBackend:
    """The index file in ``<store>/.ktcli-index/``."""

    def __init__(self, root: Path) -> None:
        self.root = root
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

    def where(self) -> str:
        """Where the index is, for ``ktcli index`` to say."""
        if self.bypassed:
            return "in memory (the index file could not be used)"
        if not self.root.is_dir():
            return f"not written: no store yet at {self.root}"
        return str(self.path)

    def guarded(self, work: Callable[[SQLiteBackend], _T]) -> _T:
        """Run ``work``; an index found corrupt on the way is deleted, rebuilt, and asked again."""
        try:
            return work(self)
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
        return work(self)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def forget(self, sources: Sequence[str]) -> None:
        """Forget everything: the file is this store's alone."""
        self.close()
        with contextlib.suppress(OSError):
            _remove(self.path)

    # -- keeping up with the files ------------------------------------------------------------

    def source_stamp(self, source: str) -> tuple[str, int] | None:
        """The directory stamp last recorded for ``source``, and when it was recorded."""
        row = self.conn.execute(
            "SELECT stamp, checked_ns FROM sources WHERE source = ?", (source,)
        ).fetchone()
        return None if row is None else (row[0], row[1])

    def known(self, source: str) -> Iterator[tuple[str, int, int, int]]:
        """Path and stamp of every file indexed from ``source``, one at a time."""
        return self.conn.execute(
            "SELECT path, mtime_ns, size, ino FROM analyses WHERE source = ?", (source,)
        )

    def write(
        self,
        source: str,
        gone: Sequence[str],
        rows: Iterable[Row],
        stamp: tuple[str, int] | None = None,
    ) -> int:
        """In one transaction: forget ``gone``, put ``rows``, record the directory ``stamp``."""
        written = 0
        with self._transaction() as conn:
            for path in gone:
                self._delete(conn, path)
            for row in rows:
                self._put(conn, source, row)
                written += 1
            if stamp is not None:
                conn.execute(
                    "INSERT INTO sources (source, stamp, checked_ns) VALUES (?, ?, ?) "
                    "ON CONFLICT (source) DO UPDATE SET stamp = excluded.stamp, "
                    "checked_ns = excluded.checked_ns",
                    (source, *stamp),
                )
        if written + len(gone) > CHECKPOINT_AFTER:
            # A large write leaves a large write-ahead log, which the next process to open
            # the index would read whole (100,000 analyses: 2.6 s and 140 MiB for a list).
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return written

    @staticmethod
    def _delete(conn: sqlite3.Connection, path: str) -> None:
        row = conn.execute("SELECT rowid FROM analyses WHERE path = ?", (path,)).fetchone()
        if row is not None:
            conn.execute("DELETE FROM fts WHERE rowid = ?", row)
            conn.execute("DELETE FROM analyses WHERE rowid = ?", row)

    @staticmethod
    def _put(conn: sqlite3.Connection, source: str, row: Row) -> None:
        SQLiteBackend._delete(conn, row.path)
        cur = conn.execute(
            # Only our own column names are formatted in; every value is a parameter.
            f"INSERT INTO analyses (path, source, mtime_ns, size, ino, {COLUMNS}) "  # noqa: S608
            f"VALUES (?, ?, ?, ?, ?, {', '.join('?' * 17)})",
            (row.path, source, *row.stamp, *row_values(row)),
        )
        if row.record is not None:
            conn.execute(
                "INSERT INTO fts (rowid, title, body) VALUES (?, ?, ?)",
                (cur.lastrowid, row.record.title, row.record.body),
            )

    # -- questions ----------------------------------------------------------------------------

    def counts(self) -> tuple[int, int]:
        """How many files are indexed, and how many of them would not load."""
        total, broken = self.conn.execute("SELECT count(*), count(error) FROM analyses").fetchone()
        return int(total), int(broken)

    def listing(self, filters: Filters, limit: int | None) -> tuple[list[tuple[Any, ...]], int]:
        """Rows of ``LISTED`` for ``list``, and how many match."""
        where, params = filters.where("?", "instr")
        # ``where`` is built from fixed column names; the values are parameters.
        total = self.conn.execute(f"SELECT count(*) FROM analyses a WHERE {where}", params)  # noqa: S608
        count = int(total.fetchone()[0])
        # The page is chosen in the narrow indexes first, then only its rows are read.
        chosen = [
            rowid
            for (rowid,) in self.conn.execute(
                f"SELECT a.rowid FROM analyses a WHERE {where} "  # noqa: S608
                "ORDER BY a.error IS NULL, a.updated_at DESC, a.id, a.path LIMIT ?",
                [*params, -1 if limit is None else limit],
            )
        ]
        found: dict[int, tuple[Any, ...]] = {}
        for start in range(0, len(chosen), 500):
            batch = chosen[start : start + 500]
            marks = ", ".join("?" * len(batch))
            for row in self.conn.execute(
                f"SELECT a.rowid, {LISTED} FROM analyses a WHERE a.rowid IN ({marks})",  # noqa: S608
                batch,
            ):
                found[row[0]] = tuple(row[1:])
        return [found[rowid] for rowid in chosen], count

    def search(self, words: Sequence[str], limit: int) -> list[tuple[Any, ...]]:
        """Rows of ``LISTED`` and a snippet, holding every word, best first (BM25)."""
        return self.conn.execute(
            f"SELECT {LISTED}, snippet(fts, -1, char(2), char(3), '…', 12) "  # noqa: S608
            "FROM fts JOIN analyses a ON a.rowid = fts.rowid "
            "WHERE fts MATCH ? ORDER BY bm25(fts, 4.0, 1.0), a.updated_at DESC LIMIT ?",
            (_quoted(words, " "), limit),
        ).fetchall()

    def common(self, words: Sequence[str], share: float, floor: int) -> set[str]:
        """Those of ``words`` held by more than ``share`` of the analyses and ``floor`` of them."""
        conn = self.conn
        conn.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_terms USING fts5vocab(main, fts, row)"
        )
        (total,) = conn.execute("SELECT count(*) FROM fts").fetchone()
        marks = ", ".join("?" * len(words))
        found = conn.execute(
            f"SELECT term FROM temp.fts_terms WHERE term IN ({marks}) AND doc > ?",  # noqa: S608
            (*words, max(share * total, floor)),
        ).fetchall()
        return {t for (t,) in found}

    def similar(self, words: Sequence[str], exclude: str, limit: int) -> list[tuple[Any, ...]]:
        """Rows of ``LISTED`` and the profile, holding any of ``words``, best first."""
        return self.conn.execute(
            f"SELECT {LISTED}, a.profile "  # noqa: S608 - our column names only
            "FROM fts JOIN analyses a ON a.rowid = fts.rowid "
            "WHERE fts MATCH ? AND a.id != ? ORDER BY bm25(fts, 4.0, 1.0) LIMIT ?",
            (_quoted(words, " OR "), exclude, limit),
        ).fetchall()

    def cases(self) -> list[tuple[Any, ...]]:
        """Rows of ``CASES`` for every analysis that loads."""
        return self.conn.execute(
            f"SELECT {CASES} FROM analyses WHERE error IS NULL ORDER BY created_at, id"  # noqa: S608
        ).fetchall()
