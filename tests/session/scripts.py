"""Scripted sessions shared by the session tests: the answers of a quick and a full pass."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from ktcli.core.analysis import new_analysis
from ktcli.core.model import STANDARD_ROW_IDS, Analysis
from ktcli.session.engine import run
from ktcli.session.guide import Guide
from ktcli.session.questions import Command, Question
from ktcli.session.testing import DEFAULT, ScriptedPrompter

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
    kwargs: dict[str, Any] = {"guide": guide} if guide else {}
    outcome = run(a, prompter, saver, who="ana", clock=lambda: NOW, **kwargs)
    return outcome, prompter, saver


def full_answers() -> dict[str, Any]:
    """A full session: two rows with facts on both sides, the rest not applicable."""
    answers: dict[str, Any] = {
        "impact": "EU shops lose about 1 in 5 orders",
        "appraisal.more": ["EU checkout waits over 5 s", ""],
        "appraisal.k1.ratings": "h h m",
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


def auto(question: Question) -> Any:
    """Answer anything: not applicable for facts, the default, suggestion or first choice else."""
    if question.kind == "cell":
        return Command.NOT_APPLICABLE
    if question.kind == "confirm":
        return False
    if question.kind == "checkbox":
        return ("cdn-cache",)
    if question.kind == "choice":
        return question.default or question.choices[0].value
    if question.suggested:
        return ""  # Enter takes the suggestion
    return "n/a" if question.required else ""
