"""Appraisal: business impact, the concerns, their ratings, next steps and owners, the depth.

With several concerns each gets its next step (find a cause, choose, protect a
plan, none), preselected from its wording; this analysis is about the one that
needs a cause (asked which when several do), owned by the analyst, and every
other concern is handed to an owner by name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from functools import partial

from ktcli.core.ids import next_id
from ktcli.core.language import suggest_next_step
from ktcli.core.model import Analysis, Concern, derive_priority
from ktcli.core.vocabulary import NEXT_STEP_LABELS, RATINGS, Rating
from ktcli.session.depth import suggest_depth, suggested_depth
from ktcli.session.items import COMPLETE, Checked, Env, Item, answer_text, retext
from ktcli.session.questions import ALL_CHECKS, Choice, Depth, Question, Value
from ktcli.session.wording import FACTORS


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
        yield from _next_steps(a)
        yield from _focus(a)
        yield from _owners(a)
        yield _factors_item(a)
    if a.appraisal.depth is None:
        yield _depth_item(a)
    yield _depth_reason_item(a)


def _concerns(a: Analysis) -> Iterator[Item]:
    for concern in a.appraisal.concerns:
        yield _ratings_item(concern)

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
            MORE,
            "appraisal",
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


#: The loop that lists the concerns; its id in ``progress`` means the list is complete.
MORE = "appraisal.more"
#: The three ratings of a concern, in the order one answer gives them.
RATED = ("seriousness", "urgency", "growth")
RATINGS_REFUSED = (
    "Three ratings, each h, m or l (high, medium, low): seriousness, urgency, growth. "
    "For example: h h m"
)


def read_ratings(text: str) -> tuple[Rating, Rating, Rating] | None:
    """Seriousness, urgency and growth from one answer ("h h m", "hhm", "high, high, medium")."""
    words = [w for w in re.split(r"[\s,/;]+", text.strip().lower()) if w]
    if len(words) == 1 and len(words[0]) == len(RATED):
        words = list(words[0])
    ratings = [r for w in words for r in RATINGS if r.startswith(w)]
    if len(words) != len(RATED) or len(ratings) != len(RATED):
        return None
    s, u, g = ratings
    return s, u, g


def _check_ratings(text: str, now: datetime) -> Checked:
    ratings = read_ratings(text)
    if ratings is None:
        return Checked(text, problem=RATINGS_REFUSED)
    return Checked(" ".join(ratings))


def _ratings_item(concern: Concern) -> Item:
    """A concern's seriousness, urgency and growth: one answer, the three in a row."""

    def rate(a: Analysis, v: Value, env: Env, k: str = concern.id) -> str:
        ratings = read_ratings(answer_text(v))
        if ratings is None:
            return ""
        c = next(c for c in a.appraisal.concerns if c.id == k)
        c.seriousness, c.urgency, c.growth = ratings
        c.priority = derive_priority(c.seriousness, c.urgency, c.growth)
        said = ", ".join(f"{name} {r}" for name, r in zip(RATED, ratings, strict=True))
        return f"rated concern {k}: {said}"

    now = " ".join(getattr(concern, r)[0] for r in RATED)
    return Item(
        Question(
            f"appraisal.{concern.id}.ratings",
            "appraisal",
            "text",
            "How serious is it now, how urgent, how fast does it grow? (h / m / l each)",
            hint="seriousness: the impact now · urgency: the time pressure · "
            "growth: what happens if nothing is done; for example hhm or h h m",
            context=(f"Concern {concern.id}: {concern.text}",),
            field=f"appraisal.concerns.{concern.id}.seriousness",
            suggested=now,
        ),
        lambda a: False,
        rate,
        tracked=True,
        given=lambda a: True,
        check=_check_ratings,
    )


def _listed(a: Analysis) -> bool:
    """The list of concerns is complete: its loop was ended (or the session was)."""
    return MORE in a.progress or COMPLETE in a.progress


