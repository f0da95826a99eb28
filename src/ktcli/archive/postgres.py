"""The index in an organisation's PostgreSQL database, so every analyst searches one archive.

Chosen by ``KTCLI_ARCHIVE_URL=postgresql://…``; needs psycopg 3 (the
``postgresql`` extra), imported only then. Search is PostgreSQL's own full-text
search: a generated ``tsvector`` (title weighted above the rest) under a GIN
index, queried with ``plainto_tsquery``. Many stores share the tables: every
row carries its source, named by analyst, host and folder, and a check of one
store never touches another's rows. A server that cannot be reached is said in
one line naming the host, never the password.
"""

from __future__ import annotations

import getpass
import socket
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any, TypeVar

from ktcli.archive.backend import (
    BATCH,
    CASES,
    COLUMNS,
    LISTED,
    Row,
    column_definitions,
    row_values,
)
from ktcli.errors import KtError

if TYPE_CHECKING:
    import psycopg

    from ktcli.archive.backend import Filters

#: Bumped when the tables change: older tables are replaced (their rows are derived), newer
#: ones refused (a newer ktcli made them).
SCHEMA_VERSION = 1
#: The advisory lock that makes creating the tables one client's job at a time.
_LOCK = 0x6B74636C69
_T = TypeVar("_T")

_TABLES = f"""
CREATE TABLE ktcli_analyses (
    source text NOT NULL,
    path text NOT NULL,
    mtime_ns bigint NOT NULL,
    size bigint NOT NULL,
    ino bigint NOT NULL,
{column_definitions({"text": "text", "integer": "integer", "real": "double precision"})},
    body text,
    doc tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(title, '')), 'A')
        || setweight(to_tsvector('simple', coalesce(body, '')), 'B')
    ) STORED,
    PRIMARY KEY (source, path)
);
CREATE INDEX ktcli_analyses_doc ON ktcli_analyses USING gin (doc);
CREATE INDEX ktcli_analyses_listed
    ON ktcli_analyses ((error IS NULL), updated_at DESC, id COLLATE "C", path COLLATE "C");
CREATE TABLE ktcli_sources (
    source text PRIMARY KEY, stamp text NOT NULL, checked_ns bigint NOT NULL
);
CREATE TABLE ktcli_meta (version integer NOT NULL);
"""

_NAMES = [c.strip() for c in COLUMNS.split(",")] + ["body"]
_INSERT = (
    # Only our own column names are formatted in; every value is a parameter.
    f"INSERT INTO ktcli_analyses (source, path, mtime_ns, size, ino, {', '.join(_NAMES)}) "  # noqa: S608
    f"VALUES ({', '.join(['%s'] * (len(_NAMES) + 5))}) "
    "ON CONFLICT (source, path) DO UPDATE SET "
    f"(mtime_ns, size, ino, {', '.join(_NAMES)}) = "
    f"ROW(excluded.mtime_ns, excluded.size, excluded.ino, "
    f"{', '.join('excluded.' + n for n in _NAMES)})"
)
#: ``ts_headline``'s options: the marks of ``search``'s snippet (STX … ETX), about 12 words.
_HEADLINE = "StartSel=\x02, StopSel=\x03, MaxWords=12, MinWords=4, MaxFragments=1"


def owner() -> str:
    """Whose stores these are: the login name and the host, as in ``ana@laptop-7``."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no passwd entry in some containers
        user = "analyst"
    return f"{user}@{socket.gethostname()}"


def describe(url: str) -> str:
    """The server and database of ``url``, for messages: never the password."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        info = conninfo_to_dict(url)
    except Exception:  # any parse failure: say no more than this
        return "the server in KTCLI_ARCHIVE_URL"
    host = str(info.get("host") or "localhost")
    port = f":{info['port']}" if info.get("port") else ""
    return f"{host}{port}/{info.get('dbname') or info.get('user') or ''}".rstrip("/")


