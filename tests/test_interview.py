"""Flow tests: the guided session driven by a scripted prompter (an unexpected question fails)."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone
from typing import Any

import pytest

from ktcli.core.analysis import new_analysis
from ktcli.core.model import STANDARD_ROW_IDS, Analysis, Concern, Fact, NeedData, NotApplicable
from ktcli.session.interview import (
    COMPLETE,
    PENDING,
    Command,
    ExtraRow,
    GoTo,
    Guide,
    KnownCause,
    Question,
    RowGuide,
    accept_given,
    complete_partial,
    first_unanswered,
    missing,
    run,
    suggest_depth,
)
from ktcli.session.testing import DEFAULT, ScriptedPrompter, UnexpectedQuestion

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc)

QUICK = {
    "impact": "EU shops lose about 1 in 5 orders",
    "appraisal.depth_reason": DEFAULT,
    "statement.object": "Order API",
    "statement.deviation": "answers POST /orders in more than 5 s",
    "statement.source": "customer call, J. Roe",
    "spec.where-location.is": "EU region, pool eu-1",
    "spec.when-first.is": "2026-11-20 14:05 UTC",
    "spec.extent-objects.is": "3 of 12 EU web servers",
    "cause.likely": "DB connection pool too small in build 42",
    "verify.c1.1": "roll one EU host back to build 41 and compare p95",
    "action.interim": "route EU checkout through the US pool",
    "handoff.export": "markdown",
}


def fresh(depth: str | None = "quick") -> Analysis:
    a = new_analysis("inc-1", "Checkout slow", who="ana", now=NOW)
    a.appraisal.depth = depth  # type: ignore[assignment]
    return a


class Saver:
    """The save callback: keeps every saved state, as the store would write it."""

    def __init__(self) -> None:
        self.states: list[Analysis] = []

    def __call__(self, a: Analysis) -> None:
        self.states.append(a.model_copy(deep=True))


def drive(
    a: Analysis, answers: dict[str, Any], guide: Guide | None = None
) -> tuple[Any, ScriptedPrompter, Saver]:
    prompter = ScriptedPrompter(answers)
    saver = Saver()
    kwargs = {"guide": guide} if guide else {}
    outcome = run(a, prompter, saver, who="ana", clock=lambda: NOW, **kwargs)
    return outcome, prompter, saver


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


@pytest.mark.parametrize(
    ("key", "follow_ups", "expected"),
    [
        (
            Command.NEED_DATA,
            {"spec.when-first.is.who": "J. Roe", "spec.when-first.is.how": "check the LB log"},
            NeedData(who="J. Roe", how="check the LB log"),
        ),
        (
            Command.NOT_APPLICABLE,
            {"spec.when-first.is.reason": "it has always been so"},
            NotApplicable(reason="it has always been so"),
        ),
    ],
)
def test_need_data_and_not_applicable_are_one_key_away(
    key: Command, follow_ups: dict[str, str], expected: object
) -> None:
    answers = dict(QUICK)
    answers["spec.when-first.is"] = key
    answers.update(follow_ups)
    a = fresh()
    _, _prompter, saver = drive(a, answers)
    row = a.row("when-first")
    assert row is not None
    assert row.is_ == expected
    # Between the key and the follow-up, the file held a visible placeholder, never a gap.
    after_key = next(s for s in saver.states if (r := s.row("when-first")) and r.is_ is not None)
    assert PENDING in after_key.row("when-first").is_.model_dump().values()  # type: ignore[union-attr]


def test_need_data_on_a_question_that_is_not_a_fact_is_refused() -> None:
    answers = dict(QUICK)
    answers["impact"] = [Command.NEED_DATA, QUICK["impact"]]
    _, prompter, _ = drive(fresh(), answers)
    assert prompter.ids[:2] == ["impact", "impact"]
    assert any("IS / IS NOT" in text for _, text in prompter.notes)


# -- probing questions -----------------------------------------------------------------------


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


def test_cause_sections_do_not_probe_for_assumed_causes() -> None:
    answers = dict(QUICK)
    answers["cause.likely"] = "slow answers caused by the pool size"
    a = fresh()
    _, _prompter, _ = drive(a, {**answers, "cause.likely.refine": DEFAULT})
    assert [p.kind for p in a.pitfalls] == ["vague"]


# -- full mode ----------------------------------------------------------------------------------


def full_answers() -> dict[str, Any]:
    """A full session: two rows with facts on both sides, the rest not applicable."""
    answers: dict[str, Any] = {
        "impact": "EU shops lose about 1 in 5 orders",
        "appraisal.more": ["EU checkout waits over 5 s", ""],
        "appraisal.k1.seriousness": "high",
        "appraisal.k1.urgency": "high",
        "appraisal.k1.growth": "medium",
        "appraisal.factors": ("no_known_fix",),
        "appraisal.depth": DEFAULT,
        "appraisal.depth_reason": DEFAULT,
        "statement.object": "Order API",
        "statement.deviation": "answers in more than 5 s",
        "statement.source": "customer call",
        "spec.what-object.is.verified": False,
        "spec.what-object.is_not": "Catalog API on the same cluster",
        "spec.what-object.is_not.source": DEFAULT,
        "spec.what-object.is_not.verified": True,
        "spec.what-deviation.is.verified": False,
        "spec.what-deviation.is_not": Command.NOT_APPLICABLE,
        "spec.what-deviation.is_not.reason": "only latency is reported",
        "spec.where-location.is": "EU pool",
        "spec.where-location.is.source": "monitoring",
        "spec.where-location.is.verified": True,
        "spec.where-location.is_not": "US pool",
        "spec.where-location.is_not.source": DEFAULT,
        "spec.where-location.is_not.verified": True,
        "dist.what-object": "only the Order API writes to the orders DB",
        "dist.where-location": "only EU hosts run build 42",
        "change.d1": "",
        "change.d2": "build 42 deployed to the EU pool",
        "change.ch1.when": "2026-11-20T13:40Z",
        "cause.from.ch1": "build 42 pools DB connections per host",
        "cause.from.d1": "",
        "cause.more": ["orders DB index bloat", ""],
        "test.c1.what-object": "explains",
        "test.c1.what-object.note": "only orders use the pool",
        "test.c1.what-deviation": "explains",
        "test.c1.what-deviation.note": "waiting for a connection takes seconds",
        "test.c1.where-location": "explains_only_if",
        "test.c1.where-location.note": "EU traffic is higher per host",
        "test.c2.what-object": "explains",
        "test.c2.what-object.note": "only orders use that index",
        "test.c2.what-deviation": "explains",
        "test.c2.what-deviation.note": "index scans take seconds",
        "test.c2.where-location": "does_not_explain",
        "test.c2.where-location.note": "US uses the same DB",
        "verify.c1.1": "compare requests per host EU vs US",
        "verify.v1.result": "EU hosts serve twice the requests",
        "verify.v1.status": "confirmed",
        "verify.true_cause": True,
        "action.interim": "route EU checkout via US",
        "action.a1.owner": "ops",
        "action.corrective": "raise the pool size in build 43",
        "action.a2.owner": DEFAULT,
        "action.preventive": "",
        "handoff.export": "none",
    }
    for row in STANDARD_ROW_IDS[3:]:
        if row == "where-location":
            continue
        for side in ("is", "is_not"):
            answers[f"spec.{row}.{side}"] = Command.NOT_APPLICABLE
            answers[f"spec.{row}.{side}.reason"] = "kept short for the test"
    return answers


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
    assert prompter.shown.count("ranking") == 2, "the ranking is shown after each cause is tested"
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


def test_a_cause_added_later_is_tested_on_resume() -> None:
    a = fresh(depth=None)
    drive(a, full_answers())
    a.causes.append(
        a.causes[1].model_copy(update={"id": "c3", "text": "noisy neighbour", "tests": {}})
    )
    item = first_unanswered(a)
    assert item is not None
    assert item.id == "test.c3.what-object"


# -- depth ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratings", "reopened", "factors", "depth", "words"),
    [
        (("high", "high", "low"), False, (), "full", "high priority"),
        (("low", "high", "low"), True, (), "full", "reopened"),
        (("low", "high", "low"), False, ("complex",), "full", "complex"),
        (("low", "low", "low"), False, ("no_known_fix", "costly"), "full", "no known fix"),
        (("low", "high", "low"), False, (), "quick", "urgent"),
        (("low", "low", "low"), False, (), "quick", "familiar"),
    ],
)
def test_depth_is_suggested_from_priority_reopened_complexity_and_known_fix(
    ratings: tuple[str, str, str], reopened: bool, factors: tuple[str, ...], depth: str, words: str
) -> None:
    a = fresh(depth=None)
    s, u, g = ratings
    a.appraisal.concerns.append(Concern(id="k1", text="x", seriousness=s, urgency=u, growth=g))  # type: ignore[arg-type]
    a.appraisal.reopened = reopened
    suggested, reason = suggest_depth(a, factors)
    assert suggested == depth
    assert words in reason


def test_the_analyst_may_override_the_suggested_depth() -> None:
    answers = {k: v for k, v in full_answers().items() if k.startswith(("impact", "appraisal"))}
    answers["appraisal.depth"] = "quick"
    answers["appraisal.depth_reason"] = "same as INC-4000 last week"
    answers["statement.object"] = Command.QUIT
    a = fresh(depth=None)
    _, prompter, _ = drive(a, answers)
    depth_q = next(q for q in prompter.asked if q.id == "appraisal.depth")
    assert depth_q.default == "full", "no known fix suggests the full analysis"
    assert a.appraisal.depth == "quick"
    assert a.appraisal.depth_reason == "same as INC-4000 last week"


# -- answers files and missing answers ------------------------------------------------------------


def test_a_partial_answers_file_is_completed_and_only_the_rest_is_missing() -> None:
    data = {
        "title": "Checkout slow",
        "business_impact": "lost orders",
        "appraisal": {"depth": "quick", "depth_reason": "known fix"},
        "statement": {"object": "Order API", "deviation": "answers in 5 s"},
        "specification": [
            {"id": "what-object", "is": {"text": "Order API", "source": "ticket"}},
            {"id": "where-location", "is": {"reason": "one site only"}},
        ],
        "causes": [{"text": "pool too small"}],
    }
    filled = complete_partial(data, analysis_id="inc-9", title=None, who="ana", now=NOW)
    a = Analysis.model_validate(filled)
    accept_given(a)
    assert [r.id for r in a.specification] == list(STANDARD_ROW_IDS)
    assert isinstance(a.row("where-location").is_, NotApplicable)  # type: ignore[union-attr]
    assert a.causes[0].id == "c1"
    assert [q.id for q in missing(a)] == [
        "spec.when-first.is",
        "spec.extent-objects.is",
        "verify.c1.1",
        "action.interim",
    ]


def test_the_title_from_the_command_line_wins_over_the_file() -> None:
    filled = complete_partial({"title": "old"}, analysis_id="x", title="new", who="ana", now=NOW)
    assert filled["title"] == "new"
    assert filled["created_at"] == "2026-11-24T09:00:00Z"


# -- the playbook seam ---------------------------------------------------------------------------


def auto(question: Question) -> Any:
    """Answer anything: not applicable for facts, the default or the first choice otherwise."""
    if question.kind == "cell":
        return Command.NOT_APPLICABLE
    if question.kind == "confirm":
        return False
    if question.kind == "checkbox":
        return ("cdn-cache",)
    if question.kind == "choice":
        return question.default or question.choices[0].value
    return "n/a" if question.required else ""


def test_a_guide_adds_rows_hints_known_causes_and_terms() -> None:
    from ktcli.core.language import DEFAULT_TERMS

    guide = Guide(
        id="web-latency",
        rows=(RowGuide("where-location", hint="check the CDN POP in the response headers"),),
        extra_rows=(
            ExtraRow("where-cdn", "where", "WHERE: CDN POP", "Which CDN POP serves it?", "'FRA'"),
        ),
        causes=(KnownCause("cdn-cache", "CDN cache misses"),),
        terms=DEFAULT_TERMS.extended(vague=("spinny",)),
    )
    a = fresh(depth="full")
    answers = {
        "spec.where-location.is": "the page is spinny",
        "spec.where-location.is.refine": DEFAULT,
    }
    prompter = ScriptedPrompter(answers, fallback=auto)
    run(a, prompter, Saver(), who="ana", clock=lambda: NOW, guide=guide)
    ids = prompter.ids
    assert ids.index("spec.where-cdn.is") == ids.index("spec.where-on-object.is_not.reason") + 1
    where = next(q for q in prompter.asked if q.id == "spec.where-location.is")
    assert "CDN POP in the response headers" in where.hint
    cdn = a.row("where-cdn")
    assert cdn is not None
    assert cdn.origin == "web-latency"
    assert [p.term for p in a.pitfalls] == ["spinny"]
    assert [(c.origin, c.origin_ref) for c in a.causes] == [("playbook", "web-latency/cdn-cache")]


def test_pure_modules_import_no_prompt_or_cli_library() -> None:
    code = (
        "import sys, ktcli.session.interview, ktcli.core.language; "
        "bad = [m for m in ('questionary', 'typer', 'prompt_toolkit', 'rich') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_a_statement_from_a_file_gets_its_what_rows_from_the_source_question() -> None:
    a = fresh()
    a.business_impact = "lost orders"
    a.appraisal.depth_reason = "known fix"
    a.progress.append("appraisal.depth_reason")
    from ktcli.core.model import Statement

    a.statement = Statement(object="Order API", deviation="answers in 5 s")
    answers = {
        k: v
        for k, v in QUICK.items()
        if not k.startswith(("impact", "appraisal", "statement.o", "statement.d"))
    }
    _, prompter, _ = drive(a, answers)
    assert prompter.ids[0] == "statement.source"
    row = a.row("what-deviation")
    assert row is not None
    assert row.is_ == Fact(text="answers in 5 s", source="customer call, J. Roe")


def test_an_empty_verification_result_is_asked_again_on_resume() -> None:
    """Enter at "What did it show?" means "still to do": skipped now, not forgotten."""
    a = fresh(depth=None)
    answers = full_answers()
    answers["verify.v1.result"] = ""
    for key in ("verify.v1.status", "verify.true_cause"):
        answers.pop(key)
    answers["action.a1.owner"] = "ops"
    outcome, prompter, _ = drive(a, answers)
    assert "verify.v1.result" in prompter.ids
    assert not outcome.complete, "a result left for later keeps the session open"
    assert a.verifications[0].result is None
    assert a.true_cause is None
    # Resuming asks for the result again, then carries on to the status.
    again = {
        "verify.v1.result": "EU hosts serve twice the requests",
        "verify.v1.status": "confirmed",
        "verify.true_cause": True,
    }
    outcome, prompter, _ = drive(a, again)
    assert prompter.ids[0] == "verify.v1.result"
    assert outcome.complete
    assert a.verifications[0].status == "confirmed"
    assert a.true_cause is not None
