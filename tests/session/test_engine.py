"""Flow tests: the guided session driven by a scripted prompter (an unexpected question fails)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from ktcli.core.model import Fact
from ktcli.session.engine import first_unanswered, run
from ktcli.session.items import COMPLETE
from ktcli.session.questions import Command, GoTo, Question
from ktcli.session.testing import DEFAULT, ScriptedPrompter, UnexpectedQuestion
from tests.session.scripts import NOW, QUICK, Saver, drive, fresh, full_answers


def test_quick_session_asks_a_dozen_questions_in_order() -> None:
    a = fresh()
    outcome, prompter, _ = drive(a, QUICK)
    assert outcome.complete
    assert outcome.export == "markdown"
    assert prompter.ids == list(QUICK)
    assert a.statement is not None
    assert a.statement.text.startswith("Order API answers")
    where = a.row("where-location")
    assert where is not None
    assert isinstance(where.is_, Fact)
    # Quick mode asks no source per fact: it takes the statement's.
    assert where.is_.source == "customer call, J. Roe"
    assert [c.text for c in a.causes] == ["DB connection pool too small in build 42"]
    assert a.verifications[0].method.startswith("roll one EU host")
    assert a.actions[0].kind == "interim"
    assert a.appraisal.depth_reason == "familiar, urgent ticket with a known fix"
    assert a.progress == [COMPLETE]


def test_unexpected_question_fails_the_script() -> None:
    answers = dict(QUICK)
    del answers["statement.source"]
    with pytest.raises(UnexpectedQuestion, match=r"statement\.source"):
        drive(fresh(), answers)


def test_every_answer_is_saved_before_the_next_question() -> None:
    a = fresh()
    saver = Saver()
    seen: list[tuple[str, int]] = []

    class Watching(ScriptedPrompter):
        def ask(self, question: Question) -> Any:
            seen.append((question.id, len(saver.states)))
            return super().ask(question)

    run(a, Watching(QUICK), saver, who="ana", clock=lambda: NOW)
    counts = [n for _, n in seen]
    assert counts == sorted(set(counts)), "a question appeared before the previous answer was saved"
    # And the state saved just before each question holds the answer to the one before it.
    deviation_asked_after = dict(seen)["statement.source"]
    state = saver.states[deviation_asked_after - 1]
    assert state.statement is not None
    assert state.statement.deviation.startswith("answers")


def test_quit_then_resume_continues_at_the_first_unanswered_question() -> None:
    a = fresh()
    first = {k: v for k, v in QUICK.items() if k != "spec.when-first.is"}
    first["spec.when-first.is"] = Command.QUIT
    outcome, p1, saver = drive(a, first)
    assert not outcome.complete
    assert p1.ids[-1] == "spec.when-first.is"
    saved = saver.states[-1]
    assert saved.progress != [COMPLETE]
    item = first_unanswered(saved)
    assert item is not None
    assert item.id == "spec.when-first.is"
    rest = {k: QUICK[k] for k in list(QUICK)[list(QUICK).index("spec.when-first.is") :]}
    outcome, p2, _ = drive(saved, rest)
    assert outcome.complete
    assert p2.ids == list(rest)


def test_back_reasks_the_previous_question_with_its_answer_as_default() -> None:
    a = fresh()
    answers = dict(QUICK)
    answers["statement.deviation"] = [Command.BACK, "answers in more than 5 s"]
    answers["statement.object"] = ["Order API", "Order API (EU)"]
    _, prompter, _ = drive(a, answers)
    ids = prompter.ids
    at = ids.index("statement.deviation")
    assert ids[at + 1] == "statement.object"
    again = prompter.asked[at + 1]
    assert again.default == "Order API"
    assert not again.required
    assert a.statement is not None
    assert a.statement.object == "Order API (EU)"
    what = a.row("what-object")
    assert what is not None
    assert isinstance(what.is_, Fact)
    assert what.is_.text == "Order API (EU)"


def test_go_to_a_section_walks_it_again_then_carries_on() -> None:
    a = fresh()
    answers = dict(QUICK)
    answers["cause.likely"] = [GoTo("statement"), "DB pool too small"]
    answers["statement.object"] = ["Order API", DEFAULT]
    answers["statement.deviation"] = [QUICK["statement.deviation"], "answers in 5 to 9 s"]
    answers["statement.source"] = [QUICK["statement.source"], DEFAULT]
    _, prompter, _ = drive(a, answers)
    ids = prompter.ids
    at = ids.index("cause.likely")
    assert ids[at + 1 : at + 5] == [
        "statement.object",
        "statement.deviation",
        "statement.source",
        "cause.likely",
    ]
    assert a.statement is not None
    assert a.statement.deviation == "answers in 5 to 9 s"


def test_matrix_key_shows_the_matrix_and_asks_again() -> None:
    answers = dict(QUICK)
    answers["spec.when-first.is"] = [Command.MATRIX, "2026-11-20"]
    _, prompter, _ = drive(fresh(), answers)
    assert prompter.shown[0] == "matrix"
    assert prompter.ids.count("spec.when-first.is") == 2


def test_an_empty_required_answer_is_refused_and_asked_again() -> None:
    answers = dict(QUICK)
    answers["statement.object"] = ["", "Order API"]
    _, prompter, _ = drive(fresh(), answers)
    assert prompter.ids.count("statement.object") == 2
    assert ("warning", "An answer is needed here.") in prompter.notes


def test_need_data_on_a_question_that_is_not_a_fact_is_refused() -> None:
    answers = dict(QUICK)
    answers["impact"] = [Command.NEED_DATA, QUICK["impact"]]
    _, prompter, _ = drive(fresh(), answers)
    assert prompter.ids[:2] == ["impact", "impact"]
    assert any("IS / IS NOT" in text for _, text in prompter.notes)


# -- probing questions --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "answer", "kind", "term"),
    [
        ("spec.where-location.is", "sometimes slow in the EU", "vague", "sometimes"),
        ("statement.deviation", "is slow because of the update", "causal", "because of"),
        ("statement.object", "Order API and Catalog API", "bundled", "and"),
        ("impact", "a total disaster for the shop", "loaded", "disaster"),
    ],
)
def test_a_kept_pitfall_is_recorded(question: str, answer: str, kind: str, term: str) -> None:
    answers = dict(QUICK)
    answers[question] = answer
    answers[f"{question}.refine"] = DEFAULT
    a = fresh()
    _, prompter, _ = drive(a, answers)
    probes = [text for k, text in prompter.notes if k == "probe"]
    assert any(term in p for p in probes)
    assert (kind, term) in [(p.kind, p.term.lower()) for p in a.pitfalls]
    note = next(p for p in a.pitfalls if p.kind == kind)
    assert note.text == answer


def test_a_refined_answer_replaces_the_first_and_leaves_no_warning() -> None:
    answers = dict(QUICK)
    answers["spec.where-location.is"] = "slow in the EU"
    answers["spec.where-location.is.refine"] = "p95 above 5 s on the EU pool only"
    a = fresh()
    drive(a, answers)
    row = a.row("where-location")
    assert row is not None
    assert isinstance(row.is_, Fact)
    assert row.is_.text == "p95 above 5 s on the EU pool only"
    assert a.pitfalls == []


def test_refining_an_added_item_edits_it_instead_of_adding_another() -> None:
    answers = dict(QUICK)
    answers["action.interim"] = "restart everything"
    answers["action.interim.refine"] = "restart the 3 slow EU hosts"
    a = fresh()
    drive(a, answers)
    assert [x.text for x in a.actions] == ["restart the 3 slow EU hosts"]


# -- full mode ----------------------------------------------------------------------------------


def test_full_session_walks_every_section_and_confirms_the_cause() -> None:
    a = fresh(depth=None)
    outcome, prompter, _ = drive(a, full_answers())
    assert outcome.complete
    assert outcome.export is None
    assert a.appraisal.depth == "full"
    assert a.appraisal.depth_reason is not None
    assert "no known fix" in a.appraisal.depth_reason
    assert a.appraisal.concerns[0].priority == "high"
    assert [c.origin for c in a.causes] == ["change", "experience"]
    assert a.true_cause is not None
    assert a.true_cause.cause == "c1"
    assert a.verifications[0].checks == "EU traffic is higher per host"
    assert prompter.shown.count("ranking") == 1, "the ranking is shown once, after the matrix"
    assert "matrix" in prompter.shown
    assert [x.owner for x in a.actions] == ["ops", None]
    # Only the rows that are not applicable on both sides get no distinction question.
    assert not any(i.startswith("dist.where-on") for i in prompter.ids)


def test_full_session_orders_sections_as_the_method() -> None:
    a = fresh(depth=None)
    _, prompter, _ = drive(a, full_answers())
    order = [text.split(" - ")[0] for kind, text in prompter.notes if kind == "section"]
    assert order == [
        "Appraisal",
        "Problem statement",
        "Specification",
        "Distinctions",
        "Changes",
        "Possible causes",
        "Testing the causes",
        "Verification",
        "Actions",
        "Handoff",
    ]


def test_pure_modules_import_no_prompt_or_cli_library() -> None:
    code = (
        "import sys, ktcli.session.engine, ktcli.session.answers, ktcli.core.language; "
        "bad = [m for m in ('questionary', 'typer', 'prompt_toolkit', 'rich') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_a_kept_warning_goes_when_its_answer_is_given_again() -> None:
    """Issue 11: each kept warning stayed in the handoff for good."""
    a = fresh()
    answers = dict(QUICK)
    # The impact is vague, the warning kept; then Ctrl-P back to it and a precise answer.
    answers["impact"] = ["sometimes orders are slow", "EU shops lose about 1 in 5 orders"]
    answers["impact.refine"] = ""
    answers["appraisal.depth_reason"] = [Command.BACK, DEFAULT]
    _, prompter, _ = drive(a, answers)
    assert prompter.ids.count("impact") == 2
    assert a.business_impact == "EU shops lose about 1 in 5 orders"
    assert [p for p in a.pitfalls if p.field == "business_impact"] == []


def test_a_kept_warning_stays_while_its_answer_does() -> None:
    a = fresh()
    answers = dict(QUICK)
    answers["impact"] = "sometimes orders are slow"
    answers["impact.refine"] = ""
    drive(a, answers)
    kept = [p for p in a.pitfalls if p.field == "business_impact"]
    assert {p.term for p in kept} == {"sometimes", "slow"}
