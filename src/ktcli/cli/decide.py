"""Commands of deciding and acting: ``ktcli decide ...`` and ``ktcli protect ...``, no prompts.

Each subcommand locks the analysis, changes its decision or protection, records
the change and saves (``ktcli.cli.common.edit``); those that add something print
its id on stdout, so a script can build both analyses. The rules are in
``ktcli.core.deciding``; see docs/decide-and-protect.md.
"""

from __future__ import annotations

import enum
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from ktcli.cli import context
from ktcli.cli.common import IdArg, RatingOpt, edit, edit_adding, fold_sub_id, warn_pitfalls

if TYPE_CHECKING:
    from ktcli.core.model import Analysis


class _GuidedGroup(TyperGroup):
    """``ktcli decide ID`` (an id, not a subcommand) runs ``ktcli decide guide ID``."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and not args[0].startswith("-") and args[0] not in self.commands:
            args = ["guide", *args]
        return super().parse_args(ctx, args)


decide_app = typer.Typer(
    cls=_GuidedGroup,
    help="Decision Analysis: MUSTs screen the options, weighted WANTs rank them, then choose.\n\n"
    "At a terminal, 'ktcli decide ID' asks the whole decision step by step.",
    no_args_is_help=True,
    add_completion=False,
)
protect_app = typer.Typer(
    cls=_GuidedGroup,
    help="Potential Problem Analysis: protect a plan with preventive and contingent actions.\n\n"
    "At a terminal, 'ktcli protect ID' asks the whole protection step by step.",
    no_args_is_help=True,
    add_completion=False,
)

TextArg = Annotated[str, typer.Argument(help="The text, in one sentence.", show_default=False)]
OptionArg = Annotated[
    str, typer.Argument(help="Option id, e.g. o1.", show_default=False, callback=fold_sub_id)
]
ConcernOpt = Annotated[
    str | None,
    typer.Option(
        "--concern", help="The appraisal concern it answers, e.g. k2.", callback=fold_sub_id
    ),
]
ProbabilityOpt = Annotated[RatingOpt, typer.Option("--probability", "-p", help="How likely.")]
SeriousnessOpt = Annotated[RatingOpt, typer.Option("--seriousness", "-s", help="How harmful.")]


def _concern(a: Analysis, concern: str | None) -> None:
    from ktcli.errors import NotFoundError

    if concern is not None and concern not in {c.id for c in a.appraisal.concerns}:
        valid = ", ".join(c.id for c in a.appraisal.concerns) or "none yet"
        raise NotFoundError(f"no concern {concern!r}", hint=f"Concerns are: {valid}.")


# -- Decision Analysis -----------------------------------------------------------------------


@decide_app.command("statement")
def statement(
    ctx: typer.Context, analysis_id: IdArg, text: TextArg, concern: ConcernOpt = None
) -> None:
    """Set the decision statement: what is being chosen, and to what end.

    Example: ktcli decide statement inc-4711 "Choose what to roll back"
    """
    from ktcli.core.deciding import decision_of

    def change(a: Analysis) -> None:
        _concern(a, concern)
        d = decision_of(a)
        d.statement = text
        if concern is not None:
            d.concern = concern

    edit(ctx, analysis_id, f"set the decision statement: {text}", change)
    warn_pitfalls(ctx, "decision statement", text)


@decide_app.command("must")
def must(ctx: typer.Context, analysis_id: IdArg, text: TextArg) -> None:
    """Add a MUST: mandatory, measurable, realistic; an option that fails it is out.

    Example: ktcli decide must inc-4711 "p99 order creation below 1 s"
    """
    from ktcli.core.deciding import decision_of
    from ktcli.core.ids import next_id
    from ktcli.core.model import Must

    def add(a: Analysis) -> str:
        d = decision_of(a)
        d.musts.append(Must(id=next_id("m", [m.id for m in d.musts]), text=text))
        return d.musts[-1].id

    edit_adding(ctx, analysis_id, f"added a MUST: {text}", add)
    warn_pitfalls(ctx, "MUST", text, causal=False)  # "must be below 1 s" is no guessed cause


@decide_app.command("want")
def want(
    ctx: typer.Context,
    analysis_id: IdArg,
    text: TextArg,
    weight: Annotated[
        int, typer.Option("--weight", "-w", min=1, max=10, help="How much it matters, 1-10.")
    ],
) -> None:
    """Add a WANT, weighted 1-10 by how much it matters.

    Example: ktcli decide want inc-4711 "Keeps the other fixes" --weight 8
    """
    from ktcli.core.deciding import decision_of
    from ktcli.core.ids import next_id
    from ktcli.core.model import Want

    def add(a: Analysis) -> str:
        d = decision_of(a)
        d.wants.append(Want(id=next_id("w", [w.id for w in d.wants]), text=text, weight=weight))
        return d.wants[-1].id

    edit_adding(ctx, analysis_id, f"added a WANT ({weight}): {text}", add)
    warn_pitfalls(ctx, "WANT", text, causal=False)


@decide_app.command("option")
def option(ctx: typer.Context, analysis_id: IdArg, text: TextArg) -> None:
    """Add an option to choose from.

    Example: ktcli decide option inc-4711 "Revert only the pool setting"
    """
    from ktcli.core.deciding import decision_of
    from ktcli.core.ids import next_id
    from ktcli.core.model import Option

    def add(a: Analysis) -> str:
        d = decision_of(a)
        d.options.append(Option(id=next_id("o", [o.id for o in d.options]), text=text))
        return d.options[-1].id

    edit_adding(ctx, analysis_id, f"added an option: {text}", add)
    warn_pitfalls(ctx, "option", text)


class ScreenResult(str, enum.Enum):
    """An option against a MUST."""

    PASS = "pass"  # noqa: S105 - a verdict, not a password
    FAIL = "fail"


@decide_app.command("screen")
def screen(
    ctx: typer.Context,
    analysis_id: IdArg,
    option_id: OptionArg,
    must_id: Annotated[
        str, typer.Argument(help="MUST id, e.g. m1.", show_default=False, callback=fold_sub_id)
    ],
    result: Annotated[ScreenResult, typer.Argument(help="pass or fail.", show_default=False)],
    fact: Annotated[str, typer.Option("--fact", "-f", help="The fact that says so.")],
) -> None:
    """Screen an option against a MUST: pass or fail, with the fact.

    Example: ktcli decide screen inc-4711 o3 m1 fail --fact "back in 20 min"
    """
    from ktcli.core.deciding import decision_of, require_objective, require_option
    from ktcli.core.model import Screen

    def change(a: Analysis) -> None:
        d = decision_of(a)
        opt = require_option(d, option_id)
        require_objective(d, must_id, "MUST")
        opt.screens[must_id] = Screen(passes=result is ScreenResult.PASS, fact=fact)
        if result is ScreenResult.FAIL:
            # Out is out: scores and risks of a screened-out option would only mislead.
            opt.scores.clear()
            opt.risks.clear()

    edit(ctx, analysis_id, f"screened {option_id} against {must_id}: {result.value}", change)
    warn_pitfalls(ctx, "fact", fact)


@decide_app.command("score")
def score(
    ctx: typer.Context,
    analysis_id: IdArg,
    option_id: OptionArg,
    want_id: Annotated[
        str, typer.Argument(help="WANT id, e.g. w1.", show_default=False, callback=fold_sub_id)
    ],
    value: Annotated[int, typer.Argument(min=1, max=10, help="How well it meets the WANT, 1-10.")],
    fact: Annotated[str, typer.Option("--fact", "-f", help="The fact behind the score.")],
) -> None:
    """Score an option against a WANT, 1-10, with the fact behind the score.

    Example: ktcli decide score inc-4711 o2 w1 10 --fact "keeps 14 fixes"
    """
    from ktcli.core.deciding import (
        decision_of,
        refuse_out_option,
        require_objective,
        require_option,
    )
    from ktcli.core.model import Score

    def change(a: Analysis) -> None:
        d = decision_of(a)
        opt = require_option(d, option_id)
        require_objective(d, want_id, "WANT")
        refuse_out_option(d, opt, "score")
        opt.scores[want_id] = Score(score=value, fact=fact)

    edit(ctx, analysis_id, f"scored {option_id} against {want_id}: {value}", change)
    warn_pitfalls(ctx, "fact", fact)


@decide_app.command("risk")
def risk(
    ctx: typer.Context,
    analysis_id: IdArg,
    option_id: OptionArg,
    text: TextArg,
    probability: ProbabilityOpt,
    seriousness: SeriousnessOpt,
) -> None:
    """Record what could go wrong if an option is chosen, rated.

    Example: ktcli decide risk inc-4711 o1 "TLS bug returns" -p medium -s high
    """
    from ktcli.core.deciding import decision_of, refuse_out_option, require_option
    from ktcli.core.model import Risk

    def change(a: Analysis) -> None:
        d = decision_of(a)
        opt = require_option(d, option_id)
        refuse_out_option(d, opt, "weigh")
        opt.risks.append(
            Risk(text=text, probability=probability.value, seriousness=seriousness.value)
        )

    edit(ctx, analysis_id, f"added a risk to {option_id}: {text}", change)
    warn_pitfalls(ctx, "risk", text)


@decide_app.command("choose")
def choose(
    ctx: typer.Context,
    analysis_id: IdArg,
    option_id: OptionArg,
    reason: Annotated[
        str | None,
        typer.Option("--reason", "-r", help="Why; required when it is not the top score."),
    ] = None,
) -> None:
    """Record the choice and why; a choice that is not the top score needs --reason.

    Example: ktcli decide choose inc-4711 o2 --reason "top score, low risk"
    """
    from ktcli.core.deciding import decision_of, refuse_out_option, require_option, top_option
    from ktcli.core.model import Choice
    from ktcli.errors import UsageError

    app_ctx = context.of(ctx)

    def change(a: Analysis) -> None:
        d = decision_of(a)
        opt = require_option(d, option_id)
        refuse_out_option(d, opt, "choose")
        top = top_option(d)
        if (top is None or top.option.id != option_id) and not (reason or "").strip():
            best = f"{top.option.id} has the top score ({top.total})" if top else "a tie at the top"
            raise UsageError(
                f"{option_id} is not the top score: {best}",
                hint="Say why you choose it with --reason.",
            )
        d.choice = Choice(option=option_id, reason=reason, by=app_ctx.who, at=app_ctx.now())

    edit(ctx, analysis_id, f"chose {option_id}", change)
    if reason:
        warn_pitfalls(ctx, "reason", reason)


# -- Potential Problem Analysis -----------------------------------------------------------------


@protect_app.command("plan")
def plan(ctx: typer.Context, analysis_id: IdArg, text: TextArg, concern: ConcernOpt = None) -> None:
    """Name the plan to protect, in one sentence.

    Example: ktcli protect plan inc-4711 "Roll out the revert by Black Friday"
    """
    from ktcli.core.deciding import protection_of

    def change(a: Analysis) -> None:
        _concern(a, concern)
        p = protection_of(a)
        p.plan = text
        if concern is not None:
            p.concern = concern

    edit(ctx, analysis_id, f"set the plan: {text}", change)
    warn_pitfalls(ctx, "plan", text)


@protect_app.command("step")
def step(ctx: typer.Context, analysis_id: IdArg, text: TextArg) -> None:
    """Add a step of the plan, in order.

    Example: ktcli protect step inc-4711 "Apply the revert in eu-west-1"
    """
    from ktcli.core.deciding import protection_of
    from ktcli.core.ids import next_id
    from ktcli.core.model import PlanStep

    def add(a: Analysis) -> str:
        p = protection_of(a)
        p.steps.append(PlanStep(id=next_id("s", [s.id for s in p.steps]), text=text))
        return p.steps[-1].id

    edit_adding(ctx, analysis_id, f"added a plan step: {text}", add)
    warn_pitfalls(ctx, "step", text)


@protect_app.command("problem")
def problem(
    ctx: typer.Context,
    analysis_id: IdArg,
    step_id: Annotated[
        str, typer.Argument(help="Plan step id, e.g. s1.", show_default=False, callback=fold_sub_id)
    ],
    text: TextArg,
    probability: ProbabilityOpt,
    seriousness: SeriousnessOpt,
    cause: Annotated[
        list[str] | None, typer.Option("--cause", "-c", help="A likely cause; repeat for more.")
    ] = None,
) -> None:
    """Add a potential problem to a step, rated, with its likely causes.

    Example: ktcli protect problem inc-4711 s1 "Pool exhausted" -p medium -s high
    """
    from ktcli.core.deciding import potential_problems, protection_of, require_step
    from ktcli.core.ids import next_id
    from ktcli.core.model import PotentialProblem

    causes = cause or []

    def add(a: Analysis) -> str:
        p = protection_of(a)
        where = require_step(p, step_id)
        new = PotentialProblem(
            id=next_id("p", [pp.id for _, pp in potential_problems(p)]),
            text=text,
            probability=probability.value,
            seriousness=seriousness.value,
            causes=causes,
        )
        where.problems.append(new)
        return new.id

    edit_adding(ctx, analysis_id, f"added a potential problem to {step_id}: {text}", add)
    for i, value in enumerate([text, *causes]):
        warn_pitfalls(ctx, "potential problem" if i == 0 else "likely cause", value)


class GuardKind(str, enum.Enum):
    """Preventive makes a problem less likely; contingent makes it less harmful."""

    PREVENTIVE = "preventive"
    CONTINGENT = "contingent"


@protect_app.command("act")
def act(
    ctx: typer.Context,
    analysis_id: IdArg,
    problem_id: Annotated[
        str,
        typer.Argument(
            help="Potential problem id, e.g. p1.", show_default=False, callback=fold_sub_id
        ),
    ],
    kind: Annotated[GuardKind, typer.Argument(help="preventive or contingent.")],
    text: TextArg,
    trigger: Annotated[
        str | None, typer.Option("--trigger", "-t", help="Contingent: the sign that sets it off.")
    ] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="Who does it.")] = None,
) -> None:
    """Add a preventive or contingent action against a potential problem; print its id.

    The action joins the analysis's actions. A contingent action needs --trigger.

    Example: ktcli protect act inc-4711 p1 contingent "Scale out" -t "pending>5"
    """
    from ktcli.core.deciding import protection_of, require_problem
    from ktcli.core.ids import next_id
    from ktcli.core.model import Action
    from ktcli.errors import UsageError

    if kind is GuardKind.CONTINGENT and not (trigger or "").strip():
        raise UsageError(
            "a contingent action needs --trigger: the sign that sets it off",
            hint='For example: --trigger "p99 latency above 2 s for 5 minutes".',
        )

    def add(a: Analysis) -> str:
        target = require_problem(protection_of(a), problem_id)
        new = Action(
            id=next_id("a", [x.id for x in a.actions]),
            kind=kind.value,
            text=text,
            owner=owner,
            trigger=trigger if kind is GuardKind.CONTINGENT else None,
        )
        a.actions.append(new)
        target.actions.append(new.id)
        return new.id

    edit_adding(ctx, analysis_id, f"added a {kind.value} action against {problem_id}: {text}", add)
    for value in (text, trigger or ""):
        if value:
            warn_pitfalls(ctx, "action", value)


# -- the guided decision -------------------------------------------------------------------------


@decide_app.command("guide")
def guide(ctx: typer.Context, analysis_id: IdArg) -> None:
    """Ask the decision step by step at a terminal; 'ktcli decide ID' does the same.

    Statement, MUSTs, WANTs and weights, options screened and scored, the
    leaders' risks, the choice and why; every answer is saved as you go.

    Example: ktcli decide guide inc-4711 (or simply: ktcli decide inc-4711)
    """
    from ktcli.core.analysis import ensure_open
    from ktcli.core.deciding import decision_of

    app_ctx = context.of(ctx)
    store = app_ctx.store
    with store.lock(analysis_id):
        analysis = store.load(analysis_id)
        ensure_open(analysis)
        d = decision_of(analysis)
        if d.concern is None:
            # The appraisal routed a concern here: the decision answers it.
            routed = [
                c.id for c in analysis.appraisal.concerns if c.next_step == "decision_analysis"
            ]
            d.concern = routed[0] if routed else None
        _run_section(app_ctx, analysis, "decide", f"ktcli decide {analysis_id}")


@protect_app.command("guide")
def protect_guide(ctx: typer.Context, analysis_id: IdArg) -> None:
    """Ask the protection step by step at a terminal; 'ktcli protect ID' does the same.

    The plan, its steps, what could go wrong in each, rated; for each serious
    potential problem its likely causes, preventive and contingent actions,
    each contingent action's trigger and owner.

    Example: ktcli protect guide inc-4711 (or simply: ktcli protect inc-4711)
    """
    from ktcli.core.analysis import ensure_open
    from ktcli.core.deciding import protection_of

    app_ctx = context.of(ctx)
    store = app_ctx.store
    with store.lock(analysis_id):
        analysis = store.load(analysis_id)
        ensure_open(analysis)
        p = protection_of(analysis)
        if p.concern is None:
            routed = [
                c.id
                for c in analysis.appraisal.concerns
                if c.next_step == "potential_problem_analysis"
            ]
            p.concern = routed[0] if routed else None
        _run_section(app_ctx, analysis, "protect", f"ktcli protect {analysis_id}")


def _run_section(app_ctx: Any, analysis: Analysis, section: str, again: str) -> None:
    """Ask one section; without a terminal list what it would ask (exit 1); Ctrl-C keeps all."""
    from ktcli.errors import InterruptedSession, MissingAnswers
    from ktcli.session import engine
    from ktcli.session.items import answered

    store, term = app_ctx.store, app_ctx.terminal
    store.save(analysis)
    if not (_stdin_is_terminal() and app_ctx.may_prompt()):
        from ktcli.session.catalogue import items

        todo = [i.question for i in items(analysis) if i.question.section == section
                and not answered(analysis, i)]  # fmt: skip
        for q in todo:
            term.info(f"  {q.field or q.id}: {q.text}")
        raise MissingAnswers(
            f"{app_ctx.why_not_asked}; {analysis.id}: the {section} section has questions left",
            hint=f"Run '{again}' in a terminal, or use its subcommands (see '--help').",
        )
    from ktcli.ui.prompts import QuestionaryPrompter

    store.prime(analysis)
    term.info(f"{analysis.id}: every answer is saved as you go.")
    try:
        outcome = engine.run(analysis, QuestionaryPrompter.on_stderr(), store.save,
                             who=app_ctx.who, clock=app_ctx.now, only=section)  # fmt: skip
    except KeyboardInterrupt:
        store.save(analysis)
        raise InterruptedSession(
            f"stopped; everything answered is saved in {analysis.id}", hint=f"Resume with: {again}"
        ) from None
    term.success(f"saved {analysis.id}")
    if not outcome.complete:
        term.info(f"Continue with: {again}")
    term.info(f"See it with: ktcli export {analysis.id} --format markdown")


def _stdin_is_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):
        return False
