"""Exit codes and the error hierarchy: every failure a user can cause is one of these."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    """Process exit codes; documented in the README."""

    OK = 0
    ERROR = 1
    USAGE = 2
    INTERRUPTED = 130


class KtError(Exception):
    """A failure with a message for the user and an exit code; never shown as a traceback."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class UsageError(KtError):
    """The command line itself is wrong."""

    exit_code = ExitCode.USAGE


class NotFoundError(KtError):
    """An analysis, playbook, row or cause that does not exist."""


class InvalidFileError(KtError):
    """A file that cannot be read, parsed or validated; the message names file:line:column."""

    def __init__(
        self,
        path: str,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.column = column
        self.field = field
        self.detail = message
        where = path
        if line is not None:
            where += f":{line}"
            if column is not None:
                where += f":{column}"
        text = f"{where}: {field}: {message}" if field else f"{where}: {message}"
        super().__init__(text, hint=hint)


class InvalidFileErrors(KtError):
    """Several validation problems in one file, each already formatted as one line."""

    def __init__(self, errors: list[InvalidFileError]) -> None:
        self.errors = errors
        super().__init__("\n".join(e.message for e in errors))


class LockedError(KtError):
    """Another process holds the analysis open for writing."""


class ConflictError(KtError):
    """An import or change that would silently lose someone's work."""


class InterruptedSession(KtError):
    """The analyst pressed Ctrl-C; everything answered is already saved."""

    exit_code = ExitCode.INTERRUPTED


class MissingAnswers(KtError):
    """A session without a terminal stopped because answers are missing."""


class StorageError(KtError):
    """The machine, not ktcli, refused a file operation: a full disk, a read-only store, a name.

    Built by :func:`from_os_error`, the one place that turns an ``OSError`` into words.
    """

    def __init__(self, message: str, *, hint: str | None = None, errno_: int | None = None) -> None:
        super().__init__(message, hint=hint)
        self.errno = errno_


# errno -> (what happened, what to do); "{path}" is the file the operation was on.
_OS_ERRORS: dict[str, tuple[str, str]] = {
    "ENOSPC": (
        "no space left on the device",
        "Free some space on that file system (or use another --store), then retry.",
    ),
    "EDQUOT": (
        "disk quota exceeded",
        "Free some space within your quota (or use another --store), then retry.",
    ),
    "EROFS": (
        "the file system is read-only",
        "Use a writable store: --store DIR or KTCLI_HOME=DIR.",
    ),
    "EACCES": (
        "permission denied",
        "Check the permissions of {path} and of its directory (ls -ld), then retry.",
    ),
    "EPERM": (
        "operation not permitted",
        "Check the permissions of {path} and of its directory (ls -ld), then retry.",
    ),
    "EISDIR": (
        "a directory stands where a file should be",
        "Move the directory {path} out of the way, then retry.",
    ),
    "ENOTDIR": (
        "a file stands where a directory should be",
        "Check the path {path}: one of its parts is a file, not a directory.",
    ),
    "ENAMETOOLONG": (
        "the name is too long for the file system",
        "Use a shorter id or a store directory with a shorter path.",
    ),
    "ELOOP": (
        "it is a symbolic link, and ktcli does not follow links there",
        "Check {path} and remove the link; someone may want ktcli to write elsewhere.",
    ),
    "ENOENT": ("no such file or directory", "Check the path {path}."),
    "EMFILE": ("too many open files", "Close other programs or raise 'ulimit -n', then retry."),
    "EIO": ("an input/output error", "Check the disk and the file system (dmesg), then retry."),
}


def from_os_error(exc: OSError, action: str | None = None) -> StorageError:
    """One clear line for an ``OSError``: what failed, on which path, and what to do next.

    ``action`` says what ktcli was doing ("save analysis 'x'"); without it the
    message starts from the path alone.
    """
    import errno as errno_module
    import shlex

    name = errno_module.errorcode.get(exc.errno or 0, "")
    what, todo = _OS_ERRORS.get(name, (exc.strerror or str(exc), "Check the path, then retry."))
    path = exc.filename if exc.filename is not None else None
    shown = shlex.quote(str(path)) if path is not None else "the file"
    if action and path is not None:
        message = f"cannot {action}: {shown}: {what}"
    elif action:
        message = f"cannot {action}: {what}"
    elif path is not None:
        message = f"{shown}: {what}"
    else:
        message = what
    return StorageError(message, hint=todo.replace("{path}", shown), errno_=exc.errno)
