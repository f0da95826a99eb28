"""ktcli decide ... and ktcli protect ...: a script builds both analyses without prompts."""

from __future__ import annotations

from pathlib import Path

import pytest

from ktcli.core.gates import check
from tests.cli.test_commands import ok, stored
from tests.conftest import Run


@pytest.fixture
def decided(ktcli: Run) -> str:
    """A decision built step by step, as a script would; returns the analysis id."""
    aid = ok(ktcli("create", "--title", "Checkout slow", "--ticket", "INC-4711")).out.strip()
    ok(ktcli("concern", aid, "Which part of the release to roll back"))
    ok(ktcli("decide", "statement", aid, "Choose what to roll back, to fix p99", "--concern", "k1"))
    assert ok(ktcli("decide", "must", aid, "p99 below 1 s")).out == "m1\n"
    assert ok(ktcli("decide", "want", aid, "Keeps the other fixes", "-w", "8")).out == "w1\n"
    assert ok(ktcli("decide", "want", aid, "Fast to apply", "--weight", "5")).out == "w2\n"
    for n, text in enumerate(("Whole release", "Pool setting only", "Restart pods"), 1):
        assert ok(ktcli("decide", "option", aid, text)).out == f"o{n}\n"
    for option in ("o1", "o2"):
        ok(ktcli("decide", "screen", aid, option, "m1", "pass", "--fact", "canary 0.4 s"))
    ok(ktcli("decide", "screen", aid, "o3", "m1", "fail", "-f", "p99 back at 3 s in 20 min"))
    for option, want, value in (
        ("o1", "w1", 2),
        ("o1", "w2", 9),
        ("o2", "w1", 10),
        ("o2", "w2", 7),
    ):
        ok(ktcli("decide", "score", aid, option, want, str(value), "-f", f"fact {option} {want}"))
    ok(ktcli("decide", "risk", aid, "o1", "Old TLS bug returns", "-p", "medium", "-s", "high"))
    ok(ktcli("decide", "risk", aid, "o2", "Another setting mattered", "-p", "low", "-s", "medium"))
    return aid


def test_a_script_builds_a_decision(decided: str, ktcli: Run, store_dir: Path) -> None:
    ok(ktcli("decide", "choose", decided, "o2", "--reason", "top score, lowest risk"))
    d = stored(store_dir).decision
    assert d is not None
    assert d.concern == "k1"
    assert [w.weight for w in d.wants] == [8, 5]
    assert d.options[2].screens["m1"].passes is False
    assert d.options[1].scores["w1"].score == 10
    assert d.choice is not None
    assert (d.choice.option, d.choice.reason) == ("o2", "top score, lowest risk")
    assert [f.rule for f in check(stored(store_dir)) if f.rule >= "KT113"] == []


def test_a_choice_against_the_ranking_needs_a_reason(decided: str, ktcli: Run) -> None:
    res = ktcli("decide", "choose", decided, "o1")
    assert res.code == 2
    assert res.err.splitlines() == [
        "error: o1 is not the top score: o2 has the top score (115)",
        "hint: Say why you choose it with --reason.",
    ]
    ok(ktcli("decide", "choose", decided, "o1", "-r", "no change window for the pool"))


def test_an_option_out_is_not_scored_weighed_or_chosen(decided: str, ktcli: Run) -> None:
    for args in (
        ("score", decided, "o3", "w1", "9", "-f", "instant"),
        ("risk", decided, "o3", "x", "-p", "low", "-s", "low"),
        ("choose", decided, "o3", "-r", "quick"),
    ):
        res = ktcli("decide", *args)
        assert res.code == 1, args
        assert "o3 fails MUST m1: it is out" in res.err


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("want", "{id}", "x", "-w", "11"), 2, "Invalid value for '--weight'"),
        (("want", "{id}", "x"), 2, "Missing option '--weight'"),
        (("score", "{id}", "o1", "w1", "5"), 2, "Missing option '--fact'"),
        (("score", "{id}", "o9", "w1", "5", "-f", "x"), 1, "no option 'o9'"),
        (("screen", "{id}", "o1", "m7", "pass", "-f", "x"), 1, "no MUST 'm7'"),
        (("statement", "{id}", "x", "--concern", "k9"), 1, "no concern 'k9'"),
    ],
)
def test_bad_decide_commands_are_one_clear_line(
    decided: str, ktcli: Run, args: tuple[str, ...], code: int, words: str
) -> None:
    res = ktcli("decide", *(a.format(id=decided) for a in args))
    assert res.code == code
    assert words in res.err
    assert "Traceback" not in res.err


