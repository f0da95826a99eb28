"""The worked example's whole session records as much as before, in half the prompts.

bench/count_questions.py counts the prompts and keys of that session; this test
holds the other half of its claim: fewer prompts, not less recorded.
counts_before.json is what the same scripted session recorded before the
matrix screen and the one-step fact (commit 074021c): every fact with its
source and status, every not-applicable reason, every verdict with its note.
The appraisal is compared with the example itself: ratings, next steps, owners.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

from ktcli import yamlio
from ktcli.core.document import parse_analysis, to_yaml
from ktcli.core.model import Analysis, Fact, NeedData, NotApplicable
from tests.conftest import Run

BENCH = Path(__file__).resolve().parents[2] / "bench" / "count_questions.py"
BEFORE = Path(__file__).with_name("counts_before.json")


def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("count_questions", BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("count_questions", module)
    spec.loader.exec_module(module)
    return module


def recorded(a: Analysis) -> dict[str, object]:
    """What the method records per cell and per test, keyed by row and by cause text."""
    cells: dict[str, object] = {}
    for row in a.specification:
        for side, cell in (("is", row.is_), ("is_not", row.is_not)):
            if isinstance(cell, Fact):
                cells[f"{row.id}.{side}"] = (cell.text, cell.source, cell.status)
            elif isinstance(cell, NotApplicable):
                cells[f"{row.id}.{side}"] = ("n/a", cell.reason)
            elif isinstance(cell, NeedData):
                cells[f"{row.id}.{side}"] = ("need", cell.who, cell.how)
    tests = {
        f"{c.text} / {row}": (t.verdict, t.note) for c in a.causes for row, t in c.tests.items()
    }
    return {"cells": cells, "tests": tests}


def test_the_full_session_records_as_much_as_before_in_half_the_prompts() -> None:
    count = bench()
    ex = parse_analysis(yamlio.read(count.EXAMPLE), str(count.EXAMPLE))
    prompter, live, _ = count.session(ex, None)
    now = json.loads(json.dumps(recorded(live)))
    assert now == json.loads(BEFORE.read_text("utf-8"))
    assert len(now["tests"]) == 44
    assert sum(1 for q in prompter.asked if not q.id.endswith(".refine")) <= 205 // 2
    # The appraisal records each concern's ratings and next step as the example does, and
    # an owner for each: the analyst for the one analysed here, the example's for the others.
    assert concerns(live) == concerns(ex)
    assert [c.owner for c in live.appraisal.concerns] == [
        "bench",
        *(c.owner for c in ex.appraisal.concerns[1:]),
    ]


def concerns(a: Analysis) -> list[tuple[str, ...]]:
    return [
        (c.text, c.seriousness, c.urgency, c.growth, c.priority, c.next_step)
        for c in a.appraisal.concerns
    ]


def test_the_finished_session_routes_decide_and_protect_to_their_concerns(
    ktcli: Run, tmp_path: Path, store_dir: Path
) -> None:
    count = bench()
    ex = parse_analysis(yamlio.read(count.EXAMPLE), str(count.EXAMPLE))
    _, live, _ = count.session(ex, None)
    handoff = tmp_path / "count.yaml"
    handoff.write_text(to_yaml(live), encoding="utf-8")
    assert ktcli("import", str(handoff)).code == 0
    # Without a terminal each guided step saves the concern it answers, then lists its questions.
    assert ktcli("decide", "guide", live.id).code == 1
    assert ktcli("protect", "guide", live.id).code == 1
    saved = parse_analysis(yamlio.read(store_dir / f"{live.id}.yaml"), "saved")
    assert saved.decision is not None
    assert saved.protection is not None
    texts = {c.id: c.text for c in saved.appraisal.concerns}
    assert texts[saved.decision.concern or ""] == ex.appraisal.concerns[1].text
    assert texts[saved.protection.concern or ""] == ex.appraisal.concerns[2].text


def test_taking_completions_saves_keys_and_types_the_very_same_texts() -> None:
    count = bench()
    words = ("connection-pool", "checkout-svc")
    # "the ", "co" + Tab, " of ", "ch" + Tab: each word two characters and Tab.
    assert count.completing(words, "the connection-pool of checkout-svc") == 4 + 3 + 4 + 3
    assert count.completing(words, "the connections") == len("the connections")  # not the word
    assert count.completing((), "the connection-pool") == len("the connection-pool")
    ex = parse_analysis(yamlio.read(count.EXAMPLE), str(count.EXAMPLE))
    prompter, live, _ = count.session(ex, None)
    # completing() rebuilds every text it counts and checks it is the text recorded.
    assert json.loads(json.dumps(recorded(live))) == json.loads(BEFORE.read_text("utf-8"))
    assert prompter.keys - prompter.completed >= 600
