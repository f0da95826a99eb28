"""Appraisal: business impact, the concerns and their ratings, the depth and why."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from ktcli.core.analysis import next_id
from ktcli.core.model import Analysis, Concern, derive_priority
from ktcli.session.depth import suggest_depth, suggested_depth
from ktcli.session.items import COMPLETE, Env, Item, answer_text, retext
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
        yield from _focus(a)
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


#: Asked when several concerns need a cause: which one this analysis is about.
FOCUS = "appraisal.focus"


def _needing_a_cause(a: Analysis) -> list[Concern]:
    return [c for c in a.appraisal.concerns if c.next_step == "problem_analysis"]


def _focus(a: Analysis) -> Iterator[Item]:
    """With several concerns that need a cause: which one is analysed here, who takes the others.

    The one chosen moves to the front of the concerns (the first concern needing a
    cause is the one this analysis is about) and gets the analyst as owner; each
    of the others stays a concern of its own, with the owner the analyst names.
    """
    need = _needing_a_cause(a)
    if len(need) < 2:
        return

    def choose(a: Analysis, v: Value, env: Env) -> str:
        concerns = a.appraisal.concerns
        chosen = next((c for c in concerns if c.id == answer_text(v)), _needing_a_cause(a)[0])
        concerns.remove(chosen)
        concerns.insert(0, chosen)
        chosen.owner = chosen.owner or env.who
        return f"this analysis is about concern {chosen.id}: {chosen.text}"

    yield Item(
        Question(
            FOCUS,
            "appraisal",
            "choice",
            "Several concerns need a cause. Which one is this analysis about?",
            hint="each of the others stays a concern of its own, with its own owner",
            field="appraisal.concerns",
            default=need[0].id,
            choices=tuple(Choice(c.id, f"{c.id}: {c.text}") for c in need),
        ),
        lambda a: False,
        choose,
        tracked=True,
        given=lambda a: all(c.owner for c in _needing_a_cause(a)),
    )
    if FOCUS not in a.progress and COMPLETE not in a.progress:
        return
    for other in need[1:]:

        def take(a: Analysis, v: Value, env: Env, k: str = other.id) -> str:
            c = next(c for c in a.appraisal.concerns if c.id == k)
            c.owner = answer_text(v)
            return f"concern {k} is taken by {c.owner}"

        yield Item(
            Question(
                f"appraisal.{other.id}.owner",
                "appraisal",
                "text",
                "Who takes this concern? (a name or a team)",
                hint=f"it is not part of this analysis, which is about {need[0].id}",
                field=f"appraisal.concerns.{other.id}.owner",
                context=(f"Concern {other.id}: {other.text}",),
                default=other.owner,
            ),
            partial(_has_owner, concern=other.id),
            take,
        )


def _has_owner(a: Analysis, *, concern: str) -> bool:
    return any(c.id == concern and c.owner for c in a.appraisal.concerns)


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