def _batches(rows: Iterable[_T], size: int) -> Iterator[list[_T]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


class PostgresBackend:
    """The index in the PostgreSQL database at ``url``."""

    def __init__(self, url: str) -> None:
        try:
            import psycopg  # noqa: F401 - only to say plainly when it is missing
        except ImportError:
            raise KtError(
                "KTCLI_ARCHIVE_URL names a PostgreSQL archive, but psycopg is not installed: "
                "pip install 'ktcli[postgresql]'"
            ) from None
        self.url = url
        self.host = describe(url)
        self._conn: psycopg.Connection[tuple[Any, ...]] | None = None

    # -- connection ---------------------------------------------------------------------------

    def _fail(self, exc: Exception) -> KtError:
        import psycopg

        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        from psycopg.conninfo import conninfo_to_dict

        try:
            password = conninfo_to_dict(self.url).get("password")
        except psycopg.Error:
            password = None
        if password:
            reason = reason.replace(str(password), "***")
        if isinstance(exc, psycopg.OperationalError):
            return KtError(f"cannot reach the case archive at {self.host}: {reason}")
        if isinstance(exc, psycopg.ProgrammingError) and self._conn is None:
            return KtError(f"KTCLI_ARCHIVE_URL: not a usable URL for {self.host}: {reason}")
        return KtError(f"the case archive at {self.host} refused: {reason}")

    @property
    def conn(self) -> psycopg.Connection[tuple[Any, ...]]:
        """The open connection (opened, and the tables created, on first use)."""
        if self._conn is None:
            import psycopg

            kwargs: dict[str, Any] = {"autocommit": True}
            if "connect_timeout" not in self.url:
                kwargs["connect_timeout"] = 5
            conn = psycopg.connect(self.url, **kwargs)
            try:
                self._prepare(conn)
            except BaseException:
                conn.close()
                raise
            self._conn = conn
        return self._conn

    def _prepare(self, conn: psycopg.Connection[tuple[Any, ...]]) -> None:
        """Create the tables, or replace those of an older layout, one client at a time."""
        if self._version(conn) == SCHEMA_VERSION:
            return
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
            version = self._version(conn)
            if version == SCHEMA_VERSION:
                return
            if version is not None and version > SCHEMA_VERSION:
                raise KtError(
                    f"the case archive at {self.host} was made by a newer ktcli "
                    f"(layout {version}, this one knows {SCHEMA_VERSION}): upgrade ktcli"
                )
            for table in ("ktcli_analyses", "ktcli_sources", "ktcli_meta"):
                conn.execute(f"DROP TABLE IF EXISTS {table}")
            for statement in _TABLES.split(";"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute("INSERT INTO ktcli_meta (version) VALUES (%s)", (SCHEMA_VERSION,))

    @staticmethod
    def _version(conn: psycopg.Connection[tuple[Any, ...]]) -> int | None:
        exists = conn.execute("SELECT to_regclass('ktcli_meta') IS NOT NULL").fetchone()
        if not exists or not exists[0]:
            return None
        row = conn.execute("SELECT max(version) FROM ktcli_meta").fetchone()
        return None if row is None or row[0] is None else int(row[0])

    def close(self) -> None:
        """Close the connection, if open."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def where(self) -> str:
        """Where the index is, for ``ktcli index`` to say."""
        return f"in PostgreSQL at {self.host}"

    def guarded(self, work: Callable[[PostgresBackend], _T]) -> _T:
        """Run ``work``; a failing server becomes one line naming the host."""
        import psycopg

        try:
            return work(self)
        except psycopg.Error as exc:
            self.close()
            raise self._fail(exc) from None

    def forget(self, sources: Sequence[str]) -> None:
        """Forget the rows of ``sources``: other stores' rows stay."""
        with self.conn.transaction():
            self.conn.execute("DELETE FROM ktcli_analyses WHERE source = ANY(%s)", (list(sources),))
            self.conn.execute("DELETE FROM ktcli_sources WHERE source = ANY(%s)", (list(sources),))

    # -- keeping up with the files ------------------------------------------------------------

    def source_stamp(self, source: str) -> tuple[str, int] | None:
        """The directory stamp last recorded for ``source``, and when it was recorded."""
        row = self.conn.execute(
            "SELECT stamp, checked_ns FROM ktcli_sources WHERE source = %s", (source,)
        ).fetchone()
        return None if row is None else (row[0], row[1])

    def known(self, source: str) -> Iterator[tuple[str, int, int, int]]:
        """Path and stamp of every file indexed from ``source``, one at a time."""
        # Rows become Python objects only as they are iterated.
        return iter(
            self.conn.execute(
                "SELECT path, mtime_ns, size, ino FROM ktcli_analyses WHERE source = %s",
                (source,),
            )
        )

    def write(
        self,
        source: str,
        gone: Sequence[str],
        rows: Iterable[Row],
        stamp: tuple[str, int] | None = None,
    ) -> int:
        """In one transaction: forget ``gone``, put ``rows``, record the directory ``stamp``."""
        conn = self.conn
        written = 0
        with conn.transaction(), conn.cursor() as cur:
            if gone:
                cur.execute(
                    "DELETE FROM ktcli_analyses WHERE source = %s AND path = ANY(%s)",
                    (source, list(gone)),
                )
            for batch in _batches(rows, BATCH):
                cur.executemany(
                    _INSERT,
                    [
                        (
                            source,
                            r.path,
                            *r.stamp,
                            *row_values(r),
                            r.record.body if r.record else None,
                        )
                        for r in batch
                    ],
                )
                written += len(batch)
            if stamp is not None:
                cur.execute(
                    "INSERT INTO ktcli_sources (source, stamp, checked_ns) VALUES (%s, %s, %s) "
                    "ON CONFLICT (source) DO UPDATE SET stamp = excluded.stamp, "
                    "checked_ns = excluded.checked_ns",
                    (source, *stamp),
                )
        return written

    # -- questions ----------------------------------------------------------------------------

    def counts(self) -> tuple[int, int]:
        """How many files are indexed (every store's), and how many would not load."""
        row = self.conn.execute("SELECT count(*), count(error) FROM ktcli_analyses").fetchone()
        assert row is not None
        return int(row[0]), int(row[1])

    def listing(self, filters: Filters, limit: int | None) -> tuple[list[tuple[Any, ...]], int]:
        """Rows of ``LISTED`` for ``list``, and how many match."""
        where, params = filters.where("%s", "strpos")
        total = self.conn.execute(
            f"SELECT count(*) FROM ktcli_analyses a WHERE {where}",  # noqa: S608
            params,
        ).fetchone()
        assert total is not None
        rows = self.conn.execute(
            f"SELECT {LISTED} FROM ktcli_analyses a WHERE {where} "  # noqa: S608
            'ORDER BY a.error IS NULL, a.updated_at DESC, a.id COLLATE "C", a.path COLLATE "C" '
            "LIMIT %s",
            [*params, limit],
        ).fetchall()
        return rows, int(total[0])

    def search(self, words: Sequence[str], limit: int) -> list[tuple[Any, ...]]:
        """Rows of ``LISTED`` and a snippet, holding every word, best first."""
        return self.conn.execute(
            f"SELECT {LISTED}, "  # noqa: S608 - our column names only
            "ts_headline('simple', coalesce(nullif(a.body, ''), a.title), q, %s) "
            "FROM (SELECT source, path, ts_rank(doc, q) AS rank FROM ktcli_analyses, "
            "      plainto_tsquery('simple', %s) q WHERE doc @@ q "
            "      ORDER BY rank DESC, updated_at DESC LIMIT %s) best "
            "JOIN ktcli_analyses a USING (source, path), plainto_tsquery('simple', %s) q "
            "ORDER BY best.rank DESC, a.updated_at DESC",
            (_HEADLINE, " ".join(words), limit, " ".join(words)),
        ).fetchall()

    def common(self, words: Sequence[str], share: float, floor: int) -> set[str]:
        """Those of ``words`` held by more than ``share`` of the analyses and ``floor`` of them."""
        row = self.conn.execute("SELECT count(*) FROM ktcli_analyses").fetchone()
        assert row is not None
        threshold = max(int(share * int(row[0])), floor)
        out = set()
        for word in words:
            # Counted only up to the threshold: a common word costs no more than a rare one.
            held = self.conn.execute(
                "SELECT count(*) FROM (SELECT 1 FROM ktcli_analyses "
                "WHERE doc @@ plainto_tsquery('simple', %s) LIMIT %s) x",
                (word, threshold + 1),
            ).fetchone()
            if held is not None and held[0] > threshold:
                out.add(word)
        return out

    def similar(self, words: Sequence[str], exclude: str, limit: int) -> list[tuple[Any, ...]]:
        """Rows of ``LISTED`` and the profile, holding any of ``words``, best first."""
        # Each word quoted as a lexeme (a word of \w characters holds no quote).
        query = " | ".join(f"'{w}'" for w in words)
        return self.conn.execute(
            f"SELECT {LISTED}, a.profile FROM ktcli_analyses a, "  # noqa: S608
            "to_tsquery('simple', %s) q WHERE a.doc @@ q AND a.id != %s "
            "ORDER BY ts_rank(a.doc, q) DESC LIMIT %s",
            (query, exclude, limit),
        ).fetchall()

    def cases(self) -> list[tuple[Any, ...]]:
        """Rows of ``CASES`` for every analysis that loads, every store's."""
        return self.conn.execute(
            f"SELECT {CASES} FROM ktcli_analyses WHERE error IS NULL "  # noqa: S608
            'ORDER BY created_at, id COLLATE "C"'
        ).fetchall()
