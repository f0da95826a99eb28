"""The ticket-sized Markdown handoff: what a ticket needs, none of the history."""

from __future__ import annotations

import re

import pytest

from ktcli.core.document import parse_analysis
from ktcli.core.model import Analysis
from ktcli.handoff.markdown import to_markdown, to_summary
from tests.conftest import EXAMPLES, Run

EXAMPLE = EXAMPLES / "checkout-latency.yaml"


@pytest.fixture(scope="module")
def example() -> Analysis:
    return parse_analysis(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))


def headings(text: str) -> list[str]:
    return re.findall(r"^## (.+)$", text, flags=re.MULTILINE)


def test_the_summary_has_the_sections_a_ticket_needs_in_order(example: Analysis) -> None:
    assert headings(to_summary(example)) == [
        "Problem statement",
        "Specification: IS / IS NOT",
        "Ranking",
        "Verification",
        "True cause",
        "Next steps",
        "Open data requests",
        "More",
    ]


def test_the_summary_leaves_out_history_and_appraisal(example: Analysis) -> None:
    full, summary = to_markdown(example), to_summary(example)
    for gone in ("History", "Appraisal", "Distinctions", "Actions", "Data requests"):
        assert gone in headings(full)
        assert gone not in headings(summary)
    # The worked example: 72 lines instead of 256, under a third of the full form.
    assert len(summary.splitlines()) * 3 < len(full.splitlines())


def test_the_summary_carries_the_findings(example: Analysis) -> None:
    summary = to_summary(example)
    assert example.statement is not None
    assert example.statement.text in summary
    assert "**Most probable cause:** `c1`" in summary
    assert "| 5 | `c5` | refuted by verification |" in summary
    assert "| `v4` | `c1` |" in summary
    # Next steps: what is not done yet, and only that.
    steps = summary.split("## Next steps")[1].split("##")[0]
    undone = {x.id for x in example.actions if x.status != "done"}
    assert set(re.findall(r"^- `(a\d+)`", steps, flags=re.MULTILINE)) == undone
    assert "`q1` open question" in steps
    # Open requests: outstanding ones only.
    requests = summary.split("## Open data requests")[1].split("##")[0]
    outstanding = {r.id for r in example.data_requests if r.outstanding}
    assert set(re.findall(r"^\| `(r\d+)`", requests, flags=re.MULTILINE)) == outstanding
    assert outstanding == {"r3"}


def test_summary_is_markdown_only(ktcli: Run) -> None:
    res = ktcli("export", str(EXAMPLE), "-f", "yaml", "--summary")
    assert res.code == 2
    assert "error: --summary is a Markdown form" in res.err
    md = ktcli("export", str(EXAMPLE), "-f", "md", "--summary")
    assert md.code == 0
    assert md.out == to_summary(parse_analysis(EXAMPLE.read_text("utf-8"), str(EXAMPLE)))
