"""Build an analysis without prompts: the appraisal, the statement, the specification.

``cli/causes.py`` and ``cli/work.py`` hold the rest; together they are the
"Build an analysis without prompts" panel, one command per kind of answer.

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
    RatingOpt,
    SideArg,
    SideOpt,
    complete_rows,
    default_id,
    edit,
    edit_adding,
    fold_sub_id,
    refuse_taken_id,
    warn_pitfalls,
)

if TYPE_CHECKING:
    from ktcli.core.model import Analysis


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
    existing = store.ids()
    new_id = analysis_id or default_id(existing, ticket, now)
    refuse_taken_id(existing, new_id)
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
    from ktcli.core.ids import next_id
    from ktcli.core.model import Concern

    def change(a: Analysis) -> str:
        new = Concern(
            id=next_id("k", [c.id for c in a.appraisal.concerns]),
            text=text,
            seriousness=seriousness.value,
            urgency=urgency.value,
            growth=growth.value,
        )
        a.appraisal.concerns.append(new)
        return new.id

    edit_adding(ctx, analysis_id, f"added a concern: {text}", change)
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
    row: Annotated[
        str, typer.Argument(help="Row id, e.g. where-location.", autocompletion=complete_rows)
    ],
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
    row: Annotated[str, typer.Argument(help="Row id.", autocompletion=complete_rows)],
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
    row: Annotated[str, typer.Argument(help="Row id.", autocompletion=complete_rows)],
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
        list[str] | None,
        typer.Option("--row", help="Row it comes from; repeatable.", autocompletion=complete_rows),
    ] = None,
) -> None:
    """Add a distinction, linked to the rows it comes from."""
    from ktcli.core.analysis import require_row
    from ktcli.core.ids import next_id
    from ktcli.core.model import Distinction

    def change(a: Analysis) -> str:
        for r in row or []:
            require_row(a, r)
        new_id = next_id("d", [d.id for d in a.distinctions])
        new = Distinction(id=new_id, text=text, rows=row or [])
        a.distinctions.append(new)
        return new.id

    edit_adding(ctx, analysis_id, f"added a distinction: {text}", change)
    warn_pitfalls(ctx, "distinction", text)


def change_cmd(
    ctx: typer.Context,
    analysis_id: IdArg,
    text: Annotated[str, typer.Argument(help="What changed.")],
    when: Annotated[
        str,
        typer.Option(
            "--when", help="When it changed: an ISO time if known, else e.g. 'week 47' or unknown."
        ),
    ],
    distinction_id: Annotated[
        str | None,
        typer.Option("--distinction", help="The distinction it relates to.", callback=fold_sub_id),
    ] = None,
    row: Annotated[
        list[str] | None,
        typer.Option("--row", help="Row it relates to; repeatable.", autocompletion=complete_rows),
    ] = None,
) -> None:
    """Add a change in, on, around or about a distinction, with its time."""
    from ktcli.core.analysis import require_row
    from ktcli.core.ids import next_id
    from ktcli.core.model import Change
    from ktcli.core.vocabulary import UNKNOWN_WORD
    from ktcli.errors import NotFoundError

    def change(a: Analysis) -> str:
        for r in row or []:
            require_row(a, r)
        if distinction_id and distinction_id not in {d.id for d in a.distinctions}:
            raise NotFoundError(f"no distinction {distinction_id!r}")
        new = Change(
            id=next_id("ch", [c.id for c in a.changes]),
            text=text,
            when=None if when.strip().lower() == UNKNOWN_WORD else when,
            distinction=distinction_id,
            rows=row or [],
        )
        a.changes.append(new)
        return new.id

    edit_adding(ctx, analysis_id, f"added a change: {text}", change)
