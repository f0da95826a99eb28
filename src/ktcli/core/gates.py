"""The quality gates: documented rules an analysis should pass; ``ktcli check`` runs them. Pure.

Gates report, they never stop a save. Each has a rule id (``KT1xx``), a short
name and its summary; docs/quality-gates.md lists every one (a test keeps the
two in step), and ``close`` refuses while any fails.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ktcli.core import deciding
from ktcli.core.analysis import (
    assess,
    confirmed_verifications,
    most_probable,
    specified_rows,
    top_tie,
)
from ktcli.core.language import bundled_object, bundled_part, find_pitfalls
from ktcli.core.model import Analysis, Fact


@dataclass(frozen=True)
class Finding:
    """A failed gate: rule id, what is wrong, and where."""

    rule: str
    message: str
    where: str = ""


@dataclass(frozen=True)
class Gate:
    """A documented rule; ``check`` returns its findings (none when it passes)."""

    rule: str
    name: str
    summary: str
    check: Callable[[Analysis], list[Finding]] = field(repr=False)


def _g_statement_missing(a: Analysis) -> list[Finding]:
    if a.statement is None:
        return [Finding("KT101", "no problem statement (one object, one deviation)", "statement")]
    return []


def _g_statement_cause(a: Analysis) -> list[Finding]:
    if a.statement is None:
        return []
    # The same words the session probes for: a statement the probe passes, this passes too.
    hits = find_pitfalls(a.statement.text, kinds=("causal",))
    if hits:
        return [
            Finding(
                "KT102",
                f"the statement names a cause ({hits[0].term!r}); state only what is wrong",
                "statement",
            )
        ]
    return []


def _g_statement_bundle(a: Analysis) -> list[Finding]:
    if a.statement is None:
        return []
    out = []
    # Judged on what is joined, not on the word "and": "orders stay pending and are never
    # shipped" is one deviation (ktcli.core.language.bundled_part).
    for part, joined in (
        ("object", bundled_object(a.statement.object)),
        ("deviation", bundled_part(a.statement.deviation)),
    ):
        if joined:
            out.append(
                Finding(
                    "KT103",
                    f"the {part} bundles more than one ({joined.strip()!r}); split it",
                    f"statement.{part}",
                )
            )
    return out


def _g_row_blank(a: Analysis) -> list[Finding]:
    # One finding per row: a blank IS first; a blank IS NOT beside a fact is KT105's job.
    out = []
    for row in specified_rows(a):
        if row.is_ is None:
            side, label = "is", "IS"
        elif row.is_not is None and not isinstance(row.is_, Fact):
            side, label = "is_not", "IS NOT"
        else:
            continue
        out.append(
            Finding(
                "KT104",
                f"{row.label}: {label} left blank (a fact, not applicable, or need more data)",
                f"specification.{row.id}.{side}",
            )
        )
    return out


def _g_is_without_is_not(a: Analysis) -> list[Finding]:
    return [
        Finding(
            "KT105",
            f"{row.label}: IS without its IS NOT (the closest thing that could, but does not)",
            f"specification.{row.id}.is_not",
        )
        for row in specified_rows(a)
        if isinstance(row.is_, Fact) and row.is_not is None
    ]


def _g_cause_untested(a: Analysis) -> list[Finding]:
    return [
        Finding(
            "KT106",
            f"cause {r.cause.id} not tested against: {', '.join(r.untested)}",
            f"causes.{r.cause.id}",
        )
        for r in (assess(a, c) for c in a.causes)
        if r.untested
    ]


def _g_closed_unverified(a: Analysis) -> list[Finding]:
    if a.status != "closed" or (a.closure is not None and a.closure.forced):
        return []
    if a.true_cause is None:
        return [Finding("KT107", "closed without a true cause", "true_cause")]
    if not confirmed_verifications(a, a.true_cause.cause):
        return [
            Finding(
                "KT107",
                f"closed, but true cause {a.true_cause.cause} has no confirmed verification",
                "true_cause",
            )
        ]
    return []


def _g_forced_close(a: Analysis) -> list[Finding]:
    if a.closure is not None and a.closure.forced:
        reason = a.closure.reason or "no reason given"
        return [Finding("KT108", f"closed by force, unproven: {reason}", "closure")]
    return []


def _g_true_cause_contradicted(a: Analysis) -> list[Finding]:
    if a.true_cause is None:
        return []
    cause = a.cause(a.true_cause.cause)
    if cause is None:
        return []
    bad = assess(a, cause).contradictions
    if bad:
        rows = ", ".join(r for r, _ in bad)
        return [
            Finding(
                "KT109",
                f"true cause {cause.id} does not explain: {rows}",
                "true_cause",
            )
        ]
    return []


def _g_assumption_unverified(a: Analysis) -> list[Finding]:
    best = most_probable(a)
    if best is None or not best.assumptions:
        return []
    if any(v.cause == best.cause.id for v in a.verifications):
        return []
    return [
        Finding(
            "KT110",
            f"most probable cause {best.cause.id} rests on {len(best.assumptions)} "
            "assumption(s) with no verification step planned",
            f"causes.{best.cause.id}",
        )
    ]


def _g_top_tie(a: Analysis) -> list[Finding]:
    tie = top_tie(a)
    if tie is None:
        return []
    ids = " and ".join(r.cause.id for r in tie.causes)
    rows = ", ".join(tie.unseparated) or "none"
    return [
        Finding(
            "KT112",
            f"causes {ids} tie for most probable; find a fact they explain differently, or "
            f"verify one (rows that do not separate them: {rows})",
            "causes",
        )
    ]


def _g_business_impact(a: Analysis) -> list[Finding]:
    if not (a.business_impact or "").strip():
        return [Finding("KT111", "no business impact recorded", "business_impact")]
    return []


# -- gates of deciding and acting (rules in core/deciding.py) ----------------------------------


def _g_option_fails_must(a: Analysis) -> list[Finding]:
    d = a.decision
    if d is None:
        return []
    out = []
    for r in deciding.rank_options(d):
        kept = r.option.scores or (d.choice is not None and d.choice.option == r.option.id)
        if r.out and kept:
            how = "chosen" if not r.option.scores else "still scored"
            out.append(
                Finding(
                    "KT113",
                    f"option {r.option.id} fails MUST {', '.join(r.failed)} but is {how}",
                    f"decision.options.{r.option.id}",
                )
            )
    return out


def _g_want_unweighted(a: Analysis) -> list[Finding]:
    d = a.decision
    return [
        Finding("KT114", f"WANT {w.id} has no weight (1-10)", f"decision.wants.{w.id}")
        for w in (d.wants if d is not None else [])
        if w.weight is None
    ]


def _g_score_without_fact(a: Analysis) -> list[Finding]:
    d = a.decision
    out = []
    for o in d.options if d is not None else []:
        marks = [(m, s.fact) for m, s in o.screens.items()]
        marks += [(w, s.fact) for w, s in o.scores.items()]
        bare = [ident for ident, fact in marks if not (fact or "").strip()]
        if bare:
            out.append(
                Finding(
                    "KT115",
                    f"option {o.id} is rated without a fact against {', '.join(bare)}",
                    f"decision.options.{o.id}",
                )
            )
    return out


def _g_choice_against_ranking(a: Analysis) -> list[Finding]:
    d = a.decision
    if d is None or d.choice is None or (d.choice.reason or "").strip():
        return []
    if not deciding.against_ranking(d):
        return []
    top = deciding.top_option(d)
    best = f"the top score is {top.option.id}" if top else "the top score is a tie"
    return [
        Finding(
            "KT116",
            f"option {d.choice.option} was chosen but {best}, and no reason is recorded",
            "decision.choice",
        )
    ]


def _g_problem_unprotected(a: Analysis) -> list[Finding]:
    return [
        Finding(
            "KT117",
            f"serious potential problem {pp.id} has no preventive or contingent action",
            f"protection.{pp.id}",
        )
        for pp in deciding.unprotected(a)
    ]


def _g_contingent_without_trigger(a: Analysis) -> list[Finding]:
    return [
        Finding("KT118", f"contingent action {x.id} has no trigger", f"actions.{x.id}")
        for x in a.actions
        if x.kind == "contingent" and not (x.trigger or "").strip()
    ]


GATES: tuple[Gate, ...] = (
    Gate("KT101", "statement-missing", "There is a problem statement.", _g_statement_missing),
    Gate("KT102", "statement-names-cause", "The statement names no cause.", _g_statement_cause),
    Gate(
        "KT103",
        "statement-bundles",
        "The statement has one object and one deviation.",
        _g_statement_bundle,
    ),
    Gate("KT104", "row-blank", "No IS or IS NOT is left blank.", _g_row_blank),
    Gate("KT105", "is-without-is-not", "Every IS fact has its IS NOT.", _g_is_without_is_not),
    Gate("KT106", "cause-untested", "Every cause is tested against every fact.", _g_cause_untested),
    Gate(
        "KT107",
        "closed-unverified",
        "A closed analysis has a true cause with a confirmed verification.",
        _g_closed_unverified,
    ),
    Gate("KT108", "closed-by-force", "The analysis was not closed by force.", _g_forced_close),
    Gate(
        "KT109",
        "true-cause-contradicted",
        "The true cause explains every fact.",
        _g_true_cause_contradicted,
    ),
    Gate(
        "KT110",
        "assumption-unverified",
        "The most probable cause's assumptions have a verification step.",
        _g_assumption_unverified,
    ),
    Gate("KT111", "business-impact-missing", "Business impact is recorded.", _g_business_impact),
    Gate(
        "KT112",
        "most-probable-tie",
        "One cause is most probable: no tie at the top.",
        _g_top_tie,
    ),
    Gate(
        "KT113",
        "option-fails-must",
        "No option that fails a MUST is kept: scored or chosen.",
        _g_option_fails_must,
    ),
    Gate("KT114", "want-unweighted", "Every WANT has a weight from 1 to 10.", _g_want_unweighted),
    Gate(
        "KT115",
        "score-without-fact",
        "Every MUST screen and WANT score has the fact behind it.",
        _g_score_without_fact,
    ),
    Gate(
        "KT116",
        "choice-against-ranking",
        "A choice that is not the top score says why.",
        _g_choice_against_ranking,
    ),
    Gate(
        "KT117",
        "problem-unprotected",
        "Every serious potential problem has a preventive or contingent action.",
        _g_problem_unprotected,
    ),
    Gate(
        "KT118",
        "contingent-without-trigger",
        "Every contingent action has the trigger that sets it off.",
        _g_contingent_without_trigger,
    ),
)


def check(a: Analysis) -> list[Finding]:
    """Run every quality gate; an empty list means all pass. Gates never block saving."""
    return [finding for gate in GATES for finding in gate.check(a)]
