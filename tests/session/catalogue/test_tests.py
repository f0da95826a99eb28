"""The cause tests: one matrix question, each mark applied and saved as it is made."""

from __future__ import annotations

from ktcli.core.gates import check
from ktcli.session.catalogue.tests import NO_REASON, apply_mark, open_cells
from ktcli.session.engine import first_unanswered
from ktcli.session.items import PENDING
from ktcli.session.questions import SKIP, Command, Mark
from tests.session.scripts import drive, fresh, full_answers


def test_a_cause_added_later_is_tested_on_resume() -> None:
    a = fresh(depth=None)
    drive(a, full_answers())
    a.causes.append(
        a.causes[1].model_copy(update={"id": "c3", "text": "noisy neighbour", "tests": {}})
    )
    item = first_unanswered(a)
    assert item is not None
    assert item.id == "tests.matrix"
    assert next((c.id, r) for c, r in open_cells(a)) == ("c3", "what-object")


def test_the_grid_is_one_question_and_every_verdict_is_saved_as_made() -> None:
    a = fresh(depth=None)
    _, prompter, saver = drive(a, full_answers())
    assert [q.id for q in prompter.asked].count("tests.matrix") == 1
    assert not any(q.id.startswith("test.c") for q in prompter.asked)
    # After each mark the saved file holds one more verdict.
    tested = [sum(len(c.tests) for c in s.causes) for s in saver.states]
    marks = len(prompter.marks)
    assert marks == 6
    assert all(n in tested for n in range(1, marks + 1))


def test_quitting_inside_the_matrix_keeps_the_verdicts_made() -> None:
    answers = full_answers()
    answers["test.c2.what-deviation"] = Command.QUIT
    a = fresh(depth=None)
    outcome, _, saver = drive(a, answers)
    assert not outcome.complete
    c1, c2 = saver.states[-1].causes
    assert len(c1.tests) == 3
    assert list(c2.tests) == ["what-object"]


def test_a_skip_after_does_not_explain_is_recorded_as_skipped_not_tested() -> None:
    answers = full_answers()
    answers["test.c2.what-object"] = "does_not_explain"
    answers["test.c2.what-object.note"] = "the catalog uses the index too"
    answers["test.c2.what-deviation"] = SKIP
    answers["test.c2.where-location"] = SKIP
    a = fresh(depth=None)
    outcome, _, _ = drive(a, answers)
    assert outcome.complete
    c2 = a.cause("c2")
    assert c2 is not None
    assert list(c2.tests) == ["what-object"]
    assert c2.skipped == ["what-deviation", "where-location"]
    assert not [f for f in check(a) if f.code == "KT106"], "skipped rows are not 'untested'"


def test_a_skip_needs_a_fact_that_ruled_the_cause_out() -> None:
    a = fresh(depth=None)
    drive(a, full_answers())
    c1 = a.causes[0]
    c1.tests.pop("what-object")
    assert apply_mark(a, Mark("c1", "what-object", SKIP)) == ""
    assert c1.skipped == []


def test_a_verdict_without_reason_says_so_and_only_if_waits_for_its_assumption() -> None:
    a = fresh(depth=None)
    drive(a, full_answers())
    c1 = a.causes[0]
    apply_mark(a, Mark("c1", "what-object", "explains"))
    assert c1.tests["what-object"].note == NO_REASON
    apply_mark(a, Mark("c1", "what-object", "explains_only_if"))
    assert c1.tests["what-object"].note == PENDING
    assert ("c1", "what-object") in [(c.id, r) for c, r in open_cells(a)]


def test_undoing_the_contradiction_reopens_the_skipped_rows() -> None:
    a = fresh(depth=None)
    drive(a, full_answers())
    c2 = a.causes[1]
    c2.tests.pop("what-deviation")
    assert apply_mark(a, Mark("c2", "what-deviation", SKIP))
    assert c2.skipped == ["what-deviation"]
    apply_mark(a, Mark("c2", "where-location", "explains", "it is EU only"))
    assert c2.skipped == []
