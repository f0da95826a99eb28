"""The built-in worked example (examples/checkout-latency.yaml) and the golden files made from it.

The example is its own YAML golden: ``ktcli export`` of it must be byte-identical.
The Markdown handoff and the ``show`` screen (80 columns, NO_COLOR) are pinned in
tests/golden/. After an intended change to the output, regenerate them with::

    KTCLI_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_example.py

and read the diff before committing it. To change the example itself, edit it,
then normalise it with
``ktcli export examples/checkout-latency.yaml > tmp && mv tmp examples/checkout-latency.yaml``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ktcli.core.analysis import answered_rows, most_probable
from ktcli.core.document import parse_analysis
from ktcli.core.gates import check
from ktcli.core.model import STANDARD_ROW_IDS, Analysis, Fact, NeedData, NotApplicable
from ktcli.handoff.export import export_json, export_yaml
from tests.conftest import EXAMPLES, GOLDEN, Run

EXAMPLE = EXAMPLES / "checkout-latency.yaml"


def assert_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/NAME (trailing spaces ignored); rewrite it when asked to."""
    path = GOLDEN / name
    actual = "\n".join(line.rstrip() for line in actual.split("\n"))
    if os.environ.get("KTCLI_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.is_file(), f"no golden file {path}; run with KTCLI_UPDATE_GOLDEN=1"
    assert actual == path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def text() -> str:
    return EXAMPLE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def example(text: str) -> Analysis:
    return parse_analysis(text, str(EXAMPLE))


# -- it is a valid, normalised handoff ---------------------------------------------------------


def test_example_is_byte_identical_to_its_own_export(text: str, example: Analysis) -> None:
    assert export_yaml(example) == text


def test_export_import_export_is_byte_identical(ktcli: Run, text: str) -> None:
    res = ktcli("import", str(EXAMPLE))
    assert res.code == 0, res.err
    yaml_out = ktcli("export", "checkout-latency")
    assert yaml_out.code == 0
    assert yaml_out.out == text
    json_out = ktcli("export", "checkout-latency", "--format", "json")
    assert export_json(parse_analysis(json_out.out, "example.json")) == json_out.out


def test_example_passes_every_quality_gate(ktcli: Run, example: Analysis) -> None:
    assert check(example) == []
    res = ktcli("check", str(EXAMPLE))
    assert res.code == 0, res.out
    assert "all 18 quality gates pass" in res.out


# -- it is the complete analysis the README promises -----------------------------------------


def test_every_standard_row_is_answered_or_marked(example: Analysis) -> None:
    assert [r.id for r in example.specification] == list(STANDARD_ROW_IDS)
    cells = [c for r in example.specification for c in (r.is_, r.is_not)]
    assert all(c is not None for c in cells)
    facts = [c for c in cells if isinstance(c, Fact)]
    assert any(isinstance(c, NotApplicable) for c in cells)
    assert any(isinstance(c, NeedData) for c in cells)
    assert sum(f.status == "reported" for f in facts) >= 2
    assert sum(f.status == "verified" for f in facts) > len(facts) / 2
    assert any(f.evidence for f in facts)
    assert all(isinstance(r.is_, Fact) for r in example.specification)


def test_appraisal_has_rated_concerns_and_a_full_depth(example: Analysis) -> None:
    assert 3 <= len(example.appraisal.concerns) <= 5
    assert {c.priority for c in example.appraisal.concerns} >= {"high", "medium"}
    assert example.appraisal.depth == "full"
    assert example.appraisal.depth_reason


def test_causes_come_from_every_origin_and_are_fully_tested(example: Analysis) -> None:
    assert 4 <= len(example.causes) <= 5
    assert {c.origin for c in example.causes} >= {"change", "distinction", "experience"}
    answered = {r.id for r in answered_rows(example)}
    assert all(set(c.tests) == answered for c in example.causes)
    verdicts = {t.verdict for c in example.causes for t in c.tests.values()}
    assert verdicts == {"explains", "explains_only_if", "does_not_explain"}
    assert all(c.origin_ref for c in example.causes if c.origin != "experience")


def test_most_probable_cause_is_the_verified_true_cause(example: Analysis) -> None:
    best = most_probable(example)
    assert best is not None
    assert 1 <= len(best.assumptions) <= 2
    assert example.true_cause is not None
    assert example.true_cause.cause == best.cause.id
    statuses = {v.status for v in example.verifications}
    assert statuses == {"confirmed", "refuted"}
    refuted = [v for v in example.verifications if v.status == "refuted"]
    assert all(v.cause != best.cause.id for v in refuted)


def test_changes_have_times_and_link_to_rows(example: Analysis) -> None:
    rows = {r.id for r in example.specification}
    assert example.distinctions
    assert example.changes
    for d in example.distinctions:
        assert d.rows
        assert set(d.rows) <= rows
    for c in example.changes:
        assert c.when
        assert set(c.rows) <= rows


def test_actions_requests_questions_and_closure(example: Analysis) -> None:
    assert {a.kind for a in example.actions} == {
        "interim",
        "corrective",
        "preventive",
        "contingent",
    }
    received = [r for r in example.data_requests if r.received_at is not None]
    assert received
    assert len(received) < len(example.data_requests)
    assert example.open_questions
    assert example.status == "closed"
    assert example.closure is not None
    assert example.closure.customer_confirmation
    assert not example.closure.forced
    assert example.playbook is None


def test_history_tells_the_story_in_order_with_two_analysts(example: Analysis) -> None:
    times = [h.at for h in example.history]
    assert times == sorted(times)
    assert {h.who for h in example.history} == set(example.analysts)
    assert len(example.analysts) == 2
    assert example.history[0].what == "created the analysis"
    assert example.created_at == times[0]
    assert example.updated_at == times[-1]


# -- golden files ----------------------------------------------------------------------------------


def test_markdown_golden(ktcli: Run) -> None:
    res = ktcli("export", str(EXAMPLE), "--format", "markdown")
    assert res.code == 0, res.err
    assert_golden("checkout-latency.md", res.out)


def test_markdown_summary_golden(ktcli: Run) -> None:
    res = ktcli("export", str(EXAMPLE), "--format", "markdown", "--summary")
    assert res.code == 0, res.err
    assert_golden("checkout-latency.summary.md", res.out)


def test_show_golden_at_80_columns(ktcli: Run) -> None:
    res = ktcli("show", str(EXAMPLE))
    assert res.code == 0, res.err
    assert max(len(line) for line in res.out.splitlines()) <= 80
    assert "\x1b" not in res.out
    assert_golden("checkout-latency.show.txt", res.out)


def test_golden_files_are_only_those_of_the_example() -> None:
    # A stale golden left behind after a rename would pin nothing.
    names = sorted(p.name for p in Path(GOLDEN).iterdir() if p.name.startswith("checkout"))
    assert names == [
        "checkout-latency.md",
        "checkout-latency.show.txt",
        "checkout-latency.summary.md",
    ]


def test_it_decides_what_to_roll_back_and_protects_the_rollout(example: Analysis) -> None:
    from ktcli.core.deciding import is_serious, potential_problems, problem_actions, rank_options

    d = example.decision
    assert d is not None
    assert d.concern == "k2"
    ranked = rank_options(d)
    assert [(r.option.id, r.total, r.out) for r in ranked] == [
        ("o2", 185, False),
        ("o1", 85, False),
        ("o3", 0, True),
    ]
    assert all(r.option.risks for r in ranked[:2])
    assert d.choice is not None
    assert d.choice.option == "o2"
    p = example.protection
    assert p is not None
    assert p.concern == "k3"
    serious = [pp for _, pp in potential_problems(p) if is_serious(pp)]
    assert [pp.id for pp in serious] == ["p1", "p2"]
    for pp in serious:
        assert {x.kind for x in problem_actions(example, pp)} >= {"preventive", "contingent"}
