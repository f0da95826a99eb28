"""Wording: ktcli's own, with an example each (the questions of the rows, the choices)."""

from __future__ import annotations

from ktcli.session.questions import ALL_CHECKS, Choice, Question

#: Row id -> (IS question, IS example, IS NOT question, IS NOT example).
ROW_TEXTS: dict[str, tuple[str, str, str, str]] = {
    "what-object": (
        "Which object shows the problem?",
        "one thing: 'the Order API (orders.example.com)'",
        "Which similar object could show it, but does not?",
        "the closest one: 'the Catalog API on the same cluster'",
    ),
    "what-deviation": (
        "What exactly is wrong with it?",
        "'POST /orders answers in 5-9 s instead of under 1 s'",
        "What else could go wrong with it, but does not?",
        "'no errors: every order is stored; GET requests stay fast'",
    ),
    "where-location": (
        "Where is the object when it happens? (site, host, network, region)",
        "'EU region, web pool eu-1'",
        "Where else could it happen, but does not?",
        "'US region, same build and traffic'",
    ),
    "where-on-object": (
        "Where on or in the object is it seen? (component, step, field)",
        "'the payment step of checkout'",
        "Which other part could show it, but does not?",
        "'cart and search steps'",
    ),
    "when-first": (
        "When was it first seen? (date, time, time zone)",
        "'2026-11-20 14:05 UTC, first customer ticket'",
        "When could it have been seen first, but was not?",
        "'not in the 13:00 UTC smoke test'",
    ),
    "when-pattern": (
        "When has it been seen since? Any pattern?",
        "'every weekday 09:00-11:00 UTC'",
        "When could it recur, but does not?",
        "'nights and weekends'",
    ),
    "when-lifecycle": (
        "At what point in the object's life, or in a process, does it happen?",
        "'first request after a deploy; first call of a session'",
        "At what other point could it happen, but does not?",
        "'later calls of the same session'",
    ),
    "extent-objects": (
        "How many objects have the problem?",
        "'3 of 12 EU web servers'",
        "How many could have it, but do not?",
        "'the other 9 EU servers and all 12 US ones'",
    ),
    "extent-size": (
        "How big is one occurrence?",
        "'5-9 s per request, p95 7 s'",
        "How big could it be, but is not?",
        "'no timeouts, never above 10 s'",
    ),
    "extent-per-object": (
        "How many occurrences per object?",
        "'about 30 % of requests on an affected host'",
        "How many could there be, but are not?",
        "'not every request'",
    ),
    "extent-trend": (
        "Is it growing, shrinking or stable?",
        "'growing: 5 % on Monday, 30 % today'",
        "What could the trend be, but is not?",
        "'not shrinking after the restart'",
    ),
}

RATINGS = (Choice("high", "high"), Choice("medium", "medium"), Choice("low", "low"))
VERDICTS = (
    Choice("explains", "explains it, because ..."),
    Choice("explains_only_if", "explains it only if ... (an assumption)"),
    Choice("does_not_explain", "does not explain it"),
)
VERDICT_NOTE = {
    "explains": "It explains this because ...",
    "explains_only_if": "It explains this only if ... (write the assumption)",
    "does_not_explain": "Why can it not explain this?",
}
FACTORS = (
    Choice("high_priority", "high priority or high severity"),
    Choice("reopened", "reopened: it came back after a fix"),
    Choice("complex", "complex or unusual"),
    Choice("no_known_fix", "no known fix"),
    Choice("costly", "costly: money, customers or reputation at stake"),
)
EXPORTS = (
    Choice("markdown", "Markdown, printed here (paste it into the ticket)"),
    Choice("yaml", "YAML, printed here (for backline or another ktcli)"),
    Choice("none", "not now"),
)

#: Asked by ``ktcli new`` before the analysis exists; not part of the flow.
TITLE = Question(
    "title",
    "appraisal",
    "text",
    "A short title for this ticket?",
    hint="e.g. 'Checkout slow for EU shops'",
    field="title",
    checks=ALL_CHECKS,
)
