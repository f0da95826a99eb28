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
