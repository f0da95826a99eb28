"""The case archive: keep the index, and search every analysis."""

from __future__ import annotations

from typing import Annotated

import typer

from ktcli.cli import context


def index(
    ctx: typer.Context,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Forget the index and read every file again.")
    ] = False,
) -> None:
    """Bring the index of the store and the archives up to date with the files.

    Every command that reads the index checks it first; this says what it found,
    and --rebuild starts from nothing (the files are the truth, the index is derived).

    Example: ktcli index --rebuild
    """
    app_ctx = context.of(ctx)
    idx = app_ctx.index
    report = idx.rebuild() if rebuild else idx.sync()
    total, broken = idx.counts()
    where = "in memory (the index file could not be used)" if idx.bypassed else str(idx.path)
    app_ctx.terminal.success(
        f"{total} analyses indexed, {broken} could not be read; "
        f"{report.read} read, {report.removed} removed; index {where}"
    )


def search(
    ctx: typer.Context,
    text: Annotated[list[str], typer.Argument(help="Words that must all appear.")],
    limit: Annotated[int, typer.Option(help="Show at most this many.", min=1)] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
) -> None:
    """Search every indexed analysis for words, best match first.

    Title, ticket, statement, facts, distinctions, changes, causes, verification
    and actions are searched, in the store and the archives. Each result shows
    the matching text, the status and the true cause.

    Example: ktcli search checkout timeout
    """
    import json

    app_ctx = context.of(ctx)
    items = app_ctx.index.search(" ".join(text), limit)
    if as_json:
        app_ctx.terminal.data(json.dumps([i.as_json() for i in items], indent=2) + "\n")
        return
    if not items:
        app_ctx.terminal.info("nothing found; try fewer or other words")
        return
    from ktcli.ui.archive_view import render_search

    app_ctx.terminal.show(render_search(items))
