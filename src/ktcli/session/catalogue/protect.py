"""Potential Problem Analysis, guided: the plan, its steps, what could go wrong in each.

Asked only once the analysis holds a protection (``ktcli protect ID`` starts
one). Each potential problem is rated; a serious one is asked for its likely
causes, preventive actions and contingent actions, each contingent action for
its trigger and owner. The actions join the analysis's actions.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from ktcli.core import deciding
from ktcli.core.ids import next_id
from ktcli.core.model import Action, Analysis, PlanStep, PotentialProblem, Protection
from ktcli.session.items import Env, Item, answer_text
from ktcli.session.questions import ALL_CHECKS, NO_CAUSAL, Question, Value
from ktcli.session.wording import RATINGS

SEC = "protect"


def iter_items(a: Analysis) -> Iterator[Item]:
    """Every question of the protection, for the plan as it stands."""
    p = a.protection
    if p is None:
        return
    yield _plan(p)
    yield _loop("step", "A step of the plan, in order (Enter when there are no more)", (),
                lambda a, text: _add_step(_protection(a), text))  # fmt: skip
    for step in p.steps:
        yield _loop(f"{step.id}.problem", "What could go wrong in this step? (Enter when nothing)",
                    (f"Step {step.id}: {step.text}",),
                    partial(_add_problem, sid=step.id))  # fmt: skip
        for problem in step.problems:
            yield from _problem(a, problem)


def _protection(a: Analysis) -> Protection:
    assert a.protection is not None
    return a.protection


def _plan(p: Protection) -> Item:
    def apply(a: Analysis, v: Value, env: Env) -> str:
        _protection(a).plan = answer_text(v)
        return f"set the plan: {answer_text(v)}"

    return Item(
        Question("protect.plan", SEC, "text", "Which plan is to be protected?",
                 hint="e.g. 'roll the pool revert out, then carry Black Friday traffic on it'",
                 field="protection.plan", default=p.plan, checks=NO_CAUSAL),
        lambda a: bool(_protection(a).plan),
        apply,
    )  # fmt: skip


def _add_step(p: Protection, text: str) -> str:
    p.steps.append(PlanStep(id=next_id("s", [s.id for s in p.steps]), text=text))
    return f"added a plan step: {text}"


def _add_problem(a: Analysis, text: str, *, sid: str) -> str:
    p = _protection(a)
    step_id = sid
    step = deciding.require_step(p, step_id)
    new = PotentialProblem(
        id=next_id("p", [pp.id for _, pp in deciding.potential_problems(p)]),
        text=text,
        probability="medium",
        seriousness="medium",
    )
    step.problems.append(new)
    return f"added a potential problem to {step_id}: {text}"


def _loop(key: str, text: str, context: tuple[str, ...], add: object) -> Item:
    def apply(a: Analysis, v: Value, env: Env) -> str:
        return add(a, answer_text(v)) if answer_text(v) else ""  # type: ignore[operator]

    return Item(
        Question(f"protect.{key}", SEC, "text", text, context=context, field="protection",
                 required=False, checks=ALL_CHECKS),
        lambda a: False,
        apply,
        tracked=True,
        loop=True,
    )  # fmt: skip


def _problem(a: Analysis, pp: PotentialProblem) -> Iterator[Item]:
    context = (f"Potential problem {pp.id}: {pp.text}",)
    for rating in ("probability", "seriousness"):

        def rate(a: Analysis, v: Value, env: Env, pid: str = pp.id, r: str = rating) -> str:
            setattr(deciding.require_problem(_protection(a), pid), r, answer_text(v))
            return f"rated {pid}: {r} {answer_text(v)}"

        yield Item(
            Question(f"protect.{pp.id}.{rating}", SEC, "choice", f"Its {rating}?",
                     choices=RATINGS, default=getattr(pp, rating), context=context),
            lambda a: False,
            rate,
            tracked=True,
        )  # fmt: skip
    if f"protect.{pp.id}.seriousness" not in a.progress or not deciding.is_serious(pp):
        return
    yield _loop(f"{pp.id}.cause", "A likely cause of it? (Enter when no more)", context,
                lambda a, text, pid=pp.id: _add_cause(a, pid, text))  # fmt: skip
    for kind, text in (
        ("preventive", "A preventive action: what makes it less likely? (Enter when no more)"),
        ("contingent", "A contingent action: what limits the harm if it happens? (Enter: none)"),
    ):
        yield _loop(f"{pp.id}.{kind}", text, context,
                    lambda a, t, pid=pp.id, k=kind: _add_action(a, pid, k, t))  # fmt: skip
    for action in deciding.problem_actions(a, pp):
        if action.kind == "contingent":
            yield from _contingent(action)


def _add_cause(a: Analysis, pid: str, text: str) -> str:
    deciding.require_problem(_protection(a), pid).causes.append(text)
    return f"a likely cause of {pid}: {text}"


def _add_action(a: Analysis, pid: str, kind: str, text: str) -> str:
    new = Action(id=next_id("a", [x.id for x in a.actions]), kind=kind, text=text)  # type: ignore[arg-type]
    a.actions.append(new)
    deciding.require_problem(_protection(a), pid).actions.append(new.id)
    return f"added a {kind} action against {pid}: {text}"


def _has(a: Analysis, *, aid: str, what: str) -> bool:
    return any(x.id == aid and getattr(x, what) for x in a.actions)


def _contingent(action: Action) -> Iterator[Item]:
    context = (f"Contingent action {action.id}: {action.text}",)

    def trigger(a: Analysis, v: Value, env: Env, aid: str = action.id) -> str:
        next(x for x in a.actions if x.id == aid).trigger = answer_text(v) or None
        return f"trigger of {aid}: {answer_text(v)}"

    def owner(a: Analysis, v: Value, env: Env, aid: str = action.id) -> str:
        next(x for x in a.actions if x.id == aid).owner = answer_text(v) or None
        return f"owner of {aid}: {answer_text(v) or 'none'}"

    yield Item(
        Question(f"protect.{action.id}.trigger", SEC, "text",
                 "What sign sets it off?", hint="e.g. 'p99 above 2 s for 5 minutes'",
                 context=context, field=f"actions.{action.id}.trigger", checks=ALL_CHECKS),
        partial(_has, aid=action.id, what="trigger"),
        trigger,
    )  # fmt: skip
    yield Item(
        Question(f"protect.{action.id}.owner", SEC, "text", "Who acts on it?", context=context,
                 field=f"actions.{action.id}.owner", default=action.owner, required=False),
        partial(_has, aid=action.id, what="owner"),
        owner,
        tracked=True,
    )  # fmt: skip
