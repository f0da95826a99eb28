"""What every command needs from its surroundings: the store, the analyst, the clock."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ktcli.archive.index import Index
    from ktcli.core.model import Analysis
    from ktcli.store.files import Store
    from ktcli.ui.terminal import Terminal


def _now_from_env() -> datetime:
    """``KTCLI_NOW`` (ISO 8601) pins the clock, so tests and golden files are stable."""
    pinned = os.environ.get("KTCLI_NOW")
    if pinned:
        value = datetime.fromisoformat(pinned.replace("Z", "+00:00"))
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    return datetime.now(timezone.utc).replace(microsecond=0)


def default_analyst() -> str:
    """``KTCLI_ANALYST``, else the login name."""
    name = os.environ.get("KTCLI_ANALYST")
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # pragma: no cover - no passwd entry in some containers
        return "analyst"


def ci_is_set() -> bool:
    """True when the ``CI`` environment variable says this is a CI run (any value but false)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


@dataclass
class AppContext:
    """Passed to every command through typer's context object."""

    store_root: Path | None = None
    analyst: str | None = None
    #: ``--no-interactive``: never prompt; list what is missing and fail instead.
    no_interactive: bool = False

    def may_prompt(self) -> bool:
        """False under ``--no-interactive`` or in CI; a terminal on stdin is checked apart."""
        return not self.no_interactive and not ci_is_set()

    @property
    def why_not_asked(self) -> str:
        """The reason nothing was asked, for the one-line error that lists what is missing."""
        if self.no_interactive:
            return "not asking (--no-interactive)"
        if ci_is_set():
            return "not asking (CI is set)"
        return "no terminal to ask on"

    @cached_property
    def store(self) -> Store:
        """The store directory, created on first write."""
        from ktcli.store.files import Store, default_root

        return Store(self.store_root or default_root(), after_save=self._saved)

    @cached_property
    def index(self) -> Index:
        """The index of the store and the archives in ``KTCLI_ARCHIVE_PATH`` (or ``_URL``)."""
        from ktcli.archive.index import Index, archive_paths, archive_url
        from ktcli.config import load_config

        config = load_config()  # read once: it names both the archives and the URL
        return Index(self.store.root, archive_paths(config=config), archive_url(config=config))

    def _saved(self, path: Path, analysis: Analysis) -> None:
        # Imported only when something is saved: sqlite3 stays out of start-up.
        from ktcli.errors import KtError

        try:
            self.index.update(path, analysis)
        except KtError as exc:
            # The file is saved; an archive server that is down only delays its copy.
            self.terminal.warn(f"saved, but the index was not updated: {exc.message}")

    @cached_property
    def who(self) -> str:
        """The analyst's name as recorded in the history."""
        return self.analyst or default_analyst()

    @cached_property
    def terminal(self) -> Terminal:
        """The one place that writes to the screen."""
        from ktcli.ui.terminal import Terminal

        return Terminal()

    def now(self) -> datetime:
        """The current time (or ``KTCLI_NOW``), in UTC, to the second."""
        return _now_from_env()


def of(ctx: object) -> AppContext:
    """The AppContext a typer/click context carries (set by the main callback)."""
    obj = getattr(ctx, "obj", None)
    if not isinstance(obj, AppContext):  # pragma: no cover - only when a command runs alone
        obj = AppContext()
        setattr(ctx, "obj", obj)  # noqa: B010 - click's Context.obj, typed as Any there
    return obj
