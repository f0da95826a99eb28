"""A guided session on a full disk: the answer stays in memory, the analyst retries or quits."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from ktcli.cli import session as cli_session
from ktcli.session.questions import Command, Question, Reply
from ktcli.session.testing import ScriptedPrompter
from ktcli.store import files
from tests.conftest import Run

ANSWER = "EU shops lose one order in five"


class Disk:
    """os.fsync that fails while ``full`` is set, as on a full disk."""

    def __init__(self) -> None:
        self.full = False
        self.real = os.fsync

    def fsync(self, fd: int) -> None:
        if self.full:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.real(fd)


def _session(
    monkeypatch: pytest.MonkeyPatch, disk: Disk, on_failure: list[str]
) -> ScriptedPrompter:
    """A session that answers the first question, then quits; the disk fills before it."""
    state = {"answered": False}

    def fallback(q: Question) -> Reply:
        if q.id == cli_session.SAVE_FAILED_ID:
            choice = on_failure.pop(0)
            if choice == cli_session.RETRY:
                disk.full = False  # the analyst freed some space
            return choice
        if state["answered"]:
            return Command.QUIT
        state["answered"] = True
        disk.full = True
        return ANSWER

    prompter = ScriptedPrompter({}, fallback=fallback)
    monkeypatch.setattr(cli_session, "_prompter", lambda app_ctx: prompter)
    monkeypatch.setattr(cli_session, "_stdin_is_terminal", lambda: True)
    monkeypatch.setattr(files.os, "fsync", disk.fsync)
    return prompter


def test_a_failed_save_is_retried_and_the_answer_reaches_the_disk(
    ktcli: Run, store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk = Disk()
    prompter = _session(monkeypatch, disk, [cli_session.RETRY])
    res = ktcli("new", "--title", "Checkout slow", "--id", "s1")
    assert res.code == 0, res.err
    assert "no space left on the device" in res.err
    assert "internal error" not in res.err
    assert prompter.ids.count(cli_session.SAVE_FAILED_ID) == 1
    assert ANSWER in (store_dir / "s1.yaml").read_text(encoding="utf-8")


def test_quitting_after_a_failed_save_keeps_what_was_saved_and_says_how_to_resume(
    ktcli: Run, store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk = Disk()
    _session(monkeypatch, disk, [cli_session.QUIT])
    res = ktcli("new", "--title", "Checkout slow", "--id", "s1")
    assert res.code == 1
    assert "could not be saved in s1" in res.err
    assert "ktcli resume s1" in res.err
    assert "internal error" not in res.err
    text = (store_dir / "s1.yaml").read_text(encoding="utf-8")
    assert "Checkout slow" in text, "the save from before the failure is untouched"
    assert ANSWER not in text
    assert not list(store_dir.glob(".*.tmp"))


def test_ctrl_c_while_the_disk_is_full_still_ends_with_the_resume_command(
    ktcli: Run, store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    disk = Disk()
    _session(monkeypatch, disk, [])

    def fallback(q: Question) -> Reply:
        if q.id == cli_session.SAVE_FAILED_ID:
            raise KeyboardInterrupt  # Ctrl-C at the retry question; the disk is still full
        disk.full = True
        return ANSWER

    prompter = ScriptedPrompter({}, fallback=fallback)
    monkeypatch.setattr(cli_session, "_prompter", lambda app_ctx: prompter)
    res = ktcli("new", "--title", "Checkout slow", "--id", "s1")
    assert res.code == 1
    assert "ktcli resume s1" in res.err
    assert "internal error" not in res.err
    assert "Checkout slow" in (store_dir / "s1.yaml").read_text(encoding="utf-8")


def test_a_planted_link_met_mid_session_is_told_and_the_session_can_quit(
    ktcli: Run, store_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("keep\n", encoding="utf-8")

    def fallback(q: Question) -> Reply:
        if q.id == cli_session.SAVE_FAILED_ID:
            return cli_session.QUIT
        # Someone swaps the analysis for a link while the analyst types.
        (store_dir / "s1.yaml").unlink()
        (store_dir / "s1.yaml").symlink_to(precious)
        return ANSWER

    prompter = ScriptedPrompter({}, fallback=fallback)
    monkeypatch.setattr(cli_session, "_prompter", lambda app_ctx: prompter)
    monkeypatch.setattr(cli_session, "_stdin_is_terminal", lambda: True)
    res = ktcli("new", "--title", "Checkout slow", "--id", "s1")
    assert res.code == 1
    assert "s1.yaml: is a symbolic link" in res.err
    assert "ktcli resume s1" in res.err
    assert precious.read_text(encoding="utf-8") == "keep\n"
