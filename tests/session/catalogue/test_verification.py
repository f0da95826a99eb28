"""The verification's questions."""

from __future__ import annotations

from tests.session.scripts import drive, fresh, full_answers


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


def test_no_to_naming_the_true_cause_plans_how_to_prove_it_and_resume_opens_there() -> None:
    """Issue 11: "No" used to move on to the actions with nothing left to continue."""
    a = fresh(depth=None)
    answers = full_answers()
    answers["verify.true_cause"] = False
    answers["verify.c1.prove"] = "roll one EU host back to build 41 and compare p95"
    answers["verify.v2.result"] = ""  # still to do: frontline stops here
    outcome, prompter, _ = drive(a, answers)
    assert prompter.ids.index("verify.c1.prove") == prompter.ids.index("verify.true_cause") + 1
    proof = a.verifications[-1]
    assert (proof.id, proof.cause, proof.checks, proof.status) == (
        "v2",
        "c1",
        "c1 is the true cause",
        "planned",
    )
    assert proof.method == "roll one EU host back to build 41 and compare p95"
    assert a.true_cause is None
    assert not outcome.complete, "a planned proof keeps the session open for backline"
    # Backline resumes on the planned step, confirms it, and is asked to name the cause.
    again = {
        "verify.v2.result": "p95 dropped to 300 ms on the rolled-back host",
        "verify.v2.status": "confirmed",
        "verify.true_cause": True,
    }
    outcome, prompter, _ = drive(a, again)
    assert prompter.ids[:3] == ["verify.v2.result", "verify.v2.status", "verify.true_cause"]
    assert a.true_cause is not None
    assert a.true_cause.cause == "c1"
