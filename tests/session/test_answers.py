"""Answers files: a partial file is completed, and only the rest is missing."""

from __future__ import annotations

from ktcli.core.model import STANDARD_ROW_IDS, Analysis, NotApplicable
from ktcli.session.answers import complete_partial
from ktcli.session.engine import accept_given, missing
from tests.session.scripts import NOW


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
