"""``ktcli status``: known, open, and the exact next commands (issue 11, point 5)."""

from __future__ import annotations

import json

from tests.conftest import EXAMPLES, Run

ID = "inc-9"


def _open_case(ktcli: Run) -> None:
    for args in (
        ("create", "--title", "Checkout slow", "--ticket", "INC-9", "--impact", "EU orders lost"),
        ("statement", ID, "-o", "Order API", "-d", "answers in more than 5 s"),
        ("fact", ID, "where-location", "EU hosts", "--source", "monitoring"),
        ("fact", ID, "where-location", "US hosts", "--side", "is-not", "--source", "monitoring"),
        ("need-data", ID, "when-first", "--who", "ana", "--how", "ask the customer"),
        ("cause", ID, "build 42 on the EU hosts"),
        ("test", ID, "c1", "where-location", "--explains", "only the EU runs build 42"),
        ("verify", ID, "c1", "--checks", "deploy log", "--method", "read it",
         "--result", "42 only in EU", "--status", "confirmed"),
        ("request", ID, "slow query log", "--from", "customer DBA"),
        ("action", ID, "corrective", "roll back build 42"),
    ):  # fmt: skip
        res = ktcli(*args)
        assert res.code == 0, (args, res.err)


def test_status_lists_what_check_alone_would_pass_over(ktcli: Run) -> None:
    _open_case(ktcli)
    res = ktcli("status", ID)
    assert res.code == 0, res.err
    out = res.out
    assert "c1 is verified but not confirmed as the true cause" in out
    assert f"ktcli confirm {ID} c1" in out
    assert "WHEN: first seen IS: needs data (ana: ask the customer)" in out
    assert "data request r1 outstanding: slow query log (from customer DBA)" in out
    assert "corrective action a1 planned: roll back build 42" in out
    assert f"ktcli action {ID} --id a1 --done" in out
    assert out.splitlines()[-3:][0].startswith("  ktcli ")
    assert all(line == line.rstrip() for line in out.splitlines())


def test_status_json_has_the_same_items(ktcli: Run) -> None:
    _open_case(ktcli)
    data = json.loads(ktcli("status", ID, "--json").out)
    kinds = [o["kind"] for o in data["open"]]
    assert {"confirm", "data", "request", "action"} <= set(kinds)
    assert data["next"][0] == data["open"][0]["command"]


def test_the_suggested_commands_move_the_case_on(ktcli: Run) -> None:
    _open_case(ktcli)
    assert ktcli("confirm", ID, "c1").code == 0
    assert ktcli("action", ID, "--id", "a1", "--done").code == 0
    out = ktcli("status", ID).out
    assert "not confirmed" not in out
    assert "corrective action a1" not in out
    assert "true cause: c1" in out


def test_check_says_what_is_still_open_when_every_gate_passes(ktcli: Run) -> None:
    res = ktcli("check", str(EXAMPLES / "checkout-latency.yaml"))
    assert res.code == 0
    assert "all 18 quality gates pass" in res.out
    assert "still open" not in res.out  # closed: nothing open
    _open_case(ktcli)
    res = ktcli("check", ID)
    assert "thing(s) still open: ktcli status inc-9" in " ".join(res.out.split())


def test_a_closed_analysis_has_nothing_open(ktcli: Run) -> None:
    res = ktcli("status", str(EXAMPLES / "checkout-latency.yaml"))
    assert res.code == 0
    assert res.out.rstrip().endswith("Nothing open.")


def test_status_shows_the_decision_and_the_protected_plan(ktcli: Run) -> None:
    out = ktcli("status", str(EXAMPLES / "checkout-latency.yaml")).out
    assert "decision: chose o2 Revert only the pool setting" in out
    assert "protected plan: 2 step(s), 3 potential problem(s)" in out
