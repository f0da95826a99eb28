"""End-to-end tests in a real pseudo-terminal (pexpect)."""

from __future__ import annotations

import os
from pathlib import Path


def pty_env(
    store: Path,
    *,
    analyst: str = "ana",
    now: str = "2026-11-24T09:00:00Z",
    columns: int = 100,
    lines: int = 40,
) -> dict[str, str]:
    """The environment of a ktcli run in a pty: own store, pinned clock, no colour."""
    # CI would make ktcli non-interactive: these tests are about the prompts.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("KTCLI_", "FORCE_COLOR")) and k != "CI"
    }
    env.update(
        KTCLI_HOME=str(store),
        KTCLI_ANALYST=analyst,
        KTCLI_NOW=now,
        NO_COLOR="1",
        TERM="xterm-256color",
        COLUMNS=str(columns),
        LINES=str(lines),
        # pexpect does not answer the terminal's cursor-position request; without this
        # prompt_toolkit waits for an answer before drawing each prompt.
        PROMPT_TOOLKIT_NO_CPR="1",
    )
    return env


def saved_tests(path: Path, cause: int = 0) -> dict[str, dict[str, str]]:
    """The tests of one cause as the file on disk holds them now ({} while none)."""
    from ktcli import yamlio

    try:
        data = yamlio.parse(path.read_text("utf-8"), str(path))
    except (OSError, ValueError):
        return {}
    causes = data.get("causes") if isinstance(data, dict) else None
    if not causes or len(causes) <= cause:
        return {}
    return dict(causes[cause].get("tests") or {})


def wait_until(check: object, timeout: float = 20.0) -> None:
    """Poll ``check()`` until it is true: a full-screen redraw leaves no text to expect."""
    import time

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise AssertionError("timed out waiting for the saved file")
