"""The cause-test matrix in a real pseudo-terminal: move, verdicts, skip, Ctrl-C, typed ahead."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ktcli import yamlio
from tests.e2e import pty_env, saved_tests, wait_until
from tests.e2e.test_escalation_pty import ANSWERS, ID
from tests.e2e.test_session_pty import finish

pexpect = pytest.importorskip("pexpect")

pytestmark = pytest.mark.pty

KTCLI = str(Path(sys.executable).with_name("ktcli"))
TWO_CAUSES = ANSWERS + "- text: noisy neighbour on the DB host\n  origin: experience\n"
RIGHT, LEFT, DOWN = "\x1b[C", "\x1b[D", "\x1b[B"


def start(tmp_path: Path, columns: int) -> tuple[pexpect.spawn, Path]:
    (tmp_path / "answers.yaml").write_text(TWO_CAUSES, encoding="utf-8")
    child = pexpect.spawn(
        KTCLI,
        ["new", "--title", "Checkout slow", "--ticket", "INC-4711", "--answers", "answers.yaml"],
        env=pty_env(tmp_path / "store", columns=columns, lines=30),
        cwd=str(tmp_path),
        encoding="utf-8",
        timeout=20,
        dimensions=(30, columns),
    )
    # The generic playbook offers its evidence first; Enter: none applies.
    child.expect_exact("Which of the playbook's evidence applies here?")
    child.send("\r")
    child.expect_exact("0/12 tested")
    return child, tmp_path / "store" / f"{ID}.yaml"


def cause(path: Path, n: int) -> dict[str, object]:
    data = yamlio.parse(path.read_text("utf-8"), "saved")
    assert isinstance(data, dict)
    return dict(data["causes"][n])


@pytest.mark.parametrize("columns", [60, 160])
def test_verdicts_skip_and_ctrl_c_lose_nothing(tmp_path: Path, columns: int) -> None:
    child, saved = start(tmp_path, columns)
    # c1 against the first row explains; typed ahead in one go with its reason.
    child.send("eonly the Order API writes through the pool\r")
    wait_until(lambda: len(saved_tests(saved)) == 1)
    # Down to c2 (the cursor is on c1's second row): does not explain, then skip the rest.
    child.send(DOWN + LEFT + "xthe catalog shares that host and is fast\r")
    wait_until(lambda: len(saved_tests(saved, 1)) == 1)
    child.send("s")
    wait_until(lambda: len(cause(saved, 1).get("skipped") or []) == 5)
    # Back on c1 (row 2), a verdict without a reason; then Ctrl-C.
    child.send("e\r")
    wait_until(lambda: len(saved_tests(saved)) == 2)
    child.sendcontrol("c")
    child.expect_exact(f"ktcli resume {ID}")
    assert finish(child) == 130
    c1, c2 = cause(saved, 0), cause(saved, 1)
    assert saved_tests(saved)["what-object"] == {
        "verdict": "explains",
        "note": "only the Order API writes through the pool",
    }
    assert saved_tests(saved)["what-deviation"]["note"] == "(no reason given)"
    assert c2["tests"] == {
        "what-object": {
            "verdict": "does_not_explain",
            "note": "the catalog shares that host and is fast",
        }
    }
    assert "skipped" not in c1
    assert len(c2["skipped"]) == 5  # type: ignore[arg-type]


def test_an_assumption_is_required_and_keys_typed_ahead_stay_in_their_answer(
    tmp_path: Path,
) -> None:
    child, saved = start(tmp_path, 100)
    # "o" then Enter at once: refused, the line stays open; the assumption typed ahead
    # after it goes into that same line, not into the next cell.
    child.send("o\rbuild 42 runs only in eu-1\r" + "e\r")
    wait_until(lambda: len(saved_tests(saved)) == 2)
    tests = saved_tests(saved)
    assert tests["what-object"] == {
        "verdict": "explains_only_if",
        "note": "build 42 runs only in eu-1",
    }
    assert tests["what-deviation"]["verdict"] == "explains"
    child.sendcontrol("d")
    child.expect_exact(f"ktcli resume {ID}")
    assert finish(child) == 0


def test_enter_after_a_note_stays_on_the_grid_q_leaves_and_ctrl_c_keeps_every_mark(
    tmp_path: Path,
) -> None:
    child, saved = start(tmp_path, 100)
    # A note confirmed with Enter, then Enter pressed again out of habit: still the grid.
    child.send("eonly the Order API writes through the pool\r\r")
    wait_until(lambda: len(saved_tests(saved)) == 1)
    # A terminal that sends CR LF for Enter: the LF is not a second Enter that leaves.
    child.send("ewaiting adds latency, not errors\r\n")
    wait_until(lambda: len(saved_tests(saved)) == 2)
    # Still on the matrix: the next verdict lands in the next cell, not in another question.
    child.send("xeu-1 only\r")
    wait_until(lambda: len(saved_tests(saved)) == 3)
    # Leaving on purpose with cells open: q; the session goes on to the verification.
    child.send("q")
    child.expect_exact("How will you confirm this, safely, before acting on it?")
    child.sendcontrol("c")
    child.expect_exact(f"ktcli resume {ID}")
    assert finish(child) == 130
    tests = saved_tests(saved)
    assert [t["verdict"] for t in tests.values()] == ["explains", "explains", "does_not_explain"]
    assert tests["where-location"]["note"] == "eu-1 only"
