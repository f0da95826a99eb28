"""In a real terminal: the session offers a past fix once the specification is done."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ktcli import yamlio
from tests.conftest import EXAMPLES
from tests.e2e import pty_env
from tests.e2e.test_session_pty import TIMEOUT, answer, finish

pexpect = pytest.importorskip("pexpect")

pytestmark = pytest.mark.pty


def test_a_past_fix_is_offered_with_its_comparison_and_recorded(tmp_path: Path) -> None:
    env = pty_env(tmp_path / "store")
    # The worked example is the team's archive: a closed analysis of the same problem.
    env["KTCLI_ARCHIVE_PATH"] = str(EXAMPLES)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "ktcli", "new", "--title", "Orders slow", "--ticket", "INC-9", "--depth", "quick"],
        env=env,
        cwd=str(tmp_path),
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(60, 160),
    )
    answer(child, "What does this problem cost the customer's business?", "EU orders lost")
    answer(
        child,
        "Which one object shows the problem?",
        "Checkout API order creation (POST /v2/orders)",
    )
    answer(
        child, "What exactly is wrong with it?", "answers in 2.4 s at p95 instead of under 400 ms"
    )
    answer(child, "Who or what told you this?", "monitoring")
    answer(child, "Which of the playbook's evidence applies here?", "")
    answer(
        child,
        "IS - Where is the object when it happens?",
        "eu-west-1 (Dublin) checkout-api cluster",
    )
    answer(child, "When was it first seen?", "2026-11-18 14:10 UTC")
    answer(child, "How many objects have the problem?", "All 12 checkout-api pods in eu-west-1")
    child.expect_exact("compared row by row (ktcli similar)")
    child.expect_exact("checkout-latency")
    child.expect_exact("likely the same problem")
    child.expect_exact("WHERE: location: IS matches")
    child.expect_exact("fix:")
    child.expect_exact("Re-use the fix of one of these?")
    child.send("1\r")
    child.expect_exact("What is the likely cause?")
    child.sendcontrol("d")
    assert finish(child) == 0
    data = yamlio.parse((tmp_path / "store" / "inc-9.yaml").read_text("utf-8"), "saved")
    assert isinstance(data, dict)
    reused = data["fix_reused_from"]
    assert (reused["analysis"], reused["verdict"], reused["source"]) == (
        "checkout-latency",
        "likely the same problem",
        str(EXAMPLES),
    )
