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
