"""A short guided decision in a real pseudo-terminal (pexpect): what is asked, what is typed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ktcli import yamlio
from tests.e2e import pty_env

pexpect = pytest.importorskip("pexpect")

pytestmark = pytest.mark.pty

TIMEOUT = 30
ID = "inc-4711"


def test_a_short_decision_at_a_terminal(tmp_path: Path) -> None:
    env = pty_env(tmp_path / "store")
    ktcli = [sys.executable, "-m", "ktcli"]
    subprocess.run([*ktcli, "create", "-t", "Checkout slow", "--id", ID], env=env, check=True,
                   capture_output=True)  # fmt: skip
    child = pexpect.spawn(ktcli[0], [*ktcli[1:], "decide", ID], env=env, cwd=str(tmp_path),
                          encoding="utf-8", timeout=TIMEOUT, dimensions=(40, 100))  # fmt: skip

    def answer(question: str, text: str) -> None:
        child.expect_exact(question)
        child.sendline(text)

    answer("What is being chosen, and to what end?", "What to roll back, to restore checkout")
    answer("A MUST", "p99 below 1 s")
    answer("A MUST", "")
    answer("A WANT", "Keeps the other settings")
    answer("A WANT", "")
    answer("How much does it matter", "0")  # not 1-10: asked again
    answer("How much does it matter", "8")
    answer("An option", "Roll back the whole release")
    answer("An option", "Revert only the pool setting")
    answer("An option", "")
    child.expect_exact("Does it pass this MUST?")
    child.send("1\r")  # passes
    answer("The fact that says so?", "canary at 0.4 s")
    child.expect_exact("Does it pass this MUST?")
    child.send("1\r")
    answer("The fact that says so?", "canary with pool 50 at 0.4 s")
    answer("How well does it meet this WANT", "3")
    answer("The fact behind the score?", "drops 11 settings")
    answer("How well does it meet this WANT", "10")
    answer("The fact behind the score?", "keeps all settings")
    answer("What could go wrong if it is chosen?", "")  # leader o2
    answer("What could go wrong if it is chosen?", "")  # runner-up o1
    child.expect_exact("Which option do you choose?")
    child.send("\r")  # the top score is preselected
    answer("Why this one?", "top score")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    data = yamlio.parse((tmp_path / "store" / f"{ID}.yaml").read_text("utf-8"), "saved")
    assert isinstance(data, dict)
    decision = data["decision"]
    assert decision["wants"][0]["weight"] == 8
    assert decision["options"][1]["scores"]["w1"] == {"score": 10, "fact": "keeps all settings"}
    assert decision["choice"]["option"] == "o2"
    assert decision["choice"]["reason"] == "top score"
