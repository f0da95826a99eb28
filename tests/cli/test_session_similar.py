"""The guided session offers ``similar`` once the specification is done."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from ktcli.cli.context import AppContext
from ktcli.cli.session import REUSE_ID, similar_offer
from ktcli.core.model import FixReuse, Statement
from ktcli.session.engine import run
from ktcli.session.testing import ScriptedPrompter
from ktcli.store.files import Store
from ktcli.ui.terminal import Terminal
from tests.cli.test_archive import similar_store
from tests.core.test_similarity import EU, case
from tests.factories import T0
from tests.session.scripts import NOW, QUICK, Saver, fresh


def context(store_dir: Path) -> tuple[AppContext, io.StringIO]:
    app_ctx = AppContext(store_root=store_dir)
    err = io.StringIO()
    plain = Console(file=err, width=100, color_system=None, highlight=False)
    app_ctx.__dict__["terminal"] = Terminal(out=plain, err=plain)
    return app_ctx, err


def test_the_best_comparisons_are_shown_and_a_fix_offered_only_where_no_fact_contradicts(
    store_dir: Path,
) -> None:
    similar_store(store_dir)
    app_ctx, err = context(store_dir)
    analysis = Store(store_dir).load("now")
    prompter = ScriptedPrompter({REUSE_ID: "past-same"})
    said = similar_offer(app_ctx, prompter)(analysis)
    shown = " ".join(err.getvalue().split())
    # Both, row by row, before the question: the contradicted one with its reason.
    assert "past-same likely the same problem (5 matching, 0 contradicting" in shown
    assert "past-crossed not the same problem" in shown
    assert "WHERE: location: IS now, IS NOT then: shop in region eu-1" in shown
    assert "fix: pool size back to 50" in shown
    (q,) = prompter.asked
    assert [c.value for c in q.choices] == ["past-same", "no"]
    assert q.default == "no"
    # Recorded as ktcli similar --reuse records it.
    assert said == "re-used the fix of past-same (likely the same problem)"
    reused = analysis.fix_reused_from
    assert reused is not None
    assert (reused.analysis, reused.source, reused.verdict, reused.fix, reused.by) == (
        "past-same",
        "store",
        "likely the same problem",
        ["pool size back to 50"],
        "ana",
    )


def test_no_is_the_default_and_records_nothing(store_dir: Path) -> None:
    similar_store(store_dir)
    app_ctx, _ = context(store_dir)
    analysis = Store(store_dir).load("now")
    assert similar_offer(app_ctx, ScriptedPrompter({REUSE_ID: "no"}))(analysis) == ""
    assert analysis.fix_reused_from is None


def test_only_contradicted_candidates_are_shown_but_no_fix_is_offered(
    store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store(store_dir)
    store.save(case("now", "Checkout slow", EU))
    crossed = dict(EU)
    crossed["where-location"] = ("shop in region us-1", "shop in region eu-1")
    store.save(case("past-crossed", "Checkout slow", crossed))
    app_ctx, err = context(store_dir)
    # No question: the scripted prompter fails on any.
    assert similar_offer(app_ctx, ScriptedPrompter({}))(store.load("now")) == ""
    assert "past-crossed  not the same problem" in err.getvalue()
    assert "No fix to re-use: a fact contradicts" in capsys.readouterr().err


def test_without_candidates_nothing_is_shown_or_asked(store_dir: Path) -> None:
    store = Store(store_dir)
    store.save(case("now", "Checkout slow", EU))
    other = case("other", "Mail relay drops messages", {})
    other.statement = Statement(object="Mail relay", deviation="drops messages")
    store.save(other)
    app_ctx, err = context(store_dir)
    assert similar_offer(app_ctx, ScriptedPrompter({}))(store.load("now")) == ""
    assert err.getvalue() == ""


def reused(past: str) -> FixReuse:
    return FixReuse(
        analysis=past,
        source="store",
        verdict="likely",
        matching=1,
        contradicting=0,
        by="ana",
        at=T0,
    )


def test_the_session_offers_it_once_as_it_leaves_the_specification() -> None:
    a, saver, calls = fresh(), Saver(), []

    def offer(live: object) -> str:
        calls.append(list(prompter.ids))
        a.fix_reused_from = reused("past-same")
        return "re-used the fix of past-same (likely)"

    prompter = ScriptedPrompter(QUICK)
    outcome = run(a, prompter, saver, who="ana", clock=lambda: NOW, after_specification=offer)
    assert outcome.complete
    assert calls == [list(QUICK)[: list(QUICK).index("spec.extent-objects.is") + 1]]
    assert any(h.what == "re-used the fix of past-same (likely)" for h in a.history)
    # Saved at once, before the next question.
    at = next(n for n, s in enumerate(saver.states) if s.fix_reused_from is not None)
    assert saver.states[at].causes == []


def test_once_a_fix_is_re_used_it_is_not_offered_again() -> None:
    a = fresh()
    a.fix_reused_from = reused("past")

    def offer(live: object) -> str:
        raise AssertionError("offered again")

    run(
        a, ScriptedPrompter(QUICK), Saver(), who="ana", clock=lambda: NOW, after_specification=offer
    )
