"""``ktcli probe`` and the probing questions of the non-interactive commands (issue 11, point 7)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Run

TEXT = "because of a bad JVM update, everything is slow and sometimes it hangs"


def test_probe_prints_a_question_per_pitfall_and_exits_1(ktcli: Run) -> None:
    res = ktcli("probe", TEXT)
    assert res.code == 1
    kinds = [line.split(":", 1)[0] for line in res.out.splitlines()]
    assert {"vague", "causal"} <= set(kinds)
    assert "How often exactly is 'sometimes'" in res.out
    assert "How can we be sure that is the cause?" in res.out


def test_probe_of_a_precise_fact_exits_0(ktcli: Run) -> None:
    res = ktcli("probe", "Checkout answers in 7 s for EU customers since Monday 09:00 UTC")
    assert res.code == 0, res.out
    assert res.out == ""
    assert "no pitfalls found" in res.err


def test_probe_json_reads_standard_input(ktcli: Run) -> None:
    res = ktcli("probe", "--field", "object", "--json", stdin="Order API and Payment API\n")
    assert res.code == 1
    assert json.loads(res.out) == {
        "pitfalls": [
            {
                "kind": "bundled",
                "term": "and",
                "question": json.loads(res.out)["pitfalls"][0]["question"],
            }
        ]
    }
    assert "Which one object" in res.out


def test_probe_judges_bundling_on_what_is_joined(ktcli: Run) -> None:
    one = ktcli("probe", "--field", "deviation", "orders stay pending and are never shipped")
    two = ktcli("probe", "--field", "deviation", "answers in 5 s and drops 2 % of requests")
    assert (one.code, two.code) == (0, 1)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("impact", "inc-1", TEXT), "impact"),
        (("concern", "inc-1", TEXT, "--seriousness", "high"), "concern"),
        (("distinction", "inc-1", TEXT), "distinction"),
        (("fact", "inc-1", "what-deviation", TEXT, "--source", "customer call"), "what-deviation"),
        (("statement", "inc-1", "--object", "Order API", "--deviation", TEXT), "deviation"),
    ],
)
def test_non_interactive_commands_print_the_probing_questions_on_stderr(
    ktcli: Run, args: tuple[str, ...], field: str
) -> None:
    assert ktcli("create", "--title", "t", "--ticket", "INC-1").code == 0
    res = ktcli(*args)
    assert res.code == 0, res.err
    warnings = [line for line in res.err.splitlines() if line.startswith("warning: ")]
    assert any(f"warning: {field}" in w and "'sometimes'" in w for w in warnings), res.err
    assert any("How can we be sure that is the cause?" in w for w in warnings), res.err
    assert "sometimes" not in res.out
