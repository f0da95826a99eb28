"""Commands that pass on or end an analysis: escalate, import, diff, update, close.

The rules live in :mod:`ktcli.handoff` (``missing``, ``update``, ``versions``, ``closing``);
this module only gathers flags, asks (on stderr, and only with a terminal on stdin), writes
files and reports.
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ktcli.cli import context
from ktcli.cli.common import IdArg, JsonOpt, TargetArg

if TYPE_CHECKING:
    from ktcli.handoff.missing import Missing
    from ktcli.ui.terminal import Terminal

PANEL = "Handoff"


def _interactive() -> bool:
    """Prompts only with a terminal on stdin: a script or a pipe must never hang."""
    return sys.stdin is not None and sys.stdin.isatty()


def _select(message: str, choices: list[str]) -> str:
    """One choice, asked on stderr so that stdout stays data."""
    import questionary
    from prompt_toolkit.output import create_output

    answer: str = questionary.select(
        message, choices=choices, output=create_output(stdout=sys.stderr)
    ).unsafe_ask()
    return answer


def _text(message: str) -> str:
    """A line of text, asked on stderr."""
    import questionary
    from prompt_toolkit.output import create_output

    answer: str = questionary.text(message, output=create_output(stdout=sys.stderr)).unsafe_ask()
    return answer.strip()


def _show_missing(term: Terminal, items: list[Missing]) -> None:
    from ktcli.handoff.missing import group_missing

    if not items:
        term.success("nothing backline would have to ask the customer again")
        return
    term.warn(f"{len(items)} thing(s) backline may have to ask the customer again:")
    for heading, group in group_missing(items):
        term.info(f"  {heading}:")
        for item in group:
            term.info(f"    - {item.what}")


# -- escalate ---------------------------------------------------------------------------------


def escalate(
    ctx: typer.Context,
    analysis_id: IdArg,
    to: Annotated[str, typer.Option("--to", help="The team or person taking over.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it goes to them now.")],
    yes: Annotated[
        bool,
        typer.Option("--yes", "-y", help="Hand off even if something is missing; do not ask."),
    ] = False,
    output_dir: Annotated[
        Path,
        typer.Option(
            "--output-dir", "-o", help="Where to write ID.yaml and ID.md.", file_okay=False
        ),
    ] = Path(),
) -> None:
    """Hand the analysis to backline: record it, and write the YAML and Markdown handoff."""
    from ktcli.core.analysis import ensure_open, record
    from ktcli.core.model import Escalation
    from ktcli.errors import KtError
    from ktcli.handoff.export import render
    from ktcli.handoff.missing import missing_items, missing_markdown
    from ktcli.store.files import atomic_write

    app_ctx = context.of(ctx)
    store, term = app_ctx.store, app_ctx.terminal
    with store.lock(analysis_id):
        a = store.load(analysis_id)
        ensure_open(a)
        items = missing_items(a)
        _show_missing(term, items)
        if items and not yes and app_ctx.may_prompt() and _interactive():
            go = "Hand off anyway: the handoff lists what is missing"
            stop = "Stop and fix them first: nothing is written"
            if _select("Hand off now?", [go, stop]) == stop:
                raise KtError(
                    f"{analysis_id}: not escalated; nothing was written",
                    hint=f"Continue with 'ktcli resume {analysis_id}' (or 'ktcli fact', "
                    "'ktcli test', 'ktcli verify', 'ktcli request --id R --received ...'), "
                    "then escalate again.",
                )
        elif items:
            why = "--yes" if yes else app_ctx.why_not_asked
            term.warn(f"handing off anyway ({why}); the handoff lists what is missing")
        now = app_ctx.now()
        a.escalations.append(
            Escalation(
                at=now, by=app_ctx.who, to=to, reason=reason, missing=[m.line for m in items]
            )
        )
        a.status = "escalated"
        note = f" ({len(items)} item(s) still missing)" if items else ""
        record(a, app_ctx.who, f"escalated to {to}: {reason}{note}", now)
        # Render both before writing anything, so a failure leaves no half-done handoff.
        yaml_text = render(a, "yaml")
        md_text = render(a, "markdown").rstrip("\n") + "\n\n" + missing_markdown(items)
        yaml_path = output_dir / f"{a.id}.yaml"
        md_path = output_dir / f"{a.id}.md"
        store.save(a)
        atomic_write(yaml_path, yaml_text.encode("utf-8"))
        atomic_write(md_path, md_text.encode("utf-8"))
    term.data(f"{yaml_path}\n{md_path}\n")
    term.success(f"{analysis_id}: escalated to {to}; send both files to them")


# -- import -------------------------------------------------------------------------------------


def import_cmd(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A YAML or JSON handoff file.", show_default=False)],
    as_id: Annotated[
        str | None,
        typer.Option("--as", help="Store it under this id instead (keeps both versions)."),
    ] = None,
) -> None:
    """Store a handoff; a newer version updates it and shows what changed, older is refused."""
    from ktcli import yamlio
    from ktcli.core.document import parse_with_data, without_derived
    from ktcli.errors import ConflictError
    from ktcli.handoff.versions import compare_versions, diff, format_diff

    app_ctx = context.of(ctx)
    store, term = app_ctx.store, app_ctx.terminal
    raw = yamlio.read_bytes(file)
    text = yamlio.decode(raw, str(file))
    incoming, data = parse_with_data(text, str(file))
    # A YAML handoff of the current version, stored under its own id, is stored as read:
    # it was just parsed within the read limits and validated; emitting it again and
    # parsing the result to check those limits was most of the import of a large file.
    # An export's derived section is cut off first: the store holds no derived data.
    verbatim: bytes | None = None
    if as_id is None and _current_yaml(raw):
        kept = without_derived(text, data, str(file))
        verbatim = None if kept is None else kept.encode("utf-8")
    if as_id is not None:
        store.path(as_id)  # refuses an id that could leave the store
        incoming = incoming.model_copy(update={"id": as_id})
    with store.lock(incoming.id):
        stored = store.load(incoming.id) if store.exists(incoming.id) else None
        version = compare_versions(stored, incoming)
        if version.relation in ("older", "diverged"):
            hint = (
                f"Your store is ahead. See the difference with 'ktcli diff {incoming.id} {file}'."
                if version.relation == "older"
                else f"Compare with 'ktcli diff {incoming.id} {file}', then keep both with "
                f"'ktcli import {file} --as NEW-ID' and carry the changes over by hand."
            )
            raise ConflictError(
                f"{file}: not imported: {version.explanation}",
                hint=hint,
            )
        if version.relation == "same":
            term.info(f"{incoming.id} is already up to date ({version.explanation})")
            term.data(incoming.id + "\n")
            return
        store.save(incoming, verbatim)
    term.data(incoming.id + "\n")
    if stored is None:
        term.success(f"imported {incoming.id} from {file}")
        return
    term.success(f"updated {incoming.id} from {file}: {version.explanation}")
    term.info(format_diff(diff(stored, incoming)).rstrip("\n"))


def _current_yaml(raw: bytes) -> bool:
    """True for a block-style YAML document that begins with the current schema version.

    (After the document start ``---`` that ktcli writes, or without it.)
    """
    from ktcli.core.model import SCHEMA_VERSION

    version = f"schema_version: {SCHEMA_VERSION}\n".encode()
    return raw.startswith((version, b"---\n" + version))


# -- diff ----------------------------------------------------------------------------------------


def diff_cmd(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="Analysis id or handoff file.", show_default=False)],
    new: Annotated[str, typer.Argument(help="Analysis id or handoff file.", show_default=False)],
    as_json: JsonOpt = False,
) -> None:
    """Show what changed from one analysis to another, row by row."""
    from ktcli.cli.common import load_target
    from ktcli.handoff.versions import diff, format_diff

    app_ctx = context.of(ctx)
    a, b = load_target(app_ctx, old), load_target(app_ctx, new)
    found = diff(a, b)
    if as_json:
        from ktcli.cli.common import print_json

        differences = [
            {"where": d.where, "label": d.label, "change": d.kind, "old": d.old, "new": d.new}
            for d in found
        ]
        print_json(app_ctx, "diff", old_id=a.id, new_id=b.id, differences=differences)
        return
    from ktcli.core.text import clean

    app_ctx.terminal.lines(clean(format_diff(found)))


# -- customer update --------------------------------------------------------------------------


class UpdateFormat(str, enum.Enum):
    """Formats of the customer update."""

    TEXT = "text"
    MARKDOWN = "markdown"
    MD = "md"


def update(
    ctx: typer.Context,
    target: TargetArg,
    fmt: Annotated[UpdateFormat, typer.Option("--format", "-f", help="text or markdown (md).")] = (
        UpdateFormat.TEXT
    ),
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to this file instead of stdout.")
    ] = None,
    next_update: Annotated[
        str | None,
        typer.Option(
            "--next-update", help="When the customer hears from you next, e.g. 'Tuesday 14:00 CET'."
        ),
    ] = None,
) -> None:
    """Write a short status for the customer: known, ruled out, next, and the next update."""
    from ktcli.cli.common import format_name, load_target
    from ktcli.core.text import clean
    from ktcli.handoff.update import customer_update, update_markdown, update_text

    app_ctx = context.of(ctx)
    a = load_target(app_ctx, target)
    u = customer_update(a, next_update=next_update)
    text = clean(update_markdown(u) if format_name(fmt) == "markdown" else update_text(u))
    if next_update is None and a.status != "closed":
        app_ctx.terminal.warn(
            "no --next-update: the update promises news 'as soon as we learn something new'"
        )
    if output is None:
        app_ctx.terminal.data(text)
        return
    from ktcli.store.files import atomic_write

    atomic_write(output, text.encode("utf-8"))
    app_ctx.terminal.data(f"{output}\n")


# -- close -------------------------------------------------------------------------------------


def close(
    ctx: typer.Context,
    analysis_id: IdArg,
    confirmation: Annotated[
        str | None,
        typer.Option(
            "--customer-confirmation",
            "-c",
            help="What the customer said to confirm the fix works (who, when).",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Close without proof; the quality gate flags it.")
    ] = False,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why closing by force (required with it).")
    ] = None,
    fix_tracked_in: Annotated[
        str | None,
        typer.Option(
            "--fix-tracked-in",
            help="Where the corrective action still open is tracked (a problem ticket).",
        ),
    ] = None,
) -> None:
    """Close an analysis: true cause verified, corrective action, customer confirmation.

    Every quality gate must pass, and the corrective action must be done, or
    --fix-tracked-in names the ticket that tracks it (the handoff and the
    customer update show it). --force --reason closes anyway, flagged for good.
    """
    from ktcli.core.analysis import ensure_open, record
    from ktcli.core.model import Closure
    from ktcli.errors import KtError, UsageError
    from ktcli.handoff.closing import closing_problems

    app_ctx = context.of(ctx)
    term = app_ctx.terminal
    if force and not (reason or "").strip():
        raise UsageError(
            "--force needs --reason: say why this closes unproven",
            hint=f'e.g. ktcli close {analysis_id} --force --reason "customer withdrew the ticket"',
        )
    with app_ctx.store.editing(analysis_id) as a:
        ensure_open(a)
        problems = closing_problems(a, confirmation, fix_tracked_in)
        # Ask for the customer's word only when it is the last thing missing.
        if (
            not force
            and [p.kind for p in problems] == ["confirmation"]
            and app_ctx.may_prompt()
            and _interactive()
        ):
            confirmation = _text("What did the customer confirm (that the fix works)?")
            problems = closing_problems(a, confirmation, fix_tracked_in)
        if force and not problems:
            term.warn("--force is not needed: every requirement is met; closing normally")
            force = False
        if problems and not force:
            for p in problems:
                term.info(f"  - {p.message}. {p.hint}")
            raise KtError(
                f"{analysis_id}: cannot close yet, {len(problems)} requirement(s) not met",
                hint="Meet them, or close unproven with --force --reason TEXT "
                "(the quality gate flags it for good).",
            )
        now = app_ctx.now()
        a.closure = Closure(
            at=now,
            by=app_ctx.who,
            customer_confirmation=confirmation,
            forced=force,
            reason=reason,
            fix_tracked_in=fix_tracked_in,
        )
        a.status = "closed"
        if force:
            record(a, app_ctx.who, f"closed by force, unproven: {reason}", now)
        else:
            record(a, app_ctx.who, f"closed; the customer confirmed: {confirmation}", now)
    if force:
        term.warn(f"{analysis_id}: closed by force; 'ktcli check' will flag it (KT108)")
    else:
        term.success(f"{analysis_id}: closed")
