"""What a script needs from ktcli: printed ids, ids as people type them, files others can read."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Result, Run


def ok(res: Result) -> Result:
    assert res.code == 0, res.err
    return res


@pytest.fixture
def aid(ktcli: Run) -> str:
    """A fresh analysis with a statement and one IS / IS NOT row, its id as printed."""
    new = ok(ktcli("create", "--title", "Checkout slow", "--ticket", "INC-9042")).out
    assert new == "inc-9042\n"
    ok(ktcli("statement", "inc-9042", "-o", "Order API", "-d", "answers in more than 5 s"))
    return new.strip()


# -- every command that creates something prints its id, and only its id -----------------------

CREATES = [
    (("concern", "{aid}", "Checkout times out"), "k1"),
    (("distinction", "{aid}", "Only EU runs build 42", "--row", "where-location"), "d1"),
    (("change", "{aid}", "Pool size cut to 10", "--when", "2026-11-20T22:00Z"), "ch1"),
    (("cause", "{aid}", "Pool too small"), "c1"),
    (("action", "{aid}", "interim", "route EU traffic to us-east"), "a1"),
    (("request", "{aid}", "slow query log", "--from", "customer DBA"), "r1"),
    (("question", "{aid}", "Did the DBA change anything?"), "q1"),
    (("decide", "must", "{aid}", "p99 below 1 s"), "m1"),
    (("decide", "want", "{aid}", "cheap", "--weight", "5"), "w1"),
    (("decide", "option", "{aid}", "Revert the pool setting"), "o1"),
    (("protect", "step", "{aid}", "Apply the revert"), "s1"),
]


@pytest.mark.parametrize(("args", "new_id"), CREATES, ids=[a[0][0] + a[0][1] for a in CREATES])
def test_a_command_that_creates_something_prints_only_its_id(
    ktcli: Run, aid: str, args: tuple[str, ...], new_id: str
) -> None:
    res = ok(ktcli(*(a.format(aid=aid) for a in args)))
    assert res.out == f"{new_id}\n"
    assert res.err.startswith(f"✓ {aid}: ")


def test_the_printed_ids_chain_into_the_next_commands(ktcli: Run, aid: str) -> None:
    d = ok(
        ktcli("distinction", aid, "Only EU runs build 42", "--row", "where-location")
    ).out.strip()
    ch = ok(ktcli("change", aid, "Pool cut", "--when", "2026-11-20T22:00Z", "--distinction", d))
    c = ok(ktcli("cause", aid, "Pool too small", "--origin", "change", "--ref", ch.out.strip()))
    r = ok(ktcli("request", aid, "slow query log", "--from", "DBA")).out.strip()
    assert ok(ktcli("request", aid, "--id", r, "--received", "log attached")).out == ""
    step = ok(ktcli("protect", "step", aid, "Apply the revert")).out.strip()
    problem = ktcli("protect", "problem", aid, step, "Revert fails", "-p", "low", "-s", "high")
    assert ok(problem).out == "p1\n"
    assert c.out == "c1\n"


def test_new_with_an_answers_file_prints_the_new_id(ktcli: Run, tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("title: Checkout slow\nticket: INC-77\n", encoding="utf-8")
    res = ktcli("new", "--answers", str(answers))
    assert res.out.splitlines()[0] == "inc-77"
