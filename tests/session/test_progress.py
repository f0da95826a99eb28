"""Where am I: the header of every prompt, the finished sections, the resume summary."""

from __future__ import annotations

from ktcli.core.model import Decision
from ktcli.session.engine import run
from ktcli.session.progress import summary
from ktcli.session.questions import Command
from ktcli.session.testing import ScriptedPrompter
from tests.session.scripts import NOW, QUICK, drive, fresh, full_answers


def test_every_prompt_says_its_section_what_is_left_and_an_estimate() -> None:
    _, prompter, _ = drive(fresh(depth=None), full_answers())
    first = prompter.asked[0]
    assert first.place.startswith("Appraisal · section 1 of ")
    assert "left here" in first.place
    assert "min" in first.place
    # Until the depth is chosen, the count is no promise of the session's length.
    assert "until the depth is chosen" in first.place
    spec = next(q for q in prompter.asked if q.section == "specification")
    assert spec.place.startswith("Specification · section 3 of 10 · ")
    assert "in all" in spec.place  # the depth is chosen by then: a whole-session count
    assert "appraisal" in spec.finished
    assert "statement" in spec.finished
    assert "specification" not in spec.finished


def test_left_counts_down_within_a_section() -> None:
    _, prompter, _ = drive(fresh(), dict(QUICK))
    here = [
        int(q.place.split(" · ")[2].split()[0])
        for q in prompter.asked
        if q.section == "specification"
    ]
    assert here == [3, 2, 1]


def test_resume_opens_with_what_is_done_open_and_next() -> None:
    answers = full_answers()
    answers["spec.where-location.is"] = Command.QUIT
    a = fresh(depth=None)
    drive(a, answers)
    lines = summary(a)
    assert len(lines) == 3
    assert lines[0].startswith("Done: Appraisal, Problem statement")
    assert lines[1].startswith("Open: Specification (")
    assert lines[2].startswith("Next: IS - Where is the object")
    answers.pop("spec.where-location.is")
    _, prompter, _ = drive(a, full_answers())
    assert [t for k, t in prompter.notes if k == "info"][:3] == lines


def test_a_new_analysis_has_no_summary() -> None:
    assert summary(fresh(depth=None)) == []


def test_a_section_asked_on_its_own_opens_without_the_whole_analysis_summary() -> None:
    answers = full_answers()
    answers["spec.where-location.is"] = Command.QUIT
    a = fresh(depth=None)
    drive(a, answers)
    assert summary(a), "resuming the whole session would open with one"
    a.decision = Decision()
    prompter = ScriptedPrompter({"decide.statement": Command.QUIT})
    run(a, prompter, lambda _: None, who="ana", clock=lambda: NOW, only="decide")
    assert [q.id for q in prompter.asked] == ["decide.statement"]
    assert [t for k, t in prompter.notes if k == "info"] == []
