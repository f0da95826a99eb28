"""Read and check: show, list, check, export and schema."""

from __future__ import annotations

import enum
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer

from ktcli.cli import context
from ktcli.cli.common import (
    JsonOpt,
    Target,
    TargetArg,
    format_name,
    load_target,
    parse_since,
    print_json,
)


def show(
    ctx: typer.Context,
    target: TargetArg,
    as_json: JsonOpt = False,
    no_pager: Annotated[
        bool, typer.Option("--no-pager", help="Print at once, even when longer than the screen.")
    ] = False,
) -> None:
    """Show statement, IS / IS NOT matrix, cause tests and ranking.

    At a terminal, output longer than the screen goes through $PAGER (default:
    less). With --json: the analysis as the handoff has it, and what ktcli
    derives from it (the ranking, the most probable cause, a tie, what remains
    to verify, every quality gate).
    """
    app_ctx = context.of(ctx)
    if as_json:
        app_ctx.terminal.data(_show_json(app_ctx, target).decode("utf-8"))
        return
    terminal = app_ctx.terminal

    def produce(found: Target) -> tuple[bytes, bool]:
        from ktcli.ui.render import render_analysis

        return terminal.rendered(render_analysis(found.parse(app_ctx))).encode("utf-8"), True

    # The same bytes drawn the same way (width, colours, terminal or pipe) print the same text.
    text = _remembered(app_ctx, target, f"{SHOW_TEXT} {terminal.layout()}", produce)
    terminal.page_text(text.decode("utf-8"), pager=not no_pager)


#: The key under which ``show --json`` of bytes validated before is remembered.
SHOW_JSON = "show.json"
#: The key (followed by the terminal's layout) under which ``show``'s text is remembered.
SHOW_TEXT = "show.text"


def _show_json(app_ctx: context.AppContext, target: str) -> bytes:
    """``show --json``: the analysis and what ktcli derives from it, as one document."""

    def produce(found: Target) -> tuple[bytes, bool]:
        from ktcli.cli.common import json_text
        from ktcli.core.document import to_data
        from ktcli.core.readout import derived

        analysis = found.parse(app_ctx)
        text = json_text("show", analysis=to_data(analysis), derived=derived(analysis))
        return text.encode("utf-8"), True

    return _remembered(app_ctx, target, SHOW_JSON, produce)


def _remembered(
    app_ctx: context.AppContext,
    target: str,
    key: str,
    produce: Callable[[Target], tuple[bytes, bool]],
) -> bytes:
    """What ``produce`` prints for the target; for bytes it printed before, that, without the model.

    ``store.validated`` keeps, per user, what the full path (``produce``: parse,
    validate, render) printed for exact bytes under ``key``; any other bytes, an
    edited file among them, take the full path. ``produce`` also says whether its
    output may be remembered.
    """
    from ktcli.cli.common import read_target
    from ktcli.store import validated

    found = read_target(app_ctx, target)
    data = validated.lookup(found.raw, found.analysis_id, key)
    if data is None:
        data, keep = produce(found)
        if keep:
            validated.remember(found.raw, found.analysis_id, key, data)
    return data


class StatusOpt(str, enum.Enum):
    """An analysis's status."""

    OPEN = "open"
    ESCALATED = "escalated"
    CLOSED = "closed"


def list_cmd(
    ctx: typer.Context,
    status: Annotated[StatusOpt | None, typer.Option(help="Only this status.")] = None,
    product: Annotated[
        str | None, typer.Option(help="Only this product (the playbook's id).")
    ] = None,
    analyst: Annotated[str | None, typer.Option(help="Only where this analyst worked.")] = None,
    since: Annotated[
        str | None,
        typer.Option(help="Only updated on or after this date, e.g. 2026-11-01.", metavar="DATE"),
    ] = None,
    ticket: Annotated[str | None, typer.Option(help="Only this ticket.")] = None,
    limit: Annotated[int, typer.Option(help="Show at most this many; 0 shows all.", min=0)] = 50,
    as_json: JsonOpt = False,
) -> None:
    """List stored analyses, newest first.

    Reads the index beside the store (checked against the files first),
    and the archives named in KTCLI_ARCHIVE_PATH. Files that would not
    load come first.
    """
    from ktcli.archive.index import Filters

    app_ctx = context.of(ctx)
    filters = Filters(
        status=status.value if status else None,
        product=product,
        analyst=analyst,
        since=parse_since(since) if since else None,
        ticket=ticket,
    )
    items, total = app_ctx.index.listing(filters, limit or None)
    if as_json:
        print_json(app_ctx, "list", total=total, items=[i.as_json() for i in items])
        return
    if not items:
        if filters == Filters():
            app_ctx.terminal.info(
                f"no analyses in {app_ctx.store.root}; start one with 'ktcli new'"
            )
        else:
            app_ctx.terminal.info("no analyses match; 'ktcli list' shows them all")
        return
    from ktcli.ui.archive_view import render_listing

    app_ctx.terminal.show(render_listing(items, total))


