"""Commands that end or pass on an analysis: close (and, later, escalate, diff, update)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from ktcli.context import AppContext
    from ktcli.model import Analysis

PANEL = "Handoff"


def _ctx(ctx: typer.Context) -> AppContext:
    from ktcli.context import of

    return of(ctx)


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
    from ktcli.analysis import ensure_open, record
    from ktcli.errors import UsageError
    from ktcli.model import Closure

    app_ctx = _ctx(ctx)
    if force and not reason:
        raise UsageError("--force needs --reason: say why this closes unproven")

    with app_ctx.store.editing(analysis_id) as a:
        ensure_open(a)
        if not force:
            _require_proof(a)
        now = app_ctx.now()
        a.closure = Closure(at=now, by=app_ctx.who, forced=force, reason=reason)
        a.status = "closed"
        record(a, app_ctx.who, "closed by force: " + reason if force and reason else "closed", now)
    app_ctx.terminal.success(f"{analysis_id}: closed")


def _require_proof(a: Analysis) -> None:
    from ktcli.analysis import confirmed_verifications
    from ktcli.errors import KtError

    if a.true_cause is None:
        raise KtError(
            "no true cause confirmed yet",
            hint=f"Confirm one with 'ktcli confirm {a.id} CAUSE', or use --force --reason.",
        )
    if not confirmed_verifications(a, a.true_cause.cause):
        raise KtError(f"true cause {a.true_cause.cause} has no confirmed verification")


def import_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A YAML or JSON handoff file.", show_default=False)],
) -> None:
    """Validate a handoff file and store the analysis it holds."""
    from ktcli import yamlio
    from ktcli.errors import ConflictError
    from ktcli.export import parse_analysis, to_yaml

    app_ctx = _ctx(ctx)
    incoming = parse_analysis(yamlio.read(file), str(file))
    store = app_ctx.store
    with store.lock(incoming.id):
        if store.exists(incoming.id):
            current = store.load(incoming.id)
            if to_yaml(current) == to_yaml(incoming):
                app_ctx.terminal.info(f"{incoming.id} is already up to date")
                return
            raise ConflictError(
                f"analysis {incoming.id!r} already exists and differs from {file}",
                hint="Compare them with 'ktcli show', or import under a new id.",
            )
        store.save(incoming)
    app_ctx.terminal.data(incoming.id + "\n")
    app_ctx.terminal.success(f"imported {incoming.id} from {file}")


def register(app: typer.Typer) -> None:
    """Add this area's commands to the app."""
    app.command("import", rich_help_panel=PANEL)(import_cmd)
    app.command(rich_help_panel=PANEL)(close)
