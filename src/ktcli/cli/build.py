"""Build an analysis without prompts: one command per kind of answer, for scripts and tests.

Each command locks the analysis, changes it, records the change in the history
and saves (``ktcli.cli.common.edit``); the ones that create something print its id.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Annotated

import typer

from ktcli.cli import context
from ktcli.cli.common import IdArg, RatingOpt, SideArg, SideOpt, default_id, edit, warn_pitfalls

if TYPE_CHECKING:
    from ktcli.core.model import Analysis
    from ktcli.core.vocabulary import ActionStatus


def create(
    ctx: typer.Context,
    title: Annotated[str, typer.Option("--title", "-t", help="A short title for the ticket.")],
    ticket: Annotated[
        str | None, typer.Option("--ticket", help="Ticket reference, e.g. INC-4711.")
    ] = None,
    analysis_id: Annotated[
        str | None,
        typer.Option("--id", help="Analysis id. Default: from the ticket, else from the date."),
    ] = None,
    impact: Annotated[
        str | None, typer.Option("--impact", help="Business impact, in the customer's terms.")
    ] = None,
) -> None:
    """Create an analysis and print its id."""
    from ktcli.core.analysis import new_analysis

    app_ctx = context.of(ctx)
    store = app_ctx.store
    now = app_ctx.now()
    new_id = analysis_id or default_id(store.ids(), ticket, now)
    path = store.path(new_id)
    from ktcli.errors import ConflictError

    with store.lock(new_id):
        if path.exists():
            raise ConflictError(
                f"analysis {new_id!r} already exists",
                hint="Pick another --id, or continue it with 'ktcli resume'.",
            )
        analysis = new_analysis(
            new_id, title, who=app_ctx.who, now=now, ticket=ticket, business_impact=impact
        )
        store.save(analysis)
    app_ctx.terminal.data(new_id + "\n")
    app_ctx.terminal.success(f"created {new_id} in {store.root}")


def statement(
    ctx: typer.Context,
    analysis_id: IdArg,
    obj: Annotated[
        str, typer.Option("--object", "-o", help="The one thing that shows the deviation.")
    ],
    deviation: Annotated[
        str, typer.Option("--deviation", "-d", help="What exactly is wrong with it.")
    ],
) -> None:
    """Set the problem statement: one object, one deviation, no cause."""
    from ktcli.core.model import Statement

    new = Statement(object=obj, deviation=deviation)

    def change(a: Analysis) -> None:
        a.statement = new

    edit(ctx, analysis_id, f"set the statement: {new.text}", change)
    warn_pitfalls(ctx, "object", obj, statement="object")
    warn_pitfalls(ctx, "deviation", deviation, statement="deviation")


def impact(
    ctx: typer.Context,
    analysis_id: IdArg,
    text: Annotated[str, typer.Argument(help="Business impact, in the customer's terms.")],
) -> None:
    """Record the business impact."""

    def change(a: Analysis) -> None:
        a.business_impact = text

    edit(ctx, analysis_id, "recorded the business impact", change)
    warn_pitfalls(ctx, "impact", text)


def concern(
    ctx: typer.Context,
    analysis_id: IdArg,
    text: Annotated[str, typer.Argument(help="The concern, in one sentence.")],
    seriousness: Annotated[RatingOpt, typer.Option(help="Impact now.")] = RatingOpt.MEDIUM,
    urgency: Annotated[RatingOpt, typer.Option(help="Time pressure.")] = RatingOpt.MEDIUM,
    growth: Annotated[RatingOpt, typer.Option(help="What happens if nothing is done.")] = (
        RatingOpt.MEDIUM
    ),
) -> None:
    """Add a concern to the appraisal, rated; its priority is derived."""
    from ktcli.core.analysis import next_id
    from ktcli.core.model import Concern

    def change(a: Analysis) -> None:
        new = Concern(
            id=next_id("k", [c.id for c in a.appraisal.concerns]),
            text=text,
            seriousness=seriousness.value,
            urgency=urgency.value,
            growth=growth.value,
        )
        a.appraisal.concerns.append(new)

    edit(ctx, analysis_id, f"added a concern: {text}", change)
    warn_pitfalls(ctx, "concern", text)


class DepthOpt(str, enum.Enum):
    """How deep the analysis goes."""

    QUICK = "quick"
    FULL = "full"


def depth(
    ctx: typer.Context,
    analysis_id: IdArg,
    level: Annotated[DepthOpt, typer.Argument(help="quick or full.")],
    reason: Annotated[str, typer.Option("--reason", "-r", help="Why this depth.")],
) -> None:
    """Choose the depth of the analysis (quick or full) and say why."""

    def change(a: Analysis) -> None:
        a.appraisal.depth = level.value
        a.appraisal.depth_reason = reason

    edit(ctx, analysis_id, f"chose a {level.value} analysis: {reason}", change)


def fact(
    ctx: typer.Context,
    analysis_id: IdArg,
    row: Annotated[str, typer.Argument(help="Row id, e.g. where-location.")],
    text: Annotated[str, typer.Argument(help="The fact.")],
    source: Annotated[str, typer.Option("--source", help="Where the fact comes from.")],
    side: SideArg = SideOpt.IS,
    verified: Annotated[
        bool, typer.Option("--verified", help="Seen first-hand, not only reported.")
    ] = False,
    evidence: Annotated[
        list[str] | None,
        typer.Option("--evidence", "-e", help="Reference to evidence; repeatable."),
    ] = None,
) -> None:
    """Answer one side of a specification row with a fact and its source."""
    from ktcli.core.analysis import set_cell
    from ktcli.core.model import Fact

    cell = Fact(
        text=text,
        source=source,
        status="verified" if verified else "reported",
        evidence=list(evidence or []),
    )
    edit(
        ctx,
        analysis_id,
        f"{row} {side.value}: {text}",
        lambda a: set_cell(a, row, "is" if side is SideOpt.IS else "is_not", cell),
    )
    warn_pitfalls(ctx, f"{row} {side.value}", text)


def not_applicable(
    ctx: typer.Context,
    analysis_id: IdArg,
    row: Annotated[str, typer.Argument(help="Row id.")],
    reason: Annotated[str, typer.Option("--reason", "-r", help="Why it does not apply.")],
    side: SideArg = SideOpt.IS,
) -> None:
    """Mark one side of a row as not applicable, with the reason."""
    from ktcli.core.analysis import set_cell
    from ktcli.core.model import NotApplicable

    cell = NotApplicable(reason=reason)
    edit(
        ctx,
        analysis_id,
        f"{row} {side.value}: not applicable ({reason})",
        lambda a: set_cell(a, row, "is" if side is SideOpt.IS else "is_not", cell),
    )


def need_data(
    ctx: typer.Context,
    analysis_id: IdArg,
    row: Annotated[str, typer.Argument(help="Row id.")],
    who: Annotated[str, typer.Option("--who", help="Who will get the data.")],
    how: Annotated[str, typer.Option("--how", help="How they will get it.")],
    side: SideArg = SideOpt.IS,
) -> None:
    """Mark one side of a row as needing more data: who gets it, and how."""
    from ktcli.core.analysis import set_cell
    from ktcli.core.model import NeedData

    cell = NeedData(who=who, how=how)
    edit(
        ctx,
        analysis_id,
        f"{row} {side.value}: need more data ({who}: {how})",
        lambda a: set_cell(a, row, "is" if side is SideOpt.IS else "is_not", cell),
    )


def distinction(
    ctx: typer.Context,
    analysis_id: IdArg,
    text: Annotated[str, typer.Argument(help="What is true of the IS and not of the IS NOT.")],
    row: Annotated[
        list[str] | None, typer.Option("--row", help="Row it comes from; repeatable.")
    ] = None,
) -> None:
    """Add a distinction, linked to the rows it comes from."""
    from ktcli.core.analysis import next_id, require_row
    from ktcli.core.model import Distinction

    def change(a: Analysis) -> None:
        for r in row or []:
            require_row(a, r)
        a.distinctions.append(
            Distinction(id=next_id("d", [d.id for d in a.distinctions]), text=text, rows=row or [])
        )

    edit(ctx, analysis_id, f"added a distinction: {text}", change)
    warn_pitfalls(ctx, "distinction", text)


def change_cmd(
    ctx: typer.Context,
    analysis_id: IdArg,
    text: Annotated[str, typer.Argument(help="What changed.")],
    when: Annotated[str, typer.Option("--when", help="When it changed (ISO time if known).")],
    distinction_id: Annotated[
        str | None, typer.Option("--distinction", help="The distinction it relates to.")
    ] = None,
    row: Annotated[
        list[str] | None, typer.Option("--row", help="Row it relates to; repeatable.")
    ] = None,
) -> None:
    """Add a change in, on, around or about a distinction, with its time."""
    from ktcli.core.analysis import next_id, require_row
    from ktcli.core.model import Change
    from ktcli.errors import NotFoundError

    def change(a: Analysis) -> None:
        for r in row or []:
            require_row(a, r)
        if distinction_id and distinction_id not in {d.id for d in a.distinctions}:
            raise NotFoundError(f"no distinction {distinction_id!r}")
        a.changes.append(
            Change(
                id=next_id("ch", [c.id for c in a.changes]),
                text=text,
                when=when,
                distinction=distinction_id,
                rows=row or [],
            )
        )

    edit(ctx, analysis_id, f"added a change: {text}", change)


class OriginOpt(str, enum.Enum):
    """Where a possible cause came from."""

    DISTINCTION = "distinction"
    CHANGE = "change"
    EXPERIENCE = "experience"
    PLAYBOOK = "playbook"


def cause(
    ctx: typer.Context,
    analysis_id: IdArg,
    text: Annotated[str, typer.Argument(help="How this could produce the deviation.")],
    origin: Annotated[OriginOpt, typer.Option(help="Where the idea comes from.")] = (
        OriginOpt.EXPERIENCE
    ),
    ref: Annotated[
        str | None, typer.Option("--ref", help="The distinction, change or playbook id.")
    ] = None,
) -> None:
    """Add a possible cause and print its id."""
    from ktcli.core.analysis import next_id
    from ktcli.core.model import Cause

    created: list[str] = []

    def change(a: Analysis) -> None:
        new_id = next_id("c", [c.id for c in a.causes])
        a.causes.append(Cause(id=new_id, text=text, origin=origin.value, origin_ref=ref))
        created.append(new_id)

    edit(ctx, analysis_id, f"added a possible cause: {text}", change)
    context.of(ctx).terminal.data(created[0] + "\n")


def run_test(
    ctx: typer.Context,
    analysis_id: IdArg,
    cause_id: Annotated[str, typer.Argument(help="Cause id, e.g. c1.")],
    row: Annotated[str, typer.Argument(help="Row id, e.g. where-location.")],
    explains: Annotated[
        str | None, typer.Option("--explains", help="It explains the row, because ...")
    ] = None,
    only_if: Annotated[
        str | None, typer.Option("--only-if", help="It explains the row only if ... (assumption)")
    ] = None,
    does_not: Annotated[
        str | None, typer.Option("--does-not-explain", help="It cannot explain the row: why.")
    ] = None,
) -> None:
    """Test a cause against one row: give exactly one of the three verdicts."""
    from ktcli.core.analysis import set_test
    from ktcli.errors import UsageError

    given = [
        (v, n)
        for v, n in (
            ("explains", explains),
            ("explains_only_if", only_if),
            ("does_not_explain", does_not),
        )
        if n is not None
    ]
    if len(given) != 1:
        raise UsageError(
            "give exactly one of --explains, --only-if, --does-not-explain",
            hint='e.g. ktcli test ID c1 where-location --explains "only EU hosts run build 42"',
        )
    verdict, note = given[0]
    edit(
        ctx,
        analysis_id,
        f"tested {cause_id} against {row}: {verdict.replace('_', ' ')}",
        lambda a: set_test(a, cause_id, row, verdict, note),  # type: ignore[arg-type]
    )


class VStatusOpt(str, enum.Enum):
    """The state of a verification step."""

    PLANNED = "planned"
    CONFIRMED = "confirmed"
    REFUTED = "refuted"


def verify(
    ctx: typer.Context,
    analysis_id: IdArg,
    cause_id: Annotated[str, typer.Argument(help="The cause this step checks.")],
    checks: Annotated[
        str | None,
        typer.Option("--checks", help="What the step checks (an assumption, the cause)."),
    ] = None,
    method: Annotated[
        str | None, typer.Option("--method", help="How: observation, data, a safe experiment.")
    ] = None,
    result: Annotated[str | None, typer.Option("--result", help="What was found.")] = None,
    status: Annotated[VStatusOpt, typer.Option(help="planned, confirmed or refuted.")] = (
        VStatusOpt.PLANNED
    ),
    step: Annotated[
        str | None, typer.Option("--step", help="Update this existing step (e.g. v1).")
    ] = None,
) -> None:
    """Plan or record a verification step for a cause; print its id."""
    from ktcli.core.analysis import next_id, require_cause, set_verification_status
    from ktcli.core.model import Verification
    from ktcli.errors import NotFoundError, UsageError

    app_ctx = context.of(ctx)
    done: list[str] = []
    notes: list[str] = []

    def change(a: Analysis) -> None:
        require_cause(a, cause_id)
        if step is not None:
            existing = next((v for v in a.verifications if v.id == step), None)
            if existing is None:
                raise NotFoundError(f"no verification step {step!r}")
            if existing.cause != cause_id:
                raise UsageError(
                    f"verification step {step} checks cause {existing.cause}, not {cause_id}",
                    hint=f"Name its own cause: ktcli verify {a.id} {existing.cause} --step {step}",
                )
            if checks:
                existing.checks = checks
            if method:
                existing.method = method
            if result is not None:
                existing.result = result
            withdrawn = set_verification_status(a, step, status.value)
            if withdrawn:
                notes.append(withdrawn)
            existing.by, existing.at = app_ctx.who, app_ctx.now()
            done.append(step)
            return
        if not checks or not method:
            raise UsageError("a new verification step needs --checks and --method")
        new_id = next_id("v", [v.id for v in a.verifications])
        a.verifications.append(
            Verification(
                id=new_id,
                cause=cause_id,
                checks=checks,
                method=method,
                result=result,
                status=status.value,
                by=app_ctx.who if status is not VStatusOpt.PLANNED else None,
                at=app_ctx.now() if status is not VStatusOpt.PLANNED else None,
            )
        )
        done.append(new_id)

    edit(ctx, analysis_id, f"verification of {cause_id}: {status.value}", change)
    for note in notes:
        app_ctx.terminal.warn(note)
    app_ctx.terminal.data(done[0] + "\n")


def confirm(
    ctx: typer.Context,
    analysis_id: IdArg,
    cause_id: Annotated[str, typer.Argument(help="The cause proven true.")],
) -> None:
    """Name the true cause; it needs at least one confirmed verification step.

    Refused while any fact contradicts the cause or a verification step refuted it.

    Example: ktcli confirm inc-4711 c1
    """
    from ktcli.core.analysis import confirm_problems, confirmed_verifications
    from ktcli.core.model import TrueCause
    from ktcli.errors import KtError

    app_ctx = context.of(ctx)

    def change(a: Analysis) -> None:
        problems = confirm_problems(a, cause_id)
        if problems:
            raise KtError(
                f"cannot confirm {cause_id}: " + "; ".join(problems),
                hint=f"Record a confirmed step: ktcli verify {a.id} {cause_id} --checks ... "
                "--method ... --result ... --status confirmed; a cause that a fact "
                "contradicts is not the true cause (see 'ktcli show').",
            )
        proofs = confirmed_verifications(a, cause_id)
        a.true_cause = TrueCause(
            cause=cause_id,
            verifications=proofs,
            confirmed_by=app_ctx.who,
            confirmed_at=app_ctx.now(),
        )

    edit(ctx, analysis_id, f"confirmed {cause_id} as the true cause", change)


class ActionKindOpt(str, enum.Enum):
    """Interim restores service, corrective removes the cause, preventive stops recurrence.

    Contingent acts when a potential problem of a protected plan happens anyway.
    """

    INTERIM = "interim"
    CORRECTIVE = "corrective"
    PREVENTIVE = "preventive"
    CONTINGENT = "contingent"


def action(
    ctx: typer.Context,
    analysis_id: IdArg,
    kind: Annotated[
        ActionKindOpt | None,
        typer.Argument(help="interim, corrective, preventive or contingent."),
    ] = None,
    text: Annotated[str | None, typer.Argument(help="What will be done.")] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="Who does it.")] = None,
    done: Annotated[bool, typer.Option("--done", help="It is (already) done.")] = False,
    trigger: Annotated[
        str | None,
        typer.Option("--trigger", help="Contingent actions: the sign that sets it off."),
    ] = None,
    action_id: Annotated[
        str | None,
        typer.Option("--id", help="Update this existing action (with --done or --started)."),
    ] = None,
    started: Annotated[bool, typer.Option("--started", help="It is in progress.")] = False,
) -> None:
    """Add an interim, corrective, preventive or contingent action.

    A contingent action (what to do if a potential problem happens anyway)
    needs --trigger; link it to the problem with 'ktcli protect act'. With --id,
    mark an existing action in progress (--started) or done (--done).

    Example: ktcli action inc-4711 corrective "raise the pool to 60" --owner ana
    """
    from ktcli.core.analysis import next_id
    from ktcli.core.model import Action
    from ktcli.errors import NotFoundError, UsageError

    app_ctx = context.of(ctx)
    if action_id is not None:
        if kind is not None or text is not None or not (done or started):
            raise UsageError(
                "--id updates an action's state: give --done or --started, and no kind or text",
                hint=f"e.g. ktcli action {analysis_id} --id a2 --done",
            )
        state: ActionStatus = "done" if done else "in_progress"

        def update(a: Analysis) -> None:
            found = next((x for x in a.actions if x.id == action_id), None)
            if found is None:
                valid = ", ".join(x.id for x in a.actions) or "none yet"
                raise NotFoundError(f"no action {action_id!r}", hint=f"Actions are: {valid}.")
            found.status = state

        edit(ctx, analysis_id, f"action {action_id}: {state.replace('_', ' ')}", update)
        return
    if kind is None or not (text or "").strip():
        raise UsageError(
            "a new action needs its kind and its text",
            hint=f'e.g. ktcli action {analysis_id} corrective "raise the pool to 60"',
        )
    if kind is ActionKindOpt.CONTINGENT and not (trigger or "").strip():
        raise UsageError(
            "a contingent action needs --trigger: the sign that sets it off",
            hint='For example: --trigger "p99 latency above 2 s for 5 minutes".',
        )
    new_id: list[str] = []

    def change(a: Analysis) -> None:
        new_id.append(next_id("a", [x.id for x in a.actions]))
        a.actions.append(
            Action(
                id=new_id[0],
                kind=kind.value,
                text=text or "",
                owner=owner,
                status="done" if done else ("in_progress" if started else "planned"),
                trigger=trigger,
            )
        )

    edit(ctx, analysis_id, f"added a {kind.value} action: {text}", change)
    app_ctx.terminal.data(new_id[0] + "\n")


def request(
    ctx: typer.Context,
    analysis_id: IdArg,
    what: Annotated[str | None, typer.Argument(help="The data asked for.")] = None,
    requested_from: Annotated[
        str | None, typer.Option("--from", help="Who is asked for it.")
    ] = None,
    received: Annotated[
        str | None,
        typer.Option("--received", help="Mark the request received, with what came back."),
    ] = None,
    request_id: Annotated[
        str | None, typer.Option("--id", help="Update this existing request (e.g. r1).")
    ] = None,
    dismiss: Annotated[
        str | None,
        typer.Option("--dismiss", help="With --id: why it is not needed after all."),
    ] = None,
) -> None:
    """Record a data request, or (with --id and --received) that its data arrived.

    With --id and --dismiss REASON, a request that turned out not to be needed
    (a playbook's evidence that does not fit this case) stops being outstanding;
    the reason stays in the handoff.

    Example: ktcli request inc-4711 "slow query log, 09:00-10:00" --from "customer DBA"
    """
    from ktcli.core.analysis import next_id
    from ktcli.core.model import DataRequest
    from ktcli.errors import NotFoundError, UsageError

    app_ctx = context.of(ctx)
    if dismiss is not None and (request_id is None or not dismiss.strip()):
        raise UsageError(
            "--dismiss needs --id and a reason",
            hint=f'e.g. ktcli request {analysis_id} --id r2 --dismiss "no JVM in this stack"',
        )
    created: list[str] = []

    def change(a: Analysis) -> None:
        now = app_ctx.now()
        if request_id is not None:
            existing = next((r for r in a.data_requests if r.id == request_id), None)
            if existing is None:
                valid = ", ".join(r.id for r in a.data_requests) or "none yet"
                raise NotFoundError(
                    f"no data request {request_id!r}", hint=f"Requests are: {valid}."
                )
            if received is not None:
                existing.received_at, existing.result = now, received
            if dismiss is not None:
                existing.dismissed = dismiss.strip()
            return
        if not what or not requested_from:
            raise UsageError("a new data request needs WHAT and --from")
        created.append(next_id("r", [r.id for r in a.data_requests]))
        a.data_requests.append(
            DataRequest(
                id=created[0],
                what=what,
                requested_from=requested_from,
                asked_at=now,
                received_at=now if received is not None else None,
                result=received,
            )
        )

    what_done = f"dismissed request {request_id}: {dismiss}" if dismiss else None
    edit(ctx, analysis_id, what_done or f"data request: {what or request_id}", change)
    if created:
        app_ctx.terminal.data(created[0] + "\n")


def question(
    ctx: typer.Context,
    analysis_id: IdArg,
    text: Annotated[str, typer.Argument(help="The open question.")],
    owner: Annotated[str | None, typer.Option("--owner", help="Who will answer it.")] = None,
) -> None:
    """Record an open question."""
    from ktcli.core.analysis import next_id
    from ktcli.core.model import OpenQuestion

    def change(a: Analysis) -> None:
        a.open_questions.append(
            OpenQuestion(id=next_id("q", [q.id for q in a.open_questions]), text=text, owner=owner)
        )

    edit(ctx, analysis_id, f"open question: {text}", change)
