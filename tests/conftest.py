"""Shared fixtures: an isolated store, a pinned clock, plain output, and a way to run ktcli."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every test gets its own store, a fixed analyst and clock, and colourless 80-column output."""
    monkeypatch.setenv("KTCLI_HOME", str(tmp_path / "store"))
    monkeypatch.setenv("KTCLI_ANALYST", "ana")
    monkeypatch.setenv("KTCLI_NOW", "2026-11-24T09:00:00Z")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LINES", "50")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("KTCLI_PLAYBOOK_PATH", raising=False)
    monkeypatch.delenv("KTCLI_DEBUG", raising=False)
    monkeypatch.delenv("CI", raising=False)  # CI makes ktcli non-interactive; tests choose
    monkeypatch.delenv("KTCLI_CONFIG", raising=False)
    monkeypatch.delenv("KTCLI_ARCHIVE_PATH", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


@dataclass
class Result:
    """What one ktcli run did."""

    code: int
    out: str
    err: str


Run = Callable[..., Result]


@pytest.fixture
def ktcli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run ktcli in-process, exactly as the console script does; returns code, stdout, stderr."""
    from ktcli.cli.app import run

    def invoke(*args: str, stdin: str = "") -> Result:
        capsys.readouterr()
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = 0
        try:
            run(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    """The isolated store directory set by the autouse fixture."""
    return tmp_path / "store"


@contextlib.contextmanager
def lock_held_elsewhere(store_dir: Path, analysis_id: str) -> Iterator[subprocess.Popen[str]]:
    """Another process holds the analysis's lock until the block ends (then it is killed)."""
    code = textwrap.dedent(
        f"""
        import time
        from pathlib import Path
        from ktcli.store.files import Store
        with Store(Path({str(store_dir)!r})).lock({analysis_id!r}):
            print("locked", flush=True)
            time.sleep(60)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "locked"
        yield proc
    finally:
        proc.kill()
        proc.wait()
