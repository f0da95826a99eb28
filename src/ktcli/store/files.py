"""Analyses on disk: one YAML file each, written atomically, locked against a second writer.

Layout of the store directory::

    <id>.yaml    the analysis (the same format as a YAML handoff)
    <id>.lock    held (an OS file lock) by the one process editing <id>; while held it
                 also says who holds it: "user@host pid N since TIME", for the error message

The lock is on a separate file because the data file is replaced on every save:
a lock on the replaced inode would protect nothing. It is an advisory OS lock
(flock, or msvcrt on Windows), so it goes with the process however that ends.

A store may be shared, so every name in it may have been planted by someone
else: no store file is opened through a symbolic link (``O_NOFOLLOW``), new
files are created with ``O_EXCL``, and an entry that is a link, a directory or
a device is refused with a message, never read or written through.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import getpass
import os
import re
import shlex
import socket
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from ktcli.errors import (
    InvalidFileError,
    KtError,
    LockedError,
    NotFoundError,
    StorageError,
    UsageError,
    from_os_error,
)

if TYPE_CHECKING:
    from ktcli.core.document import ExportCache
    from ktcli.core.model import Analysis

SUFFIX = ".yaml"
#: What a holder writes into its lock file is short; a planted huge file is not read whole.
_OWNER_BYTES = 200

# Absent on Windows, where the store is not shared through symbolic links.
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
# A FIFO planted under a store name would block open() for reading forever.
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)


def default_root() -> Path:
    """The store directory: ``KTCLI_HOME`` if set, else the platform's user state dir."""
    env = os.environ.get("KTCLI_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_state_dir

    return Path(user_state_dir("ktcli", appauthor=False)) / "analyses"


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a directory"
    return "a device or special file"


def _refuse(path: Path, mode: int) -> InvalidFileError:
    return InvalidFileError(
        str(path),
        f"is {_kind(mode)}, not a regular file; ktcli does not read or write through it",
        hint=f"Check what it is and remove it ('rm {shlex.quote(str(path))}'), then retry.",
    )


def open_entry(path: Path, flags: int, mode: int = 0o666) -> int:
    """Open a store file without following a symbolic link; refuse anything but a regular file.

    Returns the file descriptor. A link, a directory, a FIFO or a device at
    ``path`` raises :class:`InvalidFileError` naming it; other failures are the
    ``OSError`` itself.
    """
    try:
        fd = os.open(path, flags | _NOFOLLOW | _CLOEXEC | _NONBLOCK | _BINARY, mode)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EISDIR, errno.ENXIO, errno.EMLINK):
            with contextlib.suppress(OSError):
                raise _refuse(path, os.lstat(path).st_mode) from None
        raise
    try:
        mode_now = os.fstat(fd).st_mode
    except BaseException:
        os.close(fd)
        raise
    if not stat.S_ISREG(mode_now):
        os.close(fd)
        raise _refuse(path, mode_now)
    return fd


