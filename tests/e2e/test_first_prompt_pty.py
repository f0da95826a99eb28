"""``ktcli new`` drawing its first question before the model is loaded, in a real terminal.

The first run records what the session shows before its first question; the
next run with the same options draws that at once and loads the rest while the
analyst types. Same screen, same guarantees: the first answer is on disk before
the second question, keys typed ahead reach their own questions, Ctrl-C saves.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.e2e.test_session_pty import ID, answer, finish, row_is, saved, spawn

pexpect = pytest.importorskip("pexpect")

pytestmark = pytest.mark.pty

IMPACT = "What does this problem cost the customer's business?"
OPTIONS = ("--title", "Checkout slow", "--depth", "quick")


def screen_of(child: pexpect.spawn) -> list[str]:
    """What was drawn up to the last match, from the section banner on, without escapes."""
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", str(child.before)).replace("\r", "")
    lines = text.splitlines()
    return lines[next(n for n, line in enumerate(lines) if line.startswith("Appraisal -")) :]


def recorded(tmp_path: Path) -> list[str]:
    """A first session run to its first question and quit: the screen it drew."""
    child = spawn(tmp_path, "new", *OPTIONS, "--id", "first")
    child.expect_exact(IMPACT)
    screen = screen_of(child)
    child.sendcontrol("d")
    assert finish(child) == 0
    state = Path(os.environ["XDG_STATE_HOME"]) / "ktcli" / "validated"
    assert list(state.iterdir()), "the start of the session is recorded"
    return screen


def test_the_first_question_drawn_early_is_the_same_and_its_answer_saved_first(
    tmp_path: Path,
) -> None:
    before = recorded(tmp_path)
    child = spawn(tmp_path, "new", *OPTIONS, "--id", ID)
    child.expect_exact(IMPACT)
    after = screen_of(child)
    assert after == before, "the same heading, place header and hint"
    child.sendline("1 in 5 EU orders lost")
    child.expect_exact("Which one object shows the problem?")
    # On disk before the second question appeared.
    assert saved(tmp_path)["business_impact"] == "1 in 5 EU orders lost"
    child.sendcontrol("d")
    assert finish(child) == 0


def test_keys_typed_ahead_while_loading_reach_their_own_questions(tmp_path: Path) -> None:
    recorded(tmp_path)
    child = spawn(tmp_path, "new", *OPTIONS, "--id", ID)
    child.expect_exact(IMPACT)
    # Typed in one go: the model loads after the first Enter, the rest waits for it.
    child.send("1 in 5 EU orders lost\rOrder API\ranswers in more than 5 s\r")
    answer(child, "Who or what told you this?", "customer call, J. Roe")
    child.expect_exact("Which of the playbook's evidence applies here?")
    child.sendcontrol("d")
    assert finish(child) == 0
    data = saved(tmp_path)
    assert data["business_impact"] == "1 in 5 EU orders lost"
    assert data["statement"] == {"object": "Order API", "deviation": "answers in more than 5 s"}
    assert row_is(data, "what-object")["source"] == "customer call, J. Roe"  # type: ignore[index]


@pytest.mark.parametrize("key", ["c", "d"])
def test_ctrl_c_or_ctrl_d_at_the_drawn_question_leaves_a_resumable_analysis(
    tmp_path: Path, key: str
) -> None:
    recorded(tmp_path)
    child = spawn(tmp_path, "new", *OPTIONS, "--id", ID)
    child.expect_exact(IMPACT)
    child.sendcontrol(key)
    child.expect_exact(f"Resume with: ktcli resume {ID}")
    assert finish(child) == (130 if key == "c" else 0)
    assert saved(tmp_path)["title"] == "Checkout slow"

    child = spawn(tmp_path, "resume", ID)
    answer(child, IMPACT, "1 in 5 EU orders lost")
    child.expect_exact("Which one object shows the problem?")
    child.sendcontrol("d")
    assert finish(child) == 0
    assert saved(tmp_path)["business_impact"] == "1 in 5 EU orders lost"