def _next_steps(a: Analysis) -> Iterator[Item]:
    """With more than one concern: what each needs next, the wording's suggestion preselected.

    One concern is the problem this session analyses; with several, only those
    that need a cause found compete for this analysis (see ``_focus``).
    """
    if len(a.appraisal.concerns) < 2 or not _listed(a):
        return
    for concern in a.appraisal.concerns:

        def set_step(a: Analysis, v: Value, env: Env, k: str = concern.id) -> str:
            c = next(c for c in a.appraisal.concerns if c.id == k)
            step = answer_text(v)
            c.next_step = next((n for n in NEXT_STEP_LABELS if n == step), "problem_analysis")
            said = f"concern {k} needs next: {NEXT_STEP_LABELS[c.next_step]}"
            others = [o for o in a.appraisal.concerns if o.id != k]
            need = _needing_a_cause(a)
            if len(need) == 1 and all(_step_asked(a, o) for o in others):
                # The last step known, one concern needs a cause: this analysis is about it.
                need[0].owner = need[0].owner or env.who
                said += f"; this analysis is about concern {need[0].id}"
            return said

        yield Item(
            Question(
                f"appraisal.{concern.id}.next_step",
                "appraisal",
                "choice",
                "What does this concern need next?",
                hint="a cause to find is this session's work; the others get an owner",
                field=f"appraisal.concerns.{concern.id}.next_step",
                context=(f"Concern {concern.id}: {concern.text}",),
                default=_step_offered(concern),
                choices=NEXT_STEPS,
            ),
            lambda a: False,
            set_step,
            tracked=True,
            given=lambda a: True,
        )


#: The next steps as the appraisal offers them.
NEXT_STEPS = (
    Choice("problem_analysis", "find the cause (Problem Analysis)"),
    Choice("decision_analysis", "choose between options (Decision Analysis)"),
    Choice("potential_problem_analysis", "protect a plan (Potential Problem Analysis)"),
    Choice("none", "no analysis: someone just does it"),
)


def _step_offered(concern: Concern) -> str:
    """The step recorded when it is not the default, else the one its wording suggests."""
    if concern.next_step != "problem_analysis":
        return concern.next_step
    return suggest_next_step(concern.text)


def _steps_known(a: Analysis) -> bool:
    """Every concern's next step is known: asked (or given) for each, or one concern alone."""
    if not _listed(a):
        return False
    concerns = a.appraisal.concerns
    return len(concerns) < 2 or all(_step_asked(a, c) or COMPLETE in a.progress for c in concerns)


def _step_asked(a: Analysis, concern: Concern) -> bool:
    """The concern's next step was asked (or given) in this analysis."""
    return f"appraisal.{concern.id}.next_step" in a.progress


#: Asked when several concerns need a cause: which one this analysis is about.
FOCUS = "appraisal.focus"


def _needing_a_cause(a: Analysis) -> list[Concern]:
    return [c for c in a.appraisal.concerns if c.next_step == "problem_analysis"]


def _focus(a: Analysis) -> Iterator[Item]:
    """With several concerns that need a cause: which one is analysed here.

    The one chosen moves to the front of the concerns (the first concern needing a
    cause is the one this analysis is about) and gets the analyst as owner.
    """
    need = _needing_a_cause(a)
    if len(need) < 2 or not _steps_known(a):
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


def _owners(a: Analysis) -> Iterator[Item]:
    """With several concerns: the analyst owns the one analysed here; who takes each other.

    Each concern keeps one owner (the method: one concern, one owner), so a
    decision, a protection or a plain task is handed to someone by name.
    """
    concerns = a.appraisal.concerns
    if len(concerns) < 2 or not _steps_known(a):
        return
    need = _needing_a_cause(a)
    if len(need) > 1 and FOCUS not in a.progress and COMPLETE not in a.progress:
        return
    here = need[0] if need else None
    for other in concerns:
        if other is here:
            continue

        def take(a: Analysis, v: Value, env: Env, k: str = other.id) -> str:
            c = next(c for c in a.appraisal.concerns if c.id == k)
            c.owner = answer_text(v)
            return f"concern {k} is taken by {c.owner}"

        about = f"this analysis is about {here.id}" if here else "no concern here needs a cause"
        yield Item(
            Question(
                f"appraisal.{other.id}.owner",
                "appraisal",
                "text",
                "Who takes this concern? (a name or a team)",
                hint=f"it is not part of this analysis: {about}",
                field=f"appraisal.concerns.{other.id}.owner",
                context=(
                    f"Concern {other.id}: {other.text}",
                    f"next: {NEXT_STEP_LABELS[other.next_step]}",
                ),
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
            "Which of these apply?",
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
