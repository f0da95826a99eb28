"""Commands that end or pass on an analysis: close (and, later, escalate, diff, update)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from ktcli.context import AppContext
    from ktcli.model import Analysis

PANEL = "Handoff"


def _ctx(ctx: typer.Context) -> AppContext:
    from ktcli.context import AppContext

    obj = ctx.obj
    assert isinstance(obj, AppContext)
    return obj


def close(
    ctx: typer.Context,
    analysis_id: Annotated[str, typer.Argument(help="Analysis id.", show_default=False)],
    force: Annotated[
        bool, typer.Option("--force", help="Close without a verified true cause.")
    ] = False,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why closing by force (required with it).")
    ] = None,
) -> None:
    """Close an analysis; needs a true cause confirmed by a recorded verification."""
    from ktcli.analysis import confirmed_verifications, ensure_open, record
    from ktcli.errors import KtError, UsageError
    from ktcli.model import Closure

    app_ctx = _ctx(ctx)
    if force and not reason:
        raise UsageError("--force needs --reason: say why this closes unproven")

    with app_ctx.store.editing(analysis_id) as a:
        ensure_open(a)
        if not force:
            _require_proof(a, confirmed_verifications, KtError)
        now = app_ctx.now()
        a.closure = Closure(at=now, by=app_ctx.who, forced=force, reason=reason)
        a.status = "closed"
        record(a, app_ctx.who, "closed by force: " + reason if force and reason else "closed", now)
    app_ctx.terminal.success(f"{analysis_id}: closed")


def _require_proof(a: Analysis, confirmed: object, error: type[Exception]) -> None:
    from ktcli.analysis import confirmed_verifications

    if a.true_cause is None:
        raise error(
            "no true cause confirmed yet",
            hint=f"Confirm one with 'ktcli confirm {a.id} CAUSE', or use --force --reason.",
        )
    if not confirmed_verifications(a, a.true_cause.cause):
        raise error(f"true cause {a.true_cause.cause} has no confirmed verification")


def register(app: typer.Typer) -> None:
    """Add this area's commands to the app."""
    app.command(rich_help_panel=PANEL)(close)
