"""The appraisal in a real pseudo-terminal: ratings in one answer, next steps, owners."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_session_pty import ID, answer, finish, saved, spawn

pexpect = pytest.importorskip("pexpect")

pytestmark = pytest.mark.pty


def test_two_concerns_get_their_ratings_next_steps_and_owners(tmp_path: Path) -> None:
    child = spawn(tmp_path, "new", "--title", "Checkout slow", "--ticket", "INC-4711")
    answer(child, "What does this problem cost the customer's business?", "1 in 5 EU orders lost")
    answer(child, "What is the customer's concern, in one sentence?", "EU checkout waits over 5 s")
    answer(child, "how fast does it grow? (h / m / l each)", "hhm")
    answer(child, "What else bothers the customer?", "Choose which build to roll back to")
    # Enter keeps the ratings shown (m m m); then Enter ends the list.
    answer(child, "how fast does it grow? (h / m / l each)", "")
    answer(child, "What else bothers the customer?", "")
    # Each concern's next step, preselected from its wording: Enter takes it.
    child.expect_exact("Concern k1: EU checkout waits over 5 s")
    answer(child, "What does this concern need next?", "")
    child.expect_exact("Concern k2: Choose which build to roll back to")
    answer(child, "What does this concern need next?", "")
    # One concern needs a cause: no "which one" question; the other is handed on.
    answer(child, "Who takes this concern?", "tomas.r")
    child.expect_exact("Which of these apply?")
    child.sendcontrol("d")
    child.expect_exact(f"ktcli resume {ID}")
    assert finish(child) == 0
    concerns = saved(tmp_path)["appraisal"]["concerns"]  # type: ignore[index]
    assert [
        (c["seriousness"], c["urgency"], c["growth"], c["next_step"], c["owner"]) for c in concerns
    ] == [
        ("high", "high", "medium", "problem_analysis", "ana"),
        ("medium", "medium", "medium", "decision_analysis", "tomas.r"),
    ]