def check(ctx: typer.Context, target: TargetArg, as_json: JsonOpt = False) -> None:
    """Run the quality gates; exit 1 when any fails.

    Lists every gate with its state, the findings under each failing one, and
    how much is still open (see 'ktcli status'). --json prints the same, and
    exits 1 too when a gate fails.
    """
    from ktcli.core.gates import check as run_gates
    from ktcli.handoff.status import status as status_of

    app_ctx = context.of(ctx)
    analysis = load_target(app_ctx, target)
    findings = run_gates(analysis)
    still_open = len(status_of(analysis).open)
    if as_json:
        from ktcli.core.readout import gate_results

        print_json(
            app_ctx,
            "check",
            id=analysis.id,
            passed=not findings,
            gates=gate_results(findings),
            still_open=still_open,
        )
    else:
        from ktcli.ui.check_view import render_findings

        app_ctx.terminal.show(render_findings(analysis, findings, still_open=still_open))
    if findings:
        raise typer.Exit(1)


# -- handoff -------------------------------------------------------------------------------------


class FormatOpt(str, enum.Enum):
    """Export formats."""

    YAML = "yaml"
    MARKDOWN = "markdown"
    JSON = "json"
    MD = "md"
    YML = "yml"


def export(
    ctx: typer.Context,
    target: TargetArg,
    fmt: Annotated[
        FormatOpt,
        typer.Option(
            "--format", "-f", help="Output format; md and yml are short for markdown and yaml."
        ),
    ] = FormatOpt.YAML,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of stdout."),
    ] = None,
    summary: Annotated[
        bool,
        typer.Option(
            "--summary",
            help="Markdown only: the ticket-sized form (statement, matrix, ranking, "
            "verification, next steps, open requests; no history).",
        ),
    ] = False,
) -> None:
    """Export the handoff as YAML (for machines), Markdown (for people) or JSON."""
    app_ctx = context.of(ctx)
    name = format_name(fmt)
    if summary and name != "markdown":
        from ktcli.errors import UsageError

        raise UsageError("--summary is a Markdown form", hint="Add -f markdown (or -f md).")
    form = "summary" if summary else name
    data = _remembered(
        app_ctx, target, form, lambda found: _export_validated(app_ctx, found, form, output)
    )
    if output is None:
        app_ctx.terminal.data(data.decode("utf-8"))
        return
    from ktcli.store.files import atomic_write

    atomic_write(output, data)
    app_ctx.terminal.success(f"wrote {output}")


def _export_validated(
    app_ctx: context.AppContext, found: Target, form: str, output: Path | None
) -> tuple[bytes, bool]:
    """The full path of an export: validate, render; remembered only once read-back-safe."""
    from ktcli import yamlio
    from ktcli.errors import InvalidFileError
    from ktcli.handoff.export import DOCUMENTS, render

    data = render(found.parse(app_ctx), form).encode("utf-8")  # type: ignore[arg-type]
    if form in DOCUMENTS:
        # A handoff ktcli writes must be one ktcli (and backline) can read back.
        try:
            yamlio.check_writable(data, str(output or found.source))
        except InvalidFileError:
            if output is not None:
                raise
            return data, False  # printed as before, but never taken as read-back-safe
    return data, True


class SchemaOpt(str, enum.Enum):
    """Documents with a published JSON Schema."""

    HANDOFF = "handoff"
    PLAYBOOK = "playbook"
    JSON = "json"


def schema(
    ctx: typer.Context,
    document: Annotated[SchemaOpt, typer.Argument(help="handoff, playbook or json.")],
) -> None:
    """Print the JSON Schema (draft-07) of a handoff or a playbook, for editors.

    'json' prints the schema of what the reads print with --json (show, list,
    check, status, diff, search, similar), for scripts; docs/json.md
    describes it.
    """
    import json

    from ktcli.schema import json_schema

    context.of(ctx).terminal.data(json.dumps(json_schema(document.value), indent=2) + "\n")


# -- the single exit path ------------------------------------------------------------------------


def status(
    ctx: typer.Context,
    target: TargetArg,
    as_json: JsonOpt = False,
) -> None:
    """Show what is known, what is still open, and the exact next commands.

    Like git status: the unconfirmed cause, rows that need data, outstanding
    requests, actions not done and failing gates, each with the command that
    moves it on.
    """
    from dataclasses import asdict

    from ktcli.handoff.status import status as status_of
    from ktcli.handoff.status import status_lines

    app_ctx = context.of(ctx)
    found = status_of(load_target(app_ctx, target))
    if as_json:
        print_json(app_ctx, "status", **asdict(found), next=found.next_commands)
        return
    from ktcli.core.text import clean

    app_ctx.terminal.lines("".join(clean(line).rstrip() + "\n" for line in status_lines(found)))
