"""`ktcli status` at a 60-column terminal: prose wrapped at words, commands left whole (pexpect)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e import pty_env

pexpect = pytest.importorskip("pexpect")

pytestmark = pytest.mark.pty

TITLE = "Checkout API slow to create orders in eu-west-1 for Northwind Retail shoppers"


def test_status_wraps_its_prose_at_words_and_leaves_commands_whole(tmp_path: Path) -> None:
    env = pty_env(tmp_path / "store", columns=60)
    made = subprocess.run(
        [sys.executable, "-m", "ktcli", "create", "--id", "s1", "--title", TITLE],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    child = pexpect.spawn(
        sys.executable, ["-m", "ktcli", "status", "s1"],
        env=env, cwd=str(tmp_path), encoding="utf-8", timeout=30, dimensions=(40, 60),
    )  # fmt: skip
    out = str(child.read())
    child.close()
    lines = out.replace("\r\n", "\n").splitlines()
    prose = [line for line in lines if not line.lstrip().startswith("ktcli ")]
    assert all(len(line) <= 60 for line in prose), [ln for ln in prose if len(ln) > 60]
    # The title wraps between words: each of its words is whole on some line.
    words = {w for line in prose for w in line.split()}
    assert {"eu-west-1", "Northwind", "shoppers"} <= words
    assert any(line.lstrip().startswith("ktcli ") for line in lines), "the next commands"
