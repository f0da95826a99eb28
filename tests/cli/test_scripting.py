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


# -- ids resolved as people type them ----------------------------------------------------------


@pytest.mark.parametrize("typed", ["INC-9042", "Inc-9042", "inc-9042"])
def test_an_id_in_any_case_or_its_ticket_finds_the_analysis(
    ktcli: Run, aid: str, typed: str
) -> None:
    assert "id        inc-9042" in ok(ktcli("show", typed)).out
    assert ok(ktcli("cause", typed, "Pool too small")).err.startswith("✓ inc-9042: ")
    assert ok(ktcli("export", typed, "-f", "json")).out.startswith("{")


def test_a_ticket_finds_an_analysis_whose_id_is_not_the_ticket(ktcli: Run) -> None:
    ok(ktcli("create", "--title", "VPN drops", "--ticket", "PRB-0815", "--id", "vpn"))
    assert ok(ktcli("distinction", "prb-0815", "Only on Wi-Fi")).out == "d1\n"
    assert "ticket    PRB-0815" in ok(ktcli("show", "PRB-0815")).out


def test_a_ticket_on_two_analyses_lists_both_and_fails(ktcli: Run) -> None:
    ok(ktcli("create", "--title", "VPN drops", "--ticket", "PRB-0815", "--id", "vpn"))
    ok(ktcli("create", "--title", "VPN drops again", "--ticket", "prb-0815", "--id", "vpn-2"))
    res = ktcli("show", "PRB-0815")
    assert res.code == 1
    assert res.out == ""
    assert res.err.splitlines() == [
        "error: 'PRB-0815' matches 2 analyses: vpn, vpn-2",
        "hint: Name one of them by its id.",
    ]


def test_an_id_differing_only_in_case_is_refused_at_creation(ktcli: Run, aid: str) -> None:
    res = ktcli("create", "--title", "Again", "--id", "INC-9042")
    assert res.code == 1
    assert "analysis 'inc-9042' already exists; ids are matched in any case" in res.err


def test_nothing_found_says_so(ktcli: Run, aid: str) -> None:
    res = ktcli("show", "INC-1")
    assert res.code == 1
    assert "no analysis 'INC-1'" in res.err


def test_sub_ids_in_any_case(ktcli: Run, aid: str) -> None:
    ok(ktcli("fact", aid, "where-location", "eu-west pool", "--source", "Grafana"))
    ok(ktcli("distinction", aid, "Only EU runs build 42", "--row", "where-location"))
    ok(ktcli("change", aid, "Pool cut", "--when", "2026-11-20T22:00Z", "--distinction", "D1"))
    ok(ktcli("cause", aid, "Pool too small", "--origin", "change", "--ref", "CH1"))
    ok(ktcli("test", aid, "C1", "where-location", "--explains", "EU pool is the small one"))
    v = ok(ktcli("verify", aid, "C1", "--checks", "saturation", "--method", "metrics")).out
    ok(ktcli("verify", aid, "c1", "--step", v.strip().upper(), "--status", "confirmed"))
    ok(ktcli("confirm", aid, "C1"))
    r = ok(ktcli("request", aid, "slow query log", "--from", "DBA")).out.strip()
    ok(ktcli("request", aid, "--id", r.upper(), "--received", "attached"))
    text = ok(ktcli("export", aid, "-f", "yaml")).out
    assert "distinction: d1" in text
    assert "origin_ref: ch1" in text


@pytest.mark.parametrize(("alias", "full"), [("md", "markdown"), ("yml", "yaml")])
def test_format_aliases(ktcli: Run, aid: str, alias: str, full: str) -> None:
    assert ok(ktcli("export", aid, "-f", alias)).out == ok(ktcli("export", aid, "-f", full)).out


