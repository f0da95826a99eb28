"""The customer's status update: plain words, no jargon, escaped Markdown."""

from __future__ import annotations

import pytest

from ktcli.core.model import Analysis, Closure, DataRequest, Escalation, Fact, Verification
from ktcli.handoff.update import customer_update, update_markdown, update_text
from tests.factories import T0, blank, specified, with_cause
from tests.handoff.cases import proven

#: Words a customer should never have to decode.
JARGON = (
    "IS NOT", "is_not", "KT1", "c1", "c2", "v1", "need_data", "explains_only_if",
    "does_not_explain", "specification", "verdict", "where-location", "assumption",
    "distinction", "escalat",
)  # fmt: skip


def natural() -> Analysis:
    """``proven()`` with the texts an analyst would write, so that any jargon is ours."""
    a = proven()
    for n, row in enumerate(a.specification):
        for cell in (row.is_, row.is_not):
            if isinstance(cell, Fact):
                cell.text = f"observation {n}"
    texts = {"c1": "a faulty build on the EU hosts", "c2": "the shared network"}
    for cause in a.causes:
        cause.text = texts[cause.id]
        for test in cause.tests.values():
            test.note = "the US hosts use the same network"
    return a


@pytest.mark.parametrize("status", ["open", "escalated", "closed"])
@pytest.mark.parametrize("render", [update_text, update_markdown])
def test_the_update_has_no_internal_jargon(status: str, render: object) -> None:
    a = natural()
    if status != "closed":
        a.true_cause = None
        a.verifications[0].status = "planned"
    a.status = status  # type: ignore[assignment]
    a.escalations.append(Escalation(at=T0, by="ana", to="database team", reason="needs DBA"))
    text = render(customer_update(a, next_update="Tuesday 14:00 CET"))  # type: ignore[operator]
    for word in JARGON:
        assert word not in text, word
    assert "a faulty build on the EU hosts" in text
    flat = " ".join(text.split())
    assert "the shared network: ruled out, because the US hosts use the same network" in flat


def test_the_update_says_what_is_known_ruled_out_next_and_when() -> None:
    a = proven()
    a.true_cause = None
    a.status = "escalated"
    a.escalations.append(Escalation(at=T0, by="ana", to="database", reason="needs DBA"))
    a.data_requests.append(DataRequest(id="r1", what="the slow query log", requested_from="DBA"))
    text = update_text(customer_update(a, next_update="Tuesday 14:00 CET"))
    assert "Order API: answers in more than 5 s." in text
    assert "Impact on your business: Orders lost in the EU shop." in text
    assert "Where it happens: is where-location (but not is not where-location)." in text
    assert "cause c2: ruled out, because does_not_explain" in text
    assert "now with our database team" in text
    assert "leading explanation, not yet proven: cause c1" in text
    assert "waiting for the slow query log from DBA" in text
    assert text.rstrip().endswith("Tuesday 14:00 CET.")
    assert all(len(line) <= 76 for line in text.splitlines())


def test_the_update_keeps_interim_corrective_and_preventive_apart() -> None:
    text = update_text(customer_update(proven()))
    steps = text[text.index("What we are doing next") :]
    interim = steps.index("keep you running in the meantime: restart the pool (done)")
    corrective = steps.index("remove the cause: roll back build 42 (done)")
    preventive = steps.index("stop it from happening again: canary every build (planned)")
    assert interim < corrective < preventive
    assert "We have confirmed the cause: cause c1." in steps


def test_a_refuted_cause_is_ruled_out_with_what_was_checked() -> None:
    a = specified()
    with_cause(a, "c1")
    a.verifications.append(
        Verification(
            id="v1",
            cause="c1",
            checks="the cache hit rate",
            method="dashboard",
            result="unchanged at 98 %",
            status="refuted",
        )
    )
    u = customer_update(a)
    assert u.ruled_out == ["cause c1: ruled out; we checked the cache hit rate: unchanged at 98 %."]
    assert u.next_update == "as soon as we learn something new"


def test_a_closed_case_plans_no_further_update() -> None:
    a = proven()
    a.status = "closed"
    u = customer_update(a)
    assert u.next_update == "none planned"
    assert u.next_steps[-1].startswith("This case is closed.")


def test_the_markdown_update_escapes_user_text() -> None:
    a = blank()
    a.title = "Login | <b>broken</b> [link](http://x)"
    text = update_markdown(customer_update(a))
    first = text.splitlines()[0]
    assert "<b>" not in first
    assert "\\|" in first
    assert "\\[link\\]" in first


@pytest.mark.parametrize(
    ("team", "said"), [("Payments team", "our Payments team."), ("DB", "our DB team.")]
)
def test_the_team_is_named_once(team: str, said: str) -> None:
    a = proven()
    a.true_cause = None
    a.status = "escalated"
    a.escalations.append(Escalation(at=T0, by="ana", to=team, reason="theirs"))
    text = " ".join(update_text(customer_update(a)).split())
    assert said in text
    assert "team team" not in text


def test_an_is_not_that_is_already_negative_is_not_negated_again() -> None:
    a = proven()
    row = a.specification[0]
    row.is_not = Fact(text="not worse on the US hosts", source="monitoring")
    text = " ".join(update_text(customer_update(a)).split())
    assert "(not worse on the US hosts)" in text
    assert "but not: not" not in text
    assert "but not not" not in text


def test_a_closed_case_says_where_the_open_fix_is_tracked() -> None:
    a = proven()
    a.status = "closed"
    a.closure = Closure(at=T0, by="ana", customer_confirmation="Jo", fix_tracked_in="PRB-77")
    text = " ".join(update_text(customer_update(a)).split())
    assert "The permanent fix is tracked in PRB-77" in text


def test_the_customer_update_never_shows_the_analysts_commands() -> None:
    """Issue 11: 'jcmd PID Thread.print' reached the text meant for the customer."""
    a = proven()
    a.true_cause = None
    a.data_requests = [
        DataRequest(
            id="r1",
            what="Three thread dumps ten seconds apart",
            requested_from="ops",
            commands=["jcmd PID Thread.print"],
        ),
        # A handoff written before commands were kept apart holds them in the text.
        DataRequest(id="r2", what="Heap state\n$ jcmd PID GC.heap_info", requested_from="ops"),
        DataRequest(id="r3", what="A HAR file", requested_from="you", dismissed="no browser"),
    ]
    text = update_text(customer_update(a))
    assert "thread dumps ten seconds apart" in text
    assert "Heap state" in text
    assert "jcmd" not in text
    assert "$ " not in text
    assert "HAR" not in text, "a dismissed request is not something we wait for"
