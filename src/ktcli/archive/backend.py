"""What the index keeps, whichever database keeps it: the rows, the filters, the protocol.

Two backends implement :class:`Backend`: :mod:`ktcli.archive.sqlite` (a file
beside the store, the default) and :mod:`ktcli.archive.postgres` (one
organisation's server). :class:`ktcli.archive.index.Index` holds the logic both
share: which files changed, what to read, what to forget.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from ktcli.archive.record import SEP

if TYPE_CHECKING:
    from ktcli.archive.record import Record

#: A file's stamp: modification time (ns), size, inode.
Stamp = tuple[int, int, int]
#: Rows written to the database at a time while a store is read.
BATCH = 500

#: The columns after path, source and stamp, in the order of :func:`row_values`.
COLUMNS = (
    "id, error, status, title, ticket, product, analysts, priority, depth, "
    "created_at, updated_at, closed_at, true_cause, profile, object, deviation, effort_minutes"
)
#: The type of each of ``COLUMNS``, as SQL's ``text``, ``integer`` or ``real``.
_KINDS = {"created_at": "real", "updated_at": "real", "closed_at": "real"}
_KINDS |= {"effort_minutes": "integer"}


def column_definitions(types: dict[str, str]) -> str:
    """``COLUMNS`` with their types for ``CREATE TABLE``, in a database's ``types`` of the kinds."""
    names = [c.strip() for c in COLUMNS.split(",")]
    return ",\n".join(
        f"    {n} {types[_KINDS.get(n, 'text')]}" + (" NOT NULL" if n == "id" else "")
        for n in names
    )


#: What ``Listed`` holds: the columns up to the true cause.
LISTED = "a.source, a.path, " + ", ".join(
    "a." + c.strip() for c in COLUMNS.split(",")[: COLUMNS.split(",").index(" true_cause") + 1]
)
#: What ``Case`` holds.
CASES = (
    "id, source, status, title, product, analysts, object, deviation, "
    "true_cause, created_at, closed_at, effort_minutes"
)

_T = TypeVar("_T")


@dataclass(frozen=True)
class Row:
    """One file to index: its analysis's record, or the first line of why it would not load."""

    path: str
    stamp: Stamp
    id: str
    record: Record | None
    error: str | None = None


def row_values(row: Row) -> tuple[Any, ...]:
    """The values of ``COLUMNS`` for ``row``."""
    rec = row.record
    if rec is None:
        return (row.id, row.error, *([None] * 15))
    return (
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


@dataclass(frozen=True)
class Filters:
    """What ``list`` narrows to; None means any."""

    status: str | None = None
    product: str | None = None
    analyst: str | None = None
    since: datetime | None = None
    ticket: str | None = None

    def where(self, mark: str = "?", find: str = "instr") -> tuple[str, list[Any]]:
        """The SQL condition and its parameters, with the database's ``mark`` and ``find``.

        ``find(haystack, needle)`` is the position of one text in another (SQLite's
        ``instr``, PostgreSQL's ``strpos``).
        """
        parts: list[str] = []
        params: list[Any] = []
        for column in ("status", "product"):
            value = getattr(self, column)
            if value is not None:
                parts.append(f"a.{column} = {mark}")
                params.append(value)
        if self.ticket is not None:
            # Tickets as people type them: INC-9042 and inc-9042 are one ticket.
            parts.append(f"lower(a.ticket) = lower({mark})")
            params.append(self.ticket)
        if self.analyst is not None:
            parts.append(f"{find}(a.analysts, {mark}) > 0")
            params.append(SEP + self.analyst + SEP)
        if self.since is not None:
            parts.append(f"a.updated_at >= {mark}")
            params.append(self.since.timestamp())
        return (" AND ".join(parts) or "1 = 1"), params


class Backend(Protocol):
    """A database that keeps the index. Rows come back as tuples of ``LISTED`` (or ``CASES``)."""

    def where(self) -> str:
        """Where the index is, for ``ktcli index`` to say."""
        ...

    def guarded(self, work: Callable[[Backend], _T]) -> _T:
        """Run ``work`` on this backend, recovering from (or explaining) database failures."""
        ...

    def close(self) -> None:
        """Close the connection, if open."""
        ...

    def forget(self, sources: Sequence[str]) -> None:
        """Forget everything indexed from ``sources`` (and nothing else)."""
        ...

    def source_stamp(self, source: str) -> tuple[str, int] | None:
        """The directory stamp last recorded for ``source``, and when (ns)."""
        ...

    def known(self, source: str) -> Iterator[tuple[str, int, int, int]]:
        """Path and stamp of every file indexed from ``source``, one at a time."""
        ...

    def write(
        self,
        source: str,
        gone: Sequence[str],
        rows: Iterable[Row],
        stamp: tuple[str, int] | None = None,
    ) -> int:
        """In one transaction: forget ``gone``, put ``rows``, record the directory ``stamp``."""
        ...

    def counts(self) -> tuple[int, int]:
        """How many files are indexed, and how many of them would not load."""
        ...

    def listing(self, filters: Filters, limit: int | None) -> tuple[list[tuple[Any, ...]], int]:
        """``list``'s rows (broken first, then newest first), and how many match."""
        ...

    def search(self, words: Sequence[str], limit: int) -> list[tuple[Any, ...]]:
        """Rows holding every word, best first, each with a snippet last."""
        ...

    def common(self, words: Sequence[str], share: float, floor: int) -> set[str]:
        """Those of ``words`` held by more than ``share`` of the analyses and ``floor`` of them."""
        ...

    def similar(self, words: Sequence[str], exclude: str, limit: int) -> list[tuple[Any, ...]]:
        """Rows holding any of ``words``, not of id ``exclude``, best first, the profile last."""
        ...

    def cases(self) -> list[tuple[Any, ...]]:
        """``CASES`` of every analysis that loads, oldest first."""
        ...
