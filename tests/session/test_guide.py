"""The playbook seam: what a guide adds to a session."""

from __future__ import annotations

from ktcli.session.engine import run
from ktcli.session.guide import AddedRow, Guide, OfferedCause, RowAdvice
from ktcli.session.testing import DEFAULT, ScriptedPrompter
from tests.session.scripts import NOW, Saver, auto, fresh


def test_a_guide_adds_rows_hints_known_causes_and_terms() -> None:
    from ktcli.core.language import DEFAULT_TERMS

    guide = Guide(
        id="web-latency",
        rows=(RowAdvice("where-location", hint="check the CDN POP in the response headers"),),
        extra_rows=(
            AddedRow("where-cdn", "where", "WHERE: CDN POP", "Which CDN POP serves it?", "'FRA'"),
        ),
        causes=(OfferedCause("cdn-cache", "CDN cache misses"),),
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