def test_free_text_is_probed_for_pitfalls(decided: str, ktcli: Run) -> None:
    res = ok(ktcli("decide", "must", decided, "Everything fast again"))
    assert "warning: MUST: 'Everything'" in res.err
    # An objective says "must be": that is no guessed cause.
    assert ok(ktcli("decide", "must", decided, "p99 must be below 1 s")).err.count("warning") == 0
    res = ok(ktcli("decide", "option", decided, "It must be the proxy"))
    assert "warning: option: 'It must be'" in res.err


def test_a_script_protects_the_rollout(ktcli: Run, store_dir: Path) -> None:
    aid = ok(ktcli("create", "--title", "Checkout slow", "--id", "inc-4711")).out.strip()
    ok(ktcli("action", aid, "corrective", "Revert the pool setting"))
    ok(ktcli("protect", "plan", aid, "Roll out the revert before Black Friday"))
    assert ok(ktcli("protect", "step", aid, "Apply in eu-west-1")).out == "s1\n"
    res = ktcli("protect", "problem", aid, "s1", "Pool exhausted", "-p", "medium", "-s", "high")
    assert ok(res).out == "p1\n"
    assert [f.rule for f in check(stored(store_dir)) if f.rule >= "KT113"] == ["KT117"]
    res = ktcli("protect", "act", aid, "p1", "contingent", "Scale the pool")
    assert res.code == 2
    assert "needs --trigger" in res.err
    args = ("p1", "contingent", "Scale the pool", "-t", "pending > 5", "--owner", "SRE")
    assert ok(ktcli("protect", "act", aid, *args)).out == "a2\n"
    assert ok(ktcli("protect", "act", aid, "p1", "preventive", "Load-test 2x")).out == "a3\n"
    a = stored(store_dir)
    assert [(x.id, x.kind, x.trigger) for x in a.actions] == [
        ("a1", "corrective", None),
        ("a2", "contingent", "pending > 5"),
        ("a3", "preventive", None),
    ]
    assert a.protection is not None
    assert a.protection.steps[0].problems[0].actions == ["a2", "a3"]
    assert [f.rule for f in check(a) if f.rule >= "KT113"] == []


def test_a_contingent_action_needs_a_trigger(ktcli: Run) -> None:
    aid = ok(ktcli("create", "--title", "t", "--id", "x1")).out.strip()
    res = ktcli("action", aid, "contingent", "Scale out")
    assert res.code == 2
    assert "needs --trigger" in res.err
    ok(ktcli("action", aid, "contingent", "Scale out", "--trigger", "p99 > 2 s"))


@pytest.mark.parametrize("group", ["decide", "protect"])
def test_every_subcommand_has_an_example(ktcli: Run, group: str) -> None:
    from ktcli.cli import decide

    app = decide.decide_app if group == "decide" else decide.protect_app
    for info in app.registered_commands:
        assert info.callback is not None
        assert f"Example: ktcli {group} {info.name}" in (info.callback.__doc__ or ""), info.name
        assert "Example:" in ok(ktcli(group, str(info.name), "--help")).out


def test_a_version_1_handoff_imports_and_exports_as_version_3(ktcli: Run) -> None:
    v1 = Path(__file__).resolve().parents[1] / "core" / "data" / "checkout-latency.v1.yaml"
    ok(ktcli("import", str(v1)))
    out = ok(ktcli("export", "checkout-latency")).out
    assert out.startswith("---\nschema_version: 3\n")
    assert "\ndecision: null\nprotection: null\n" in out
    assert ok(ktcli("check", "checkout-latency")).code == 0
