"""Shell completion: typer's, installable in one command, completing what the analyst types."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Result, Run


def ok(res: Result) -> Result:
    assert res.code == 0, res.err
    return res


def complete(line: str, *, shell: str = "bash") -> list[str]:
    """What the shell would offer for ``line`` (the word being typed is its last word)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("_TYPER")}
    env["_KTCLI_COMPLETE"] = f"complete_{shell}"
    if shell == "bash":
        words = line.split(" ")
        env.update(COMP_WORDS=line, COMP_CWORD=str(len(words) - 1))
    else:
        env["_TYPER_COMPLETE_ARGS"] = line
    res = subprocess.run(
        [sys.executable, "-m", "ktcli"], env=env, capture_output=True, text=True, check=False
    )
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    return res.stdout.split()


@pytest.fixture
def two(ktcli: Run) -> None:
    for ticket in ("INC-4711", "INC-4712"):
        ok(ktcli("create", "--title", "Checkout slow", "--ticket", ticket))
    ok(ktcli("fact", "inc-4711", "where-location", "eu-west pool", "--source", "Grafana"))
    ok(ktcli("cause", "inc-4711", "Pool too small"))
    ok(ktcli("cause", "inc-4711", "Slow disk"))


def test_analysis_ids_complete(two: None) -> None:
    assert complete("ktcli show inc-47") == ["inc-4711", "inc-4712"]
    assert complete("ktcli export inc-4712") == ["inc-4712"]
    assert complete("ktcli fact ") == ["inc-4711", "inc-4712"]


def test_causes_and_rows_of_the_analysis_on_the_line_complete(two: None) -> None:
    assert complete("ktcli test inc-4711 ") == ["c1", "c2"]
    assert complete("ktcli confirm INC-4711 c") == ["c1", "c2"]
    assert complete("ktcli test inc-4711 c1 where-l") == ["where-location"]
    assert complete("ktcli fact inc-4712 extent-t") == ["extent-trend"]


def test_playbooks_complete() -> None:
    assert complete("ktcli new --playbook web") == ["web-latency"]
    assert "database-performance" in complete("ktcli playbook show ")


def test_commands_complete_without_loading_every_module() -> None:
    assert complete("ktcli sh") == ["show"]


def test_a_store_named_on_the_line_is_the_one_completed(two: None, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    assert complete(f"ktcli --store {other} show inc") == []
    assert complete(f"ktcli --store {tmp_path / 'store'} show inc-4711") == ["inc-4711"]


def test_zsh_gets_the_same_candidates(two: None) -> None:
    out = " ".join(complete("ktcli test inc-4711 ", shell="zsh"))
    assert '"c1"' in out
    assert '"c2"' in out


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_installs_in_one_command(ktcli: Run, shell: str) -> None:
    # A process of its own, as the shell runs it: typer keeps completion state per process.
    res = subprocess.run(
        [sys.executable, "-m", "ktcli", "--show-completion", shell],
        capture_output=True,
        text=True,
        check=False,
    )
    assert res.returncode == 0, res.stderr
    assert "_KTCLI_COMPLETE" in res.stdout
    assert "ktcli --install-completion" in ok(ktcli("--help")).out
