"""``ktcli new`` and ``ktcli resume`` without a terminal: nothing is asked, nothing hangs."""

from __future__ import annotations

from pathlib import Path

import pytest

from ktcli import yamlio
from tests.conftest import Run

QUICK_ANSWERS = """\
title: Checkout slow for EU shops
ticket: INC-4711
business_impact: EU shops lose about 1 in 5 orders
appraisal:
  depth: quick
  depth_reason: familiar, urgent ticket
statement:
  object: Order API
  deviation: answers in more than 5 s
specification:
  - id: what-object
    is: {text: Order API, source: customer call}
  - id: what-deviation
    is: {text: answers in more than 5 s, source: customer call}
  - id: where-location
    is: {text: EU pool, source: monitoring}
  - id: when-first
    is: {who: J. Roe, how: LB log}
  - id: extent-objects
    is: {reason: a single pool}
causes:
  - text: DB pool too small in build 42
verifications:
  - cause: c1
    checks: c1 is the true cause
    method: roll one EU host back
actions:
  - kind: interim
    text: route EU checkout via the US pool
"""


def write(tmp_path: Path, text: str, name: str = "answers.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_complete_answers_file_needs_no_terminal(
    ktcli: Run, tmp_path: Path, store_dir: Path
) -> None:
    res = ktcli("new", "--answers", str(write(tmp_path, QUICK_ANSWERS)))
    assert res.code == 0, res.err
    saved = yamlio.parse((store_dir / "inc-4711.yaml").read_text(), "saved")
    assert saved["progress"] == ["complete"]
    assert saved["specification"][4]["is"]["kind"] == "need_data"
    assert "every question answered" in res.err


def test_partial_answers_are_saved_and_the_rest_listed(
    ktcli: Run, tmp_path: Path, store_dir: Path
) -> None:
    partial = QUICK_ANSWERS.split("causes:")[0]
    res = ktcli("new", "--answers", str(write(tmp_path, partial)), "--id", "p1")
    assert res.code == 1
    assert "cause.likely" not in res.err, "missing answers are named by their field"
    assert "causes: What is the likely cause?" in res.err
    assert "actions: What restores service now" in res.err
    assert "error: no terminal to ask on; 2 answer(s) missing in p1" in res.err
    assert "ktcli resume p1" in res.err
    assert res.out == "p1\n", "the analysis was created and saved: its id is printed"
    saved = yamlio.parse((store_dir / "p1.yaml").read_text(), "saved")
    assert saved["statement"]["object"] == "Order API"


def test_title_only_saves_and_lists_from_the_first_question(ktcli: Run, store_dir: Path) -> None:
    res = ktcli("new", "--title", "VPN drops", "--id", "v1", "--depth", "quick")
    assert res.code == 1
    assert "business_impact: What does this problem cost" in res.err
    assert (store_dir / "v1.yaml").is_file()


def test_no_title_and_no_terminal_saves_nothing(ktcli: Run, store_dir: Path) -> None:
    res = ktcli("new")
    assert res.code == 1
    assert "nothing saved" in res.err
    assert "--title" in res.err
    assert not store_dir.exists() or not list(store_dir.glob("*.yaml"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "title: x\nstatement:\n  object: Order API\n  deviaton: slow\n",
            "answers.yaml:4:3: statement.deviaton: unknown field",
        ),
        (
            "title: x\nappraisal:\n  depth: medium\n",
            "answers.yaml:3:10: appraisal.depth:",
        ),
        ("- a list\n", "answers.yaml:1:1: expected a mapping"),
        ("title: x\ntitle: y\n", "answers.yaml:2:1: title: duplicate key"),
    ],
)
def test_bad_answers_files_name_file_line_column_and_field(
    ktcli: Run, tmp_path: Path, store_dir: Path, text: str, message: str
) -> None:
    path = write(tmp_path, text)
    res = ktcli("new", "--answers", str(path), "--id", "bad")
    assert res.code == 1
    assert message in res.err.replace(str(tmp_path) + "/", "")
    assert "Traceback" not in res.err
    assert not (store_dir / "bad.yaml").exists()


def test_new_refuses_an_existing_id(ktcli: Run) -> None:
    assert ktcli("create", "--title", "x", "--id", "dup").code == 0
    res = ktcli("new", "--title", "y", "--id", "dup")
    assert res.code == 1
    assert "already exists" in res.err
    assert "ktcli resume dup" in res.err


def test_resume_without_a_terminal_lists_what_is_missing(ktcli: Run) -> None:
    ktcli("new", "--title", "VPN drops", "--id", "v2", "--depth", "full")
    res = ktcli("resume", "v2")
    assert res.code == 1
    assert "business_impact" in res.err
    assert "appraisal.concerns" in res.err


def test_resume_of_a_finished_analysis_says_so(ktcli: Run, tmp_path: Path) -> None:
    ktcli("new", "--answers", str(write(tmp_path, QUICK_ANSWERS)))
    res = ktcli("resume", "inc-4711")
    assert res.code == 0
    assert "every question is answered" in res.err


def test_resume_of_an_unknown_id(ktcli: Run) -> None:
    res = ktcli("resume", "nope")
    assert res.code == 1
    assert "no analysis 'nope'" in res.err


def test_the_resume_command_names_the_store_when_the_shell_would_not(
    ktcli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KTCLI_HOME")
    other = tmp_path / "other store"
    res = ktcli("--store", str(other), "new", "--title", "x", "--id", "s1")
    assert res.code == 1
    assert f"ktcli --store '{other}' resume s1" in res.err


def test_an_answers_file_gets_the_probing_questions_on_stderr(ktcli: Run, tmp_path: Path) -> None:
    """Issue 11: a team building analyses from a ticket system got no probing at all."""
    text = QUICK_ANSWERS.replace(
        "business_impact: EU shops lose about 1 in 5 orders",
        "business_impact: because of a bad JVM update, everything is slow and sometimes it hangs",
    )
    res = ktcli("new", "--answers", str(write(tmp_path, text)))
    warnings = [line for line in res.err.splitlines() if line.startswith("warning: ")]
    assert any("business_impact: 'sometimes': How often exactly" in w for w in warnings), res.err
    assert any("business_impact: 'because of': How can we be sure" in w for w in warnings)
    assert all("answers.yaml: " in w for w in warnings)
