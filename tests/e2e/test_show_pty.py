"""`ktcli show` at a terminal: through a pager when long, at once with --no-pager (pexpect)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e import pty_env

pexpect = pytest.importorskip("pexpect")

pytestmark = pytest.mark.pty

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "checkout-latency.yaml"


def imported(tmp_path: Path) -> dict[str, str]:
    env = pty_env(tmp_path / "store")
    res = subprocess.run(
        [sys.executable, "-m", "ktcli", "import", str(EXAMPLE)],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    # A pager that keeps what it was given: proof that show went through it.
    env["PAGER"] = f"sh -c 'cat > {tmp_path / 'paged.txt'}'"
    return env


def run_show(tmp_path: Path, env: dict[str, str], *args: str) -> str:
    child = pexpect.spawn(
        sys.executable, ["-m", "ktcli", "show", "checkout-latency", *args],
        env=env, cwd=str(tmp_path), encoding="utf-8", timeout=30, dimensions=(40, 100),
    )  # fmt: skip
    out = child.read()
    child.close()
    assert child.exitstatus == 0, out
    return str(out)


def test_long_show_output_goes_through_the_pager_at_a_terminal(tmp_path: Path) -> None:
    env = imported(tmp_path)
    run_show(tmp_path, env)
    paged = (tmp_path / "paged.txt").read_text("utf-8")
    assert "IS / IS NOT" in paged
    assert "╭" in paged, "at a terminal, the tables keep their lines"


def test_no_pager_prints_at_once(tmp_path: Path) -> None:
    env = imported(tmp_path)
    out = run_show(tmp_path, env, "--no-pager")
    assert "IS / IS NOT" in out
    assert not (tmp_path / "paged.txt").exists()


def test_a_show_remembered_from_before_still_goes_through_the_pager(tmp_path: Path) -> None:
    env = imported(tmp_path)
    env["KTCLI_CACHE"] = str(tmp_path / "cache")
    at_once = run_show(tmp_path, env, "--no-pager")  # the full path: the text is remembered
    assert any((tmp_path / "cache").iterdir())
    run_show(tmp_path, env)
    paged = (tmp_path / "paged.txt").read_text("utf-8")
    assert "IS / IS NOT" in paged
    assert paged.replace("\n", "\r\n") == at_once, "the same text, paged"
