"""Pitfall detection: which words trigger which probing question, and which do not."""

from __future__ import annotations

import pytest

from ktcli.core.language import DEFAULT_TERMS, find_pitfalls, suggest_next_step


@pytest.mark.parametrize(
    ("text", "kind", "term"),
    [
        ("checkout is slow", "vague", "slow"),
        ("it sometimes fails", "vague", "sometimes"),
        ("the login doesn't work", "vague", "doesn't work"),
        ("Everything is broken", "vague", "everything"),
        ("slow because of the update", "causal", "because of"),
        ("errors since the update", "causal", "since the update"),
        ("timeouts caused by the firewall", "causal", "caused by"),
        ("due to the new build", "causal", "due to"),
        ("this is unacceptable", "loaded", "unacceptable"),
        ("a complete disaster", "loaded", "disaster"),
    ],
)
def test_each_pitfall_is_found_with_its_probing_question(text: str, kind: str, term: str) -> None:
    hits = find_pitfalls(text)
    assert (kind, term) in [(h.kind, h.term.lower()) for h in hits]
    hit = next(h for h in hits if h.kind == kind)
    if kind == "vague":
        # Each kind of vagueness asks its own question (frequency, scope, degree, failure).
        assert f"'{hit.term}'" in hit.question
    elif kind == "causal":
        assert "How can we be sure that is the cause?" in hit.question
    else:
        assert "What evidence do you have?" in hit.question


@pytest.mark.parametrize(
    "text",
    [
        "POST /orders answers in 2.4 s at p95 instead of under 400 ms",
        "first seen 2026/11/20 14:05 UTC",
        "3 of 12 EU web servers",
        "since Monday 09:00 UTC",
        "never above 10 s",
        "slowness",  # a whole word only: 'slow' inside another word is no hit
    ],
)
def test_precise_facts_raise_no_warning(text: str) -> None:
    assert find_pitfalls(text, kinds=("vague", "causal", "loaded", "bundled")) == []


@pytest.mark.parametrize(
    ("statement", "term"),
    [
        ("Order API and Catalog API answer slowly", "and"),
        ("the VPN drops or the login hangs", "or"),
        ("EU shop / US shop", " / "),
    ],
)
def test_bundled_statements_are_found_only_when_asked(statement: str, term: str) -> None:
    assert not [h for h in find_pitfalls(statement) if h.kind == "bundled"]
    hits = list(find_pitfalls(statement, kinds=("bundled",)))
    assert [h.term for h in hits] == [term]


def test_longest_term_wins_and_each_term_is_reported_once() -> None:
    hits = find_pitfalls("slow, slow, slow because of it")
    assert [(h.kind, h.term) for h in hits] == [("vague", "slow"), ("causal", "because of")]


def test_playbook_terms_extend_the_defaults() -> None:
    terms = DEFAULT_TERMS.extended(vague=("laggy UI",), causal=("thanks to the CDN",))
    hits = find_pitfalls("laggy UI thanks to the CDN", terms)
    assert [(h.kind, h.term) for h in hits] == [
        ("vague", "laggy UI"),
        ("causal", "thanks to the CDN"),
    ]
    assert find_pitfalls("laggy UI") != find_pitfalls("laggy UI", terms)


@pytest.mark.parametrize(
    ("text", "step"),
    [
        ("Whether to roll back the whole config release or only one setting", "decision_analysis"),
        ("We must choose a fix before Friday", "decision_analysis"),
        ("Which option to take for the new pool size", "decision_analysis"),
        ("Black Friday traffic could hit any remaining bottleneck", "potential_problem_analysis"),
        ("The migration might lose orders", "potential_problem_analysis"),
        ("The risk of a second outage during the rollout", "potential_problem_analysis"),
        ("EU shoppers wait over 2 s to place an order", "problem_analysis"),
        ("Management wants a written explanation", "problem_analysis"),
        ("Invoices go out late in May", "problem_analysis"),
    ],
)
def test_a_concern_s_wording_suggests_its_next_step(text: str, step: str) -> None:
    assert suggest_next_step(text) == step
