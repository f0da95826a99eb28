"""Appraisal: business impact, the concerns and their ratings, the depth and why."""

from __future__ import annotations

from collections.abc import Iterator

from ktcli.core.analysis import next_id
from ktcli.core.model import Analysis, Concern, derive_priority
from ktcli.session.depth import suggest_depth, suggested_depth
from ktcli.session.items import Env, Item, answer_text, retext
from ktcli.session.questions import ALL_CHECKS, Choice, Depth, Question, Value
from ktcli.session.wording import FACTORS, RATINGS


def iter_items(a: Analysis, m: Depth) -> Iterator[Item]:
    """Business impact; in full mode the concerns and depth factors; then the depth and why."""
    sec = "appraisal"

    def set_impact(a: Analysis, v: Value, env: Env) -> str:
        a.business_impact = answer_text(v)
        return "recorded the business impact"

    yield Item(
        Question(
            "impact",
            sec,
            "text",
            "What does this problem cost the customer's business?",
            hint="in their terms: 'EU shops lose about 1 in 5 orders at checkout'",
            field="business_impact",
            default=a.business_impact,
            checks=ALL_CHECKS,
        ),
        lambda a: bool(a.business_impact),
        set_impact,
    )
    if m == "full":
        yield from _concerns(a)
        yield _factors_item(a)
    if a.appraisal.depth is None:
        yield _depth_item(a)
    yield _depth_reason_item(a)


def _concerns(a: Analysis) -> Iterator[Item]:
    sec = "appraisal"
    for concern in a.appraisal.concerns:
        for rating, text in (
            ("seriousness", "How serious is it now?"),
            ("urgency", "How urgent is it?"),
            ("growth", "How fast does it grow if nothing is done?"),
        ):

            def rate(a: Analysis, v: Value, env: Env, k: str = concern.id, r: str = rating) -> str:
                c = next(c for c in a.appraisal.concerns if c.id == k)
                setattr(c, r, answer_text(v))
                c.priority = derive_priority(c.seriousness, c.urgency, c.growth)
                return f"rated concern {k}: {r} {answer_text(v)}"

            yield Item(
                Question(
                    f"appraisal.{concern.id}.{rating}",
                    sec,
                    "choice",
                    text,
                    context=(f"Concern {concern.id}: {concern.text}",),
                    field=f"appraisal.concerns.{concern.id}.{rating}",
                    default=getattr(concern, rating),
                    choices=RATINGS,
                ),
                lambda a: False,
                rate,
                tracked=True,
                given=lambda a: True,
            )

    def add_concern(a: Analysis, v: Value, env: Env) -> str:
        if not answer_text(v):
            return ""
        new = Concern(
            id=next_id("k", [c.id for c in a.appraisal.concerns]),
            text=answer_text(v),
            seriousness="medium",
            urgency="medium",
            growth="medium",
        )
        a.appraisal.concerns.append(new)
        return f"added a concern: {new.text}"

    first = not a.appraisal.concerns
    yield Item(
        Question(
            "appraisal.more",
            sec,
            "text",
            "What is the customer's concern, in one sentence?"
            if first
            else "What else bothers the customer? (Enter when there is nothing else)",
            hint="split compound concerns: one concern, one owner",
            field="appraisal.concerns",
            required=first,
            checks=ALL_CHECKS,
        ),
        lambda a: False,
        add_concern,
        tracked=True,
        given=lambda a: bool(a.appraisal.concerns),
        loop=True,
        refine=retext(lambda a: a.appraisal.concerns),
    )


def _factors_item(a: Analysis) -> Item:
    # What the ratings already say is not asked again: a concern rated high priority
    # argues for the full analysis by itself (suggest_depth counts it).
    high = [c.id for c in a.appraisal.concerns if c.priority == "high"]
    choices = tuple(f for f in FACTORS if not (high and f.value == "high_priority"))
    hint = "they decide between a quick pass and the full analysis"
    if high:
        hint += f"; high priority is already given by the ratings ({', '.join(high)})"

    def set_factors(a: Analysis, v: Value, env: Env) -> str:
        chosen = v if isinstance(v, tuple) else ()
        a.appraisal.reopened = "reopened" in chosen
        _, reason = suggest_depth(a, chosen)
        a.appraisal.depth_reason = reason
        return f"depth factors: {', '.join(chosen) or 'none'}"

    return Item(
        Question(
            "appraisal.factors",
            "appraisal",
            "checkbox",
            "Which of these apply? (space to tick, Enter when done)",
            hint=hint,
            field="appraisal.reopened",
            default=("reopened",) if a.appraisal.reopened else (),
            choices=choices,
            required=False,
        ),
        lambda a: False,
        set_factors,
        tracked=True,
        given=lambda a: a.appraisal.depth is not None,
    )


def _depth_item(a: Analysis) -> Item:
    suggested = suggested_depth(a)

    def set_depth(a: Analysis, v: Value, env: Env) -> str:
        a.appraisal.depth = "quick" if answer_text(v) == "quick" else "full"
        return f"chose a {a.appraisal.depth} analysis"

    return Item(
        Question(
            "appraisal.depth",
            "appraisal",
            "choice",
            "How deep should this analysis go?",
            hint=f"suggested: {a.appraisal.depth_reason or suggest_depth(a)[1]}",
            field="appraisal.depth",
            default=suggested,
            choices=(
                Choice("quick", "quick pass: statement, IS facts, likely cause, how to confirm"),
                Choice("full", "full analysis: every row, distinctions, changes, cause tests"),
            ),
        ),
        lambda a: a.appraisal.depth is not None,
        set_depth,
    )


def _depth_reason_item(a: Analysis) -> Item:
    depth = a.appraisal.depth or suggested_depth(a)
    reason = a.appraisal.depth_reason
    if reason is None or suggested_depth(a) != depth:
        default = (
            "familiar, urgent ticket with a known fix"
            if depth == "quick"
            else "unfamiliar or serious: full analysis"
        )
    else:
        default = reason

    def set_reason(a: Analysis, v: Value, env: Env) -> str:
        a.appraisal.depth_reason = answer_text(v)
        return f"depth reason: {answer_text(v)}"

    return Item(
        Question(
            "appraisal.depth_reason",
            "appraisal",
            "text",
            f"Why a {depth} analysis? (it goes into the handoff)",
            hint="Enter takes the suggestion",
            field="appraisal.depth_reason",
            suggested=default,
        ),
        lambda a: False,
        set_reason,
        tracked=True,
        given=lambda a: a.appraisal.depth_reason is not None,
    )
