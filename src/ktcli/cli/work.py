"""The work after the cause, without prompts: actions, data requests, open questions.

Each command locks the analysis, changes it, records the change in the history
and saves (``ktcli.cli.common.edit``); the ones that create something print its id.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Annotated

import typer

from ktcli.cli import context
from ktcli.cli.common import IdArg, edit, edit_adding, fold_sub_id

if TYPE_CHECKING:
    from ktcli.core.model import Analysis
    from ktcli.core.vocabulary import ActionStatus


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
        typer.Option(
            "--id",
            help="Update this existing action (with --done or --started).",
            callback=fold_sub_id,
        ),
    ] = None,
    started: Annotated[bool, typer.Option("--started", help="It is in progress.")] = False,
) -> None:
    """Add an interim, corrective, preventive or contingent action.

    A contingent action (what to do if a potential problem happens anyway)
    needs --trigger; link it to the problem with 'ktcli protect act'. With --id,
    mark an existing action in progress (--started) or done (--done).
    """
    from ktcli.core.ids import next_id
    from ktcli.core.model import Action
    from ktcli.errors import NotFoundError, UsageError

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

    def change(a: Analysis) -> str:
        new = Action(
            id=next_id("a", [x.id for x in a.actions]),
            kind=kind.value,
            text=text or "",
            owner=owner,
            status="done" if done else ("in_progress" if started else "planned"),
            trigger=trigger,
        )
        a.actions.append(new)
        return new.id

    edit_adding(ctx, analysis_id, f"added a {kind.value} action: {text}", change)


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
        str | None,
        typer.Option("--id", help="Update this existing request (e.g. r1).", callback=fold_sub_id),
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
    """
    from ktcli.core.ids import next_id
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
    from ktcli.core.ids import next_id
    from ktcli.core.model import OpenQuestion

    def change(a: Analysis) -> str:
        new_id = next_id("q", [q.id for q in a.open_questions])
        new = OpenQuestion(id=new_id, text=text, owner=owner)
        a.open_questions.append(new)
        return new.id

    edit_adding(ctx, analysis_id, f"open question: {text}", change)
