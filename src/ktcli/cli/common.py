"""What several command modules share: argument types, the edit cycle, ids and targets.

No command module imports the app (``ktcli.cli.app``); they all import this.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ktcli.cli import context

if TYPE_CHECKING:
    from datetime import datetime

    from ktcli.cli.context import AppContext
    from ktcli.core.language import StatementPart
    from ktcli.core.model import Analysis

IdArg = Annotated[str, typer.Argument(help="Analysis id (see 'ktcli list').", show_default=False)]


class SideOpt(str, enum.Enum):
    """Which side of a specification row."""

    IS = "is"
    IS_NOT = "is-not"

    @property
    def key(self) -> str:
        """The side as the model names it."""
        return "is" if self is SideOpt.IS else "is_not"


class RatingOpt(str, enum.Enum):
    """A rating of seriousness, urgency or growth."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


SideArg = Annotated[SideOpt, typer.Option("--side", "-s", help="IS or IS NOT side of the row.")]

TargetArg = Annotated[
    str, typer.Argument(help="Analysis id, or the path of a handoff file.", show_default=False)
]


def edit(
    ctx: typer.Context, analysis_id: str, what: str, change: Callable[[Analysis], None]
) -> None:
    """Lock, load, change, record in the history, save: the shape of every edit command."""
    from ktcli.core.analysis import ensure_open, record

    app_ctx = context.of(ctx)
    with app_ctx.store.editing(analysis_id) as analysis:
        ensure_open(analysis)
        change(analysis)
        record(analysis, app_ctx.who, what, app_ctx.now())
    app_ctx.terminal.success(f"{analysis_id}: {what}")


def default_id(existing: list[str], ticket: str | None, now: object) -> str:
    from datetime import datetime

    from ktcli.core.analysis import next_id, slug

    assert isinstance(now, datetime)
    base = slug(ticket) if ticket and slug(ticket) else f"kt-{now:%Y%m%d}"
    if base not in existing:
        return base
    return next_id(f"{base}-", existing)


@dataclass(frozen=True)
class Target:
    """What ``load_target`` reads before validating: bytes, where from, the id they must hold."""

    raw: bytes
    source: Path
    #: For a stored analysis, the id its file must hold; "" for a handoff file.
    analysis_id: str

    def parse(self, app_ctx: AppContext) -> Analysis:
        """Validate the bytes (a stored file must hold its own id)."""
        from ktcli import yamlio

        text = yamlio.decode(self.raw, str(self.source))
        if self.analysis_id:
            return app_ctx.store.parse(self.analysis_id, self.source, text)
        from ktcli.core.document import parse_analysis

        return parse_analysis(text, str(self.source))


def read_target(app_ctx: AppContext, target: str) -> Target:
    """The bytes of a stored analysis by id, or of a handoff file when ``target`` is a path."""
    from ktcli import yamlio
    from ktcli.core.ids import valid_id

    path = Path(target)
    looks_like_file = (
        not valid_id(target) or target.endswith((".yaml", ".yml", ".json")) or os.sep in target
    )
    if looks_like_file and path.exists():
        return Target(yamlio.read_bytes(path), Path(target), "")
    if looks_like_file and not valid_id(target):
        from ktcli.errors import NotFoundError

        raise NotFoundError(f"no such file or analysis: {target}")
    stored, raw = app_ctx.store.read_bytes(target)
    return Target(raw, stored, target)


def load_target(app_ctx: AppContext, target: str) -> Analysis:
    """An analysis from the store by id, or from a handoff file when ``target`` is a path."""
    return read_target(app_ctx, target).parse(app_ctx)


def warn_pitfalls(
    ctx: typer.Context,
    field: str,
    text: str,
    *,
    statement: StatementPart = "",
    causal: bool = True,
) -> None:
    """The probing questions for text given on the command line, on stderr (never blocking).

    The same check as the guided session's probe (``ktcli.core.language.probe``);
    ``statement`` ("object" or "deviation") adds the check for two things in one;
    ``causal=False`` leaves out the "assumed cause" check (objectives say "must be").
    """
    from ktcli.core.language import probe

    terminal = context.of(ctx).terminal
    for hit in probe(text, statement, causal=causal):
        terminal.warn(f"{field}: '{hit.term.strip()}': {hit.question}")


def parse_since(value: str) -> datetime:
    """A date or timestamp from the command line; a date alone is midnight UTC."""
    from ktcli.core.times import iso_time
    from ktcli.errors import UsageError

    parsed = iso_time(value)
    if parsed is None:
        raise UsageError(
            f"{value!r} is not a date", hint="Give a date like 2026-11-01 or 2026-11-01T09:00Z."
        )
    return parsed


JsonOpt = Annotated[
    bool,
    typer.Option("--json", help="Print JSON (kind and version first; see 'ktcli schema json')."),
]


def print_json(app_ctx: AppContext, kind: str, **fields: object) -> None:
    """One ``--json`` document on stdout, in the shape ``ktcli schema json`` publishes."""
    import json

    from ktcli.core.readout import document
    from ktcli.yamlwrite import escape_unprintable

    text = json.dumps(document(kind, **fields), indent=2, ensure_ascii=False)
    # Raw bidi overrides or C1 controls in user text would reach a terminal; escape them as JSON.
    app_ctx.terminal.data(escape_unprintable(text) + "\n")
