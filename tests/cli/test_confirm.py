"""confirm and verify through the command line guard the truth (issue 11, points 1 and 9)."""

from __future__ import annotations

from tests.conftest import Run

ID = "inc-7"


def _build(ktcli: Run) -> None:
    for args in (
        ("create", "--title", "Checkout slow", "--ticket", "INC-7", "--impact", "EU orders"),
        ("statement", ID, "-o", "Order API", "-d", "answers in more than 5 s"),
        ("fact", ID, "where-location", "EU hosts", "--source", "monitoring"),
        ("fact", ID, "where-location", "US hosts", "--side", "is-not", "--source", "monitoring"),
        ("fact", ID, "when-first", "Monday 09:00", "--source", "monitoring"),
        ("cause", ID, "build 42 on the EU hosts"),
        ("cause", ID, "the shared network"),
        ("test", ID, "c1", "where-location", "--explains", "only the EU runs build 42"),
        ("test", ID, "c1", "when-first", "--explains", "deployed Monday 08:55"),
        ("test", ID, "c2", "where-location", "--does-not-explain", "the US shares it"),
        ("test", ID, "c2", "when-first", "--explains", "it changed Monday"),
    ):
        res = ktcli(*args)
        assert res.code == 0, (args, res.err)


def _verify(ktcli: Run, cause: str, status: str) -> str:
    res = ktcli(
        "verify", ID, cause, "--checks", "it", "--method", "look", "--result", "r",
        "--status", status,
    )  # fmt: skip
    assert res.code == 0, res.err
    return res.out.strip()


def test_confirm_refuses_a_cause_a_fact_contradicts(ktcli: Run) -> None:
    _build(ktcli)
    _verify(ktcli, "c2", "confirmed")
    res = ktcli("confirm", ID, "c2")
    assert res.code == 1
    assert "cannot confirm c2: cause c2 does not explain: where-location" in res.err
    assert "true_cause: null" in ktcli("export", ID).out


def test_refuting_the_confirming_step_withdraws_the_true_cause(ktcli: Run) -> None:
    _build(ktcli)
    step = _verify(ktcli, "c1", "confirmed")
    assert ktcli("confirm", ID, "c1").code == 0
    res = ktcli("verify", ID, "c1", "--step", step, "--status", "refuted", "--result", "no")
    assert res.code == 0, res.err
    assert f"verification {step} refuted c1: it is no longer the true cause" in res.err
    assert "true_cause: null" in ktcli("export", ID).out


def test_verify_step_of_another_cause_is_refused(ktcli: Run) -> None:
    _build(ktcli)
    step = _verify(ktcli, "c1", "planned")
    res = ktcli("verify", ID, "c2", "--step", step, "--status", "confirmed")
    assert res.code == 2
    assert f"verification step {step} checks cause c1, not c2" in res.err


def test_a_verdict_against_a_row_with_no_facts_is_refused(ktcli: Run) -> None:
    _build(ktcli)
    res = ktcli("test", ID, "c1", "extent-trend", "--explains", "r")
    assert res.code == 2
    assert "holds no fact" in res.err