def test_format_aliases_for_the_update_and_playbooks(ktcli: Run, aid: str) -> None:
    md = ok(ktcli("update", aid, "-f", "md", "--next-update", "Tuesday")).out
    assert md == ok(ktcli("update", aid, "-f", "markdown", "--next-update", "Tuesday")).out
    yml = ok(ktcli("playbook", "show", "generic", "-f", "yml")).out
    assert yml == ok(ktcli("playbook", "show", "generic", "-f", "yaml")).out


# -- a change whose time nobody knows -----------------------------------------------------------


@pytest.mark.parametrize("word", ["unknown", "Unknown", " UNKNOWN "])
def test_a_change_with_an_unknown_time_is_recorded_as_unknown(
    ktcli: Run, aid: str, store_dir: Path, tmp_path: Path, word: str
) -> None:
    assert ok(ktcli("change", aid, "DBA tuned the pool at some point", "--when", word)).out == (
        "ch1\n"
    )
    stored = (store_dir / f"{aid}.yaml").read_text("utf-8")
    assert "    when: null\n" in stored
    assert "`ch1` **time unknown**: DBA tuned the pool" in ok(ktcli("export", aid, "-f", "md")).out
    assert "ch1 time unknown: DBA tuned the pool" in ok(ktcli("show", aid)).out
    first = tmp_path / "first.yaml"
    ok(ktcli("export", aid, "-o", str(first)))
    ok(ktcli("import", str(first), "--as", "copy"))
    assert ok(ktcli("export", "copy")).out == first.read_text("utf-8").replace(
        f"id: {aid}\n", "id: copy\n", 1
    )


def test_a_change_time_in_words_is_kept_as_given(ktcli: Run, aid: str, store_dir: Path) -> None:
    ok(ktcli("change", aid, "Pool cut", "--when", "week 47"))
    assert "    when: week 47\n" in (store_dir / f"{aid}.yaml").read_text("utf-8")


# -- never prompting ----------------------------------------------------------------------------


@pytest.fixture
def a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend stdin is a terminal, so that only --no-interactive or CI can stop the prompts."""
    from ktcli.cli import handoff, session

    monkeypatch.setattr(session, "_stdin_is_terminal", lambda: True)
    monkeypatch.setattr(handoff, "_interactive", lambda: True)


@pytest.mark.parametrize(
    ("env", "flag", "why"),
    [
        ({}, ["--no-interactive"], "not asking (--no-interactive)"),
        ({"CI": "true"}, [], "not asking (CI is set)"),
        ({"CI": "1"}, ["--no-interactive"], "not asking (--no-interactive)"),
    ],
)
def test_no_interactive_lists_the_missing_answers_and_fails(
    ktcli: Run,
    monkeypatch: pytest.MonkeyPatch,
    a_terminal: None,
    env: dict[str, str],
    flag: list[str],
    why: str,
) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    res = ktcli(*flag, "new", "--title", "VPN drops", "--id", "v1", "--depth", "quick")
    assert res.code == 1
    assert f"error: {why}; " in res.err
    assert "answer(s) missing in v1" in res.err
    assert "business_impact: What does this problem cost" in res.err
    assert res.out == "v1\n"
    res = ktcli(*flag, "new", "--id", "v2")
    assert res.code == 1
    assert f"error: {why}, and no title: nothing saved" in res.err


@pytest.mark.parametrize("value", ["", "0", "false"])
def test_ci_set_to_false_still_asks(
    ktcli: Run, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    from ktcli.cli.context import AppContext

    monkeypatch.setenv("CI", value)
    assert AppContext().may_prompt()
    assert not AppContext(no_interactive=True).may_prompt()


def test_escalate_without_prompts_hands_off_and_says_why(
    ktcli: Run, aid: str, a_terminal: None, tmp_path: Path
) -> None:
    res = ktcli(
        "--no-interactive", "escalate", aid, "--to", "DB", "--reason", "r", "-o", str(tmp_path)
    )
    assert res.code == 0, res.err
    assert "handing off anyway (not asking (--no-interactive))" in res.err
