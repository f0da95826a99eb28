"""Reports across analyses: recurring problems and time to resolution."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from ktcli.cli import context

report_app = typer.Typer(
    help="Beyond one ticket: recurring problems, and time to resolution by product and analyst.",
    no_args_is_help=True,
    add_completion=False,
)


@report_app.command("recurring")
def recurring_cmd(
    ctx: typer.Context,
    minimum: Annotated[
        int, typer.Option("--min", help="Analyses a problem needs to be listed.", min=2)
    ] = 2,
    as_json: Annotated[bool, typer.Option("--json", help="Print the groups as JSON.")] = False,
) -> None:
    """Problems that keep coming back: how often, over what period, by whom, at what cost.

    Analyses are one problem when their object and deviation read the same
    (case and punctuation aside), or their true causes do. Hours are the
    effort recorded on them (guided sessions and 'ktcli effort').

    Example: ktcli report recurring --min 3
    """
    import json

    from ktcli.archive.reports import recurring

    app_ctx = context.of(ctx)
    groups = recurring(app_ctx.index.cases(), minimum)
    if as_json:
        data = [
            {
                "problem": g.label,
                "count": len(g.cases),
                "first": g.first.isoformat(),
                "last": g.last.isoformat(),
                "analysts": g.analysts,
                "hours": round(g.hours, 2),
                "true_causes": g.causes,
                "analyses": [c.id for c in g.cases],
            }
            for g in groups
        ]
        app_ctx.terminal.data(json.dumps(data, indent=2) + "\n")
        return
    if not groups:
        app_ctx.terminal.info(f"no problem found in {minimum} or more analyses")
        return
    from ktcli.ui.archive_view import render_recurring

    app_ctx.terminal.show(render_recurring(groups))


class ByOpt(str, enum.Enum):
    """What to group resolution times by."""

    PRODUCT = "product"
    ANALYST = "analyst"
    BOTH = "both"


@report_app.command("resolution")
def resolution_cmd(
    ctx: typer.Context,
    by: Annotated[ByOpt, typer.Option("--by", help="Group by product, analyst or both.")] = (
        ByOpt.BOTH
    ),
    html: Annotated[
        Path | None,
        typer.Option("--html", metavar="FILE", help="Also write one self-contained HTML page."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="Print the figures as CSV.")] = False,
) -> None:
    """Time to resolution by product and by analyst: median, 90th percentile, maximum.

    Closed analyses only, from creation to closure. Never a mean alone: each
    group gives its count, median, 90th percentile and maximum, names its
    slowest analyses, and shows a histogram. The product is the playbook.

    Example: ktcli report resolution --by product --html resolution.html
    """
    from ktcli.archive.reports import by_analyst, by_product, resolution

    app_ctx = context.of(ctx)
    cases = app_ctx.index.cases()
    sections = [
        (title, resolution(cases, key))
        for name, title, key in (
            ("product", "by product", by_product),
            ("analyst", "by analyst", by_analyst),
        )
        if by in (ByOpt.BOTH, ByOpt(name))
    ]
    if html is not None:
        from ktcli.archive.html import resolution_page
        from ktcli.store.files import atomic_write

        page = resolution_page(sections, app_ctx.now())
        atomic_write(html, page.encode("utf-8"))
        app_ctx.terminal.success(f"wrote {html}")
    if as_json or as_csv:
        from ktcli.archive.html import resolution_csv, resolution_json

        app_ctx.terminal.data(resolution_json(sections) if as_json else resolution_csv(sections))
        return
    if not any(dists for _, dists in sections):
        app_ctx.terminal.info("no closed analysis yet: nothing to measure")
        return
    from ktcli.ui.archive_view import render_resolution

    app_ctx.terminal.show(render_resolution(sections))
