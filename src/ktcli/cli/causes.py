"""Causes without prompts: add one, test it against a row, verify it, confirm the true cause.

Each command locks the analysis, changes it, records the change in the history
and saves (``ktcli.cli.common.edit``); the ones that create something print its id.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Annotated

import typer

from ktcli.cli import context
from ktcli.cli.common import (
    IdArg,
    complete_causes,
    complete_rows,
    edit,
    edit_adding,
    fold_sub_id,
)

if TYPE_CHECKING:
    from ktcli.core.model import Analysis


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
        str | None,
        typer.Option("--ref", help="The distinction, change or playbook id.", callback=fold_sub_id),
    ] = None,
) -> None:
    """Add a possible cause and print its id."""
    from ktcli.core.ids import next_id
    from ktcli.core.model import Cause

    def change(a: Analysis) -> str:
        new_id = next_id("c", [c.id for c in a.causes])
        a.causes.append(Cause(id=new_id, text=text, origin=origin.value, origin_ref=ref))
        return new_id

    edit_adding(ctx, analysis_id, f"added a possible cause: {text}", change)


def run_test(
    ctx: typer.Context,
    analysis_id: IdArg,
    cause_id: Annotated[
        str,
        typer.Argument(
            help="Cause id, e.g. c1.", callback=fold_sub_id, autocompletion=complete_causes
        ),
    ],
    row: Annotated[
        str, typer.Argument(help="Row id, e.g. where-location.", autocompletion=complete_rows)
    ],
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
    cause_id: Annotated[
        str,
        typer.Argument(
            help="The cause this step checks.", callback=fold_sub_id, autocompletion=complete_causes
        ),
    ],
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
        str | None,
        typer.Option("--step", help="Update this existing step (e.g. v1).", callback=fold_sub_id),
    ] = None,
) -> None:
    """Plan or record a verification step for a cause; print its id."""
    from ktcli.core.analysis import require_cause, set_verification_status
    from ktcli.core.ids import next_id
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
    cause_id: Annotated[
        str,
        typer.Argument(
            help="The cause proven true.", callback=fold_sub_id, autocompletion=complete_causes
        ),
    ],
) -> None:
    """Name the true cause; it needs at least one confirmed verification step.

    Refused while any fact contradicts the cause or a verification step refuted it.
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
