"""Analyses on disk: one YAML file each, written atomically, locked against a second writer.

Layout of the store directory::

    <id>.yaml    the analysis (the same format as a YAML handoff)
    <id>.lock    held (an OS file lock) by the one process editing <id>
    <id>.owner   who holds the lock: "user@host pid N since TIME", for the error message

The lock is on a separate file because the data file is replaced on every save:
a lock on the replaced inode would protect nothing. It is an advisory OS lock
(flock, or msvcrt on Windows), so it goes with the process however that ends.
"""

from __future__ import annotations

import contextlib
import gc
import getpass
import os
import socket
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from ktcli.errors import InvalidFileError, KtError, LockedError, NotFoundError, UsageError

if TYPE_CHECKING:
    from ktcli.core.document import ExportCache
    from ktcli.core.model import Analysis

SUFFIX = ".yaml"


def default_root() -> Path:
    """The store directory: ``KTCLI_HOME`` if set, else the platform's user state dir."""
    env = os.environ.get("KTCLI_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_state_dir

    return Path(user_state_dir("ktcli", appauthor=False)) / "analyses"


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves the old file or the new, never half.

    Temporary file in the same directory, write, flush, fsync, rename, fsync the directory.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        Path(tmp).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(tmp).unlink()
        raise
    _fsync_dir(path.parent)


def _fsync_dir(directory: Path) -> None:
    """Make the rename itself durable (a no-op where directories cannot be opened)."""
    try:
        dfd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows
        return
    try:
        os.fsync(dfd)
    except OSError:  # pragma: no cover - some filesystems refuse
        pass
    finally:
        os.close(dfd)


def _try_lock(path: Path) -> int | None:
    """Take an exclusive, non-blocking OS lock on ``path``; None if another process holds it.

    Hand-written rather than filelock: that library imports asyncio, which cost
    more start-up time than the rest of a command; this is the part ktcli needs.
    """
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if sys.platform == "win32":  # pragma: no cover - not run in CI
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _unlock(fd: int) -> None:
    try:
        if sys.platform == "win32":  # pragma: no cover - not run in CI
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class Entry:
    """One line of ``ktcli list``: an analysis, or a file that would not load."""

    id: str
    path: Path
    analysis: Analysis | None
    error: str | None = None


class Store:
    """The directory of analyses."""

    def __init__(
        self, root: Path, after_save: Callable[[Path, Analysis], None] | None = None
    ) -> None:
        self.root = root
        # Per analysis id: what was last written, so a save redoes only what changed.
        self._cache: dict[str, ExportCache] = {}
        # Called after each save with the file and the analysis (the archive index's update).
        self.after_save = after_save

    # -- paths -------------------------------------------------------------------------

    def path(self, analysis_id: str) -> Path:
        """The file of an analysis; refuses ids that could leave the store directory."""
        from ktcli.core.model import valid_id

        if not valid_id(analysis_id):
            raise UsageError(
                f"{analysis_id!r} is not a valid analysis id",
                hint="Ids are letters, digits, '.', '_' and '-', up to 80 characters.",
            )
        return self.root / f"{analysis_id}{SUFFIX}"

    def exists(self, analysis_id: str) -> bool:
        """True when an analysis with this id is stored."""
        return self.path(analysis_id).is_file()

    # -- reading -----------------------------------------------------------------------

    def read_text(self, analysis_id: str) -> tuple[Path, str]:
        """The raw text of a stored analysis."""
        from ktcli import yamlio

        path = self.path(analysis_id)
        if not path.is_file():
            raise NotFoundError(
                f"no analysis {analysis_id!r} in {self.root}",
                hint="Run 'ktcli list' to see the stored analyses.",
            )
        return path, yamlio.read(path)

    def load(self, analysis_id: str) -> Analysis:
        """Load and validate a stored analysis; a broken file is an error, never repaired."""
        from ktcli.core.document import parse_analysis

        path, text = self.read_text(analysis_id)
        analysis = parse_analysis(text, str(path))
        if analysis.id != analysis_id:
            raise InvalidFileError(
                str(path),
                f"holds analysis {analysis.id!r}, not {analysis_id!r}",
                field="id",
                hint="Rename the file back, or import it with 'ktcli import'.",
            )
        return analysis

    def ids(self) -> list[str]:
        """The ids of every stored analysis, sorted."""
        if not self.root.is_dir():
            return []
        return sorted(p.name[: -len(SUFFIX)] for p in self.root.glob(f"*{SUFFIX}") if p.is_file())

    def entries(self) -> list[Entry]:
        """Every stored analysis, or the error that keeps it from loading."""
        out: list[Entry] = []
        for analysis_id in self.ids():
            path = self.root / f"{analysis_id}{SUFFIX}"
            try:
                out.append(Entry(analysis_id, path, self.load(analysis_id)))
            except KtError as exc:
                out.append(Entry(analysis_id, path, None, exc.message.splitlines()[0]))
        return out

    # -- writing -----------------------------------------------------------------------

    def prime(self, analysis: Analysis) -> None:
        """Fill the write cache for an analysis a session will save many times.

        The first save of a large analysis emits everything (about 45 ms for
        200 causes x 30 rows); priming moves that cost to the moment it is opened.
        """
        from ktcli.core.document import ExportCache, to_yaml

        cache = ExportCache()
        to_yaml(analysis, cache)
        self._cache[analysis.id] = cache
        # A large analysis is a few hundred thousand long-lived objects; a full
        # garbage collection walking them all in the middle of a save was the
        # slowest save. They live as long as the session: take them out of it.
        gc.collect()
        gc.freeze()

    def save(self, analysis: Analysis) -> Path:
        """Write an analysis atomically. The caller holds its lock."""
        from ktcli.core.document import ExportCache, to_yaml

        path = self.path(analysis.id)
        cache = self._cache.setdefault(analysis.id, ExportCache())
        atomic_write(path, to_yaml(analysis, cache).encode("utf-8"))
        if self.after_save is not None:
            # The file is saved; what follows is derived data that re-checks the files
            # on its next read, so its failure must never turn a save into an error.
            with contextlib.suppress(Exception):
                self.after_save(path, analysis)
        return path

    @contextlib.contextmanager
    def lock(self, analysis_id: str) -> Iterator[None]:
        """Hold the analysis for writing; fail at once, naming the holder, if someone else does."""
        path = self.path(analysis_id)
        self.root.mkdir(parents=True, exist_ok=True)
        owner_path = path.with_suffix(".owner")
        fd = _try_lock(path.with_suffix(".lock"))
        if fd is None:
            holder = "another process"
            with contextlib.suppress(OSError):
                holder = owner_path.read_text(encoding="utf-8").strip() or holder
            raise LockedError(
                f"analysis {analysis_id!r} is open elsewhere ({holder})",
                hint="Finish or quit that session first; the lock goes when it exits.",
            )
        try:
            stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
            with contextlib.suppress(OSError):
                owner_path.write_text(
                    f"{getpass.getuser()}@{socket.gethostname()} pid {os.getpid()} since {stamp}\n",
                    encoding="utf-8",
                )
            yield
        finally:
            with contextlib.suppress(OSError):
                owner_path.unlink()
            _unlock(fd)

    @contextlib.contextmanager
    def editing(self, analysis_id: str) -> Iterator[Analysis]:
        """Lock, load, yield the analysis for changes, and save it when the block ends cleanly."""
        with self.lock(analysis_id):
            analysis = self.load(analysis_id)
            yield analysis
            self.save(analysis)
