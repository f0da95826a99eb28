"""The guided session in a real pseudo-terminal, as an analyst runs it (pexpect).

Each test reads like the script of a session: what ktcli asks, what the analyst
types. Expectations are on question texts, which are stable; timeouts are
generous because CI machines are slow, but a passing run takes a few seconds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ktcli import yamlio
from tests.e2e import pty_env

pexpect = pytest.importorskip("pexpect")

pytestmark = pytest.mark.pty

TIMEOUT = 30
ID = "inc-4711"


def env_for(tmp_path: Path) -> dict[str, str]:
    return pty_env(tmp_path / "store")


def spawn(tmp_path: Path, *args: str, shell_tail: str = "") -> pexpect.spawn:
    """ktcli in a pty; ``shell_tail`` (e.g. '> out.md') runs it through sh for redirections."""
    argv = [sys.executable, "-m", "ktcli", *args]
    if shell_tail:
        command = " ".join(f"'{a}'" for a in argv) + " " + shell_tail
        argv = ["/bin/sh", "-c", command]
    return pexpect.spawn(
        argv[0],
        argv[1:],
        env=env_for(tmp_path),
        cwd=str(tmp_path),
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(40, 100),
    )


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus if child.exitstatus is not None else 128 + child.signalstatus)


def saved(tmp_path: Path) -> dict[str, object]:
    data = yamlio.parse((tmp_path / "store" / f"{ID}.yaml").read_text("utf-8"), "saved")
    assert isinstance(data, dict)
    return data


def row_is(data: dict[str, object], row_id: str) -> object:
    rows = data["specification"]
    assert isinstance(rows, list)
    return next(r for r in rows if r["id"] == row_id)["is"]


def answer(child: pexpect.spawn, question: str, text: str) -> None:
    child.expect_exact(question)
    child.sendline(text)


def start_quick(child: pexpect.spawn) -> None:
    """Appraisal and statement of a quick session, up to the first IS question."""
    answer(child, "What does this problem cost the customer's business?", "1 in 5 EU orders lost")
    answer(child, "Which one object shows the problem?", "Order API")
    answer(child, "What exactly is wrong with it?", "answers in more than 5 s")
    answer(child, "Who or what told you this?", "customer call, J. Roe")
    # The generic playbook offers its evidence; Enter ticks none (issue 11: offered, not imposed).
    answer(child, "Which of the playbook's evidence applies here?", "")


def quick_until_when_first(tmp_path: Path) -> pexpect.spawn:
    """A new quick session, answered up to the WHEN question, which is on the screen."""
    child = spawn(tmp_path, "new", "--title", "Checkout slow", "--ticket", "INC-4711",
                  "--depth", "quick")  # fmt: skip
    start_quick(child)
    answer(child, "IS - Where is the object when it happens?", "EU pool eu-1")
    child.expect_exact("When was it first seen?")
    return child


def rest_of_quick(child: pexpect.spawn) -> None:
    answer(child, "When was it first seen?", "2026-11-20 14:05 UTC")
    answer(child, "How many objects have the problem?", "3 of 12 EU hosts")
    answer(child, "What is the likely cause?", "DB pool too small in build 42")
    answer(child, "How will you confirm this", "roll one EU host back to build 41")
    answer(child, "What restores service now", "route EU checkout via the US pool")
    child.expect_exact("Export the handoff now?")


def test_a_whole_quick_session_to_the_handoff_with_stdout_in_a_file(tmp_path: Path) -> None:
    child = spawn(
        tmp_path, "new", "--title", "Checkout slow", "--ticket", "INC-4711", "--depth", "quick",
        shell_tail="> handoff.md",
    )  # fmt: skip
    start_quick(child)
    answer(child, "IS - Where is the object when it happens?", "EU pool eu-1")
    rest_of_quick(child)
    child.send("\r")  # Markdown, the first choice
    child.expect_exact("every question answered and saved")
    assert finish(child) == 0
    handoff = (tmp_path / "handoff.md").read_text("utf-8")
    assert handoff.startswith("# INC-4711: Checkout slow")
    assert "Which one object" not in handoff, "questions go to the terminal, not to stdout"
    assert "DB pool too small in build 42" in handoff
    data = saved(tmp_path)
    assert data["progress"] == ["complete"]
    assert row_is(data, "where-location") == {
        "kind": "fact",
        "text": "EU pool eu-1",
        "source": "customer call, J. Roe",
        "status": "reported",
        "evidence": [],
    }


def test_ctrl_c_saves_prints_the_resume_command_and_resume_continues(tmp_path: Path) -> None:
    child = quick_until_when_first(tmp_path)
    child.sendcontrol("c")
    child.expect_exact("everything answered is saved")
    child.expect_exact(f"Resume with: ktcli resume {ID}")
    assert finish(child) == 130
    assert row_is(saved(tmp_path), "where-location")["text"] == "EU pool eu-1"  # type: ignore[index]

    child = spawn(tmp_path, "resume", ID)
    rest_of_quick(child)
    child.send("3\r")  # not now
    assert finish(child) == 0
    assert saved(tmp_path)["progress"] == ["complete"]


def test_a_refused_answer_then_a_retry(tmp_path: Path) -> None:
    child = spawn(tmp_path, "new", "--title", "VPN drops", "--id", ID, "--depth", "quick")
    child.expect_exact("What does this problem cost the customer's business?")
    child.send("\r")  # nothing typed: refused where the answer is typed
    child.expect_exact("An answer is needed here.")
    child.sendline("remote staff cannot reach the ERP")
    # --depth was given: the next question is the statement, not why this depth.
    child.expect_exact("Which one object shows the problem?")
    child.sendcontrol("d")  # save and quit
    child.expect_exact(f"ktcli resume {ID}")
    assert finish(child) == 0
    assert saved(tmp_path)["business_impact"] == "remote staff cannot reach the ERP"


def test_sigkill_mid_session_loses_nothing_answered(tmp_path: Path) -> None:
    child = quick_until_when_first(tmp_path)
    child.send("2026-11-")  # half an answer, being typed when the process dies
    time.sleep(0.3)
    os.kill(child.pid, signal.SIGKILL)
    child.expect(pexpect.EOF)
    child.close()
    data = saved(tmp_path)
    assert data["business_impact"] == "1 in 5 EU orders lost"
    assert data["statement"] == {"object": "Order API", "deviation": "answers in more than 5 s"}
    assert row_is(data, "where-location")["text"] == "EU pool eu-1"  # type: ignore[index]
    assert row_is(data, "when-first") is None

    child = spawn(tmp_path, "resume", ID)  # the lock died with the process
    rest_of_quick(child)
    child.send("3\r")
    assert finish(child) == 0


@pytest.mark.parametrize("stdin", ["closed", "devnull"])
def test_new_without_a_terminal_never_waits(tmp_path: Path, stdin: str) -> None:
    redirect = "<&-" if stdin == "closed" else "</dev/null"
    command = f"'{sys.executable}' -m ktcli new --title 'VPN drops' --id {ID} {redirect}"
    started = time.monotonic()
    res = subprocess.run(
        ["/bin/sh", "-c", command],
        env=env_for(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert time.monotonic() - started < 30
    assert res.returncode == 1, res.stderr
    assert "no terminal to ask on" in res.stderr
    assert "business_impact: What does this problem cost" in res.stderr
    assert "Traceback" not in res.stderr
    assert res.stdout == f"{ID}\n", "saved, so its id is printed for a script"
    assert saved(tmp_path)["title"] == "VPN drops"


def test_keys_typed_ahead_land_in_their_own_answers_past_a_probe(tmp_path: Path) -> None:
    # An analyst who knows the answers types them in one go; the deviation raises
    # an unexpected probing question, which must not take what was typed after it.
    child = spawn(tmp_path, "new", "--title", "Checkout slow", "--id", ID, "--depth", "quick")
    child.expect_exact("What does this problem cost the customer's business?")
    child.send(
        "1 in 5 EU orders lost\r"
        "Order API\r"
        "answers sometimes in 5 s\r"  # 'sometimes': a probe
        "customer call, J. Roe\r"  # the source, typed ahead
        "\r"  # no evidence ticked
        "EU pool eu-1\r"
    )
    child.expect_exact("what you typed ahead waits for the next question")
    child.expect_exact("Refine the answer, or press Enter to keep it:")
    child.send("\r")  # keep it
    child.expect_exact("When was it first seen?")
    child.sendcontrol("d")
    assert finish(child) == 0
    data = saved(tmp_path)
    assert data["statement"] == {"object": "Order API", "deviation": "answers sometimes in 5 s"}
    assert row_is(data, "what-object")["source"] == "customer call, J. Roe"  # type: ignore[index]
    assert row_is(data, "where-location")["text"] == "EU pool eu-1"  # type: ignore[index]


def test_y_and_enter_typed_together_answer_one_question(tmp_path: Path) -> None:
    child = spawn(tmp_path, "new", "--title", "Checkout slow", "--id", ID, "--depth", "quick")
    start_quick(child)
    child.expect_exact("IS - Where is the object when it happens?")
    child.send("-\rNo other region exists\r")  # not applicable, Enter, and the reason at once
    child.expect_exact("When was it first seen?")
    child.sendcontrol("d")
    assert finish(child) == 0
    cell = row_is(saved(tmp_path), "where-location")
    assert cell == {"kind": "not_applicable", "reason": "No other region exists"}


@pytest.mark.parametrize("width", [60, 160])
def test_the_first_screen_at_60_and_160_columns(tmp_path: Path, width: int) -> None:
    import re

    env = pty_env(tmp_path / "store", columns=width)
    child = pexpect.spawn(
        sys.executable, ["-m", "ktcli", "new", "--title", "Checkout slow", "--id", ID],
        env=env, cwd=str(tmp_path), encoding="utf-8", timeout=TIMEOUT, dimensions=(40, width),
    )  # fmt: skip
    child.expect_exact("What does this problem cost the customer's business?")
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", str(child.before)).replace("\r", "")
    child.sendcontrol("d")
    assert finish(child) == 0
    banner = next(n for n, line in enumerate(screen.splitlines()) if line.startswith("Appraisal -"))
    lines = screen.splitlines()[banner:]
    assert " ".join(" ".join(lines[:2]).split()).startswith(
        "Appraisal - Business impact and concerns first; then how deep to go. ───"
    )
    assert all(len(line) <= width for line in lines), "nothing wider than the terminal"
    # The keys legend and the place line, whole, wrapped at words at 60 columns.
    assert "Ctrl-D save and quit" in " ".join(" ".join(lines).split())