def check_entry(path: Path) -> None:
    """Refuse a store name taken by a link, a directory or a device; nothing there is fine."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        raise _refuse(path, mode)


def _random_suffix() -> str:
    """Eight characters for a temporary name (a function, so tests can make it predictable)."""
    return os.urandom(4).hex()


def _create_temp(path: Path) -> tuple[int, Path]:
    """A new file beside ``path``: ``O_EXCL`` so a name planted in advance is never opened."""
    for _ in range(100):
        tmp = path.parent / f".{path.name}.{_random_suffix()}.tmp"
        try:
            # Permissions as any new file of the user's (0o666 less the umask): a shared
            # store and an export are for other people too; mkstemp would make them 0600.
            fd = os.open(
                tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC | _BINARY, 0o666
            )
        except FileExistsError:
            continue
        return fd, tmp
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(path))  # pragma: no cover


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves the old file or the new, never half.

    Temporary file in the same directory, write, flush, fsync, rename, fsync the directory.
    An ``OSError`` (a full disk, a read-only directory) names ``path``, not the temporary
    file, and leaves the old file untouched.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = _create_temp(path)
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(path)) from exc
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
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


# The errors that mean "someone else holds it" (flock: EWOULDBLOCK; msvcrt: EACCES, EDEADLK).
_HELD = frozenset((errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES, getattr(errno, "EDEADLK", -1)))


def _try_lock(path: Path) -> int | None:
    """Take an exclusive, non-blocking OS lock on ``path``; None if another process holds it.

    Hand-written rather than filelock: that library imports asyncio, which cost
    more start-up time than the rest of a command; this is the part ktcli needs.
    """
    fd = open_entry(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        if sys.platform == "win32":  # pragma: no cover - not run in CI
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        if exc.errno in _HELD:
            return None
        raise
    return fd


def _unlock(fd: int) -> None:
    try:
        # Nobody holds it any more: the next reader must not name a holder that left.
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
        if sys.platform == "win32":  # pragma: no cover - not run in CI
            import msvcrt

            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _write_owner(fd: int) -> None:
    """Say in the held lock file who holds it; best effort, the lock itself is what counts."""
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
    text = f"{getpass.getuser()}@{socket.gethostname()} pid {os.getpid()} since {stamp}\n"
    with contextlib.suppress(OSError):
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, text.encode("utf-8", "replace")[:_OWNER_BYTES])


def _read_owner(path: Path) -> str | None:
    """Who holds the lock, as its holder wrote it (foreign text: made safe to show)."""
    from ktcli.core.text import clean

    try:
        fd = open_entry(path, os.O_RDONLY)
    except (OSError, KtError):
        return None
    try:
        raw = os.read(fd, _OWNER_BYTES)
    except OSError:
        return None
    finally:
        os.close(fd)
    text = raw.decode("utf-8", "replace").strip()
    return clean(" ".join(text.split())) or None


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
        from ktcli.core.ids import valid_id

        if not valid_id(analysis_id):
            raise UsageError(
                f"{analysis_id!r} is not a valid analysis id",
                hint="Ids are letters, digits, '.', '_' and '-', up to 80 characters.",
            )
        return self.root / f"{analysis_id}{SUFFIX}"

    def exists(self, analysis_id: str) -> bool:
        """True when something is stored under this id (a planted link counts: it is refused)."""
        return os.path.lexists(self.path(analysis_id))

    # -- reading -----------------------------------------------------------------------

    def read_text(self, analysis_id: str) -> tuple[Path, str]:
        """The raw text of a stored analysis, read without following a symbolic link."""
        from ktcli import yamlio

        path, raw = self.read_bytes(analysis_id)
        return path, yamlio.decode(raw, str(path))

    def read_bytes(self, analysis_id: str) -> tuple[Path, bytes]:
        """The bytes of a stored analysis (at most one more than the size limit), unchecked."""
        from ktcli import yamlio

        path = self.path(analysis_id)
        try:
            fd = open_entry(path, os.O_RDONLY)
        except FileNotFoundError:
            raise NotFoundError(
                f"no analysis {analysis_id!r} in {self.root}",
                hint="Run 'ktcli list' to see the stored analyses.",
            ) from None
        except OSError as exc:
            raise from_os_error(exc, f"read analysis {analysis_id!r}") from None
        try:
            with os.fdopen(fd, "rb") as fh:
                raw = fh.read(yamlio.MAX_BYTES + 1)
        except OSError as exc:
            raise from_os_error(OSError(exc.errno, exc.strerror, str(path))) from None
        return path, raw

    def load(self, analysis_id: str) -> Analysis:
        """Load and validate a stored analysis; a broken file is an error, never repaired."""
        return self.parse(analysis_id, *self.read_text(analysis_id))

    def parse(self, analysis_id: str, path: Path, text: str) -> Analysis:
        """Validate the text of a stored analysis, which must hold the analysis ``analysis_id``."""
        from ktcli.core.document import parse_analysis

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
        """The ids of every stored analysis, sorted; a planted link or directory is listed too.

        ``ktcli list`` then shows it with the reason it is refused, instead of hiding it.
        """
        from ktcli.core.ids import valid_id

        try:
            names = [p.name for p in self.root.iterdir()]
        except (FileNotFoundError, NotADirectoryError):
            return []
        except OSError as exc:
            raise from_os_error(OSError(exc.errno, exc.strerror, str(self.root))) from None
        found = (n[: -len(SUFFIX)] for n in names if n.endswith(SUFFIX))
        return sorted(i for i in found if valid_id(i))

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

    def make_root(self) -> None:
        """Create the store directory if missing: 0700, the customer data in it stays the user's.

        The files inside follow the umask like any other (see ``_create_temp``): the
        directory is what keeps them private, and an existing one (a team's shared
        store) is never changed.
        """
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)

    def save(self, analysis: Analysis, document: bytes | None = None) -> Path:
        """Write an analysis atomically. The caller holds its lock.

        ``document``, if given, is a YAML document of ``analysis`` that was read
        and validated just now (an imported handoff): it is written as it is,
        instead of emitting the analysis and checking the read limits on it again.
        A full disk or a read-only store raises :class:`StorageError` and leaves
        the stored file as it was.
        """
        path = self.path(analysis.id)
        check_entry(path)
        data = self._emit(analysis, path) if document is None else document
        try:
            self.make_root()
            atomic_write(path, data)
        except OSError as exc:
            # A failed write must not leave the cache believing it is on disk.
            self._cache.pop(analysis.id, None)
            raise from_os_error(exc, f"save analysis {analysis.id!r}") from None
        if self.after_save is not None:
            # The file is saved; what follows is derived data that re-checks the files
            # on its next read, so its failure must never turn a save into an error.
            with contextlib.suppress(Exception):
                self.after_save(path, analysis)
        return path

    def _emit(self, analysis: Analysis, path: Path) -> bytes:
        from ktcli import yamlio
        from ktcli.core.document import ExportCache, to_yaml

        cache = self._cache.setdefault(analysis.id, ExportCache())
        data = to_yaml(analysis, cache).encode("utf-8")
        # Never write what the next read would refuse: the stored file would be lost to ktcli.
        yamlio.check_writable(data, str(path))
        return data

    @contextlib.contextmanager
    def lock(self, analysis_id: str) -> Iterator[None]:
        """Hold the analysis for writing; fail at once, naming the holder, if someone else does."""
        path = self.path(analysis_id)
        lock_path = path.with_suffix(".lock")
        try:
            self.make_root()
            fd = _try_lock(lock_path)
        except OSError as exc:
            raise from_os_error(exc, f"lock analysis {analysis_id!r}") from None
        if fd is None:
            holder = _read_owner(lock_path) or "another process"
            raise LockedError(
                f"analysis {analysis_id!r} is open elsewhere ({holder})",
                hint="Finish or quit that session first; the lock goes when it exits.",
            )
        try:
            _write_owner(fd)
            self._clean_leftovers(analysis_id)
            yield
        finally:
            _unlock(fd)

    def _clean_leftovers(self, analysis_id: str) -> None:
        """Remove what a killed process left for this id; safe only while holding its lock.

        Removing a name never follows a link, so a planted one is only unlinked.
        """
        legacy_owner = self.root / f"{analysis_id}.owner"  # written by ktcli before 0.2
        temp = re.compile(rf"\.{re.escape(analysis_id + SUFFIX)}\.[a-z0-9_]{{8}}\.tmp")
        try:
            names = [p.name for p in self.root.iterdir()]
        except OSError:
            return
        for name in names:
            if temp.fullmatch(name) or name == legacy_owner.name:
                with contextlib.suppress(OSError):
                    (self.root / name).unlink()

    @contextlib.contextmanager
    def editing(self, analysis_id: str) -> Iterator[Analysis]:
        """Lock, load, yield the analysis for changes, and save it when the block ends cleanly."""
        with self.lock(analysis_id):
            analysis = self.load(analysis_id)
            yield analysis
            self.save(analysis)


__all__ = ["Entry", "StorageError", "Store", "atomic_write", "check_entry", "open_entry"]
