"""What several command modules share: argument types, the edit cycle, ids and targets.

No command module imports the app (``ktcli.cli.app``); they all import this.
"""

from __future__ import annotations

import contextlib
import enum
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NamedTuple

import typer

from ktcli.cli import context

if TYPE_CHECKING:
    from datetime import datetime

    from ktcli.cli.context import AppContext
    from ktcli.core.language import StatementPart
    from ktcli.core.model import Analysis

# -- shell completion: cheap, from file names and the stored text, never a model ---------------


def _completing_in(ctx: typer.Context) -> AppContext:
    """The context of a completion: the main callback never ran, so read --store here."""
    from ktcli.cli.context import AppContext

    if isinstance(getattr(ctx, "obj", None), AppContext):
        return ctx.obj  # type: ignore[no-any-return]
    store = ctx.find_root().params.get("store")
    return AppContext(store_root=Path(store) if store else None)


def complete_ids(ctx: typer.Context, incomplete: str) -> list[str]:
    """Stored analysis ids starting with what was typed (any case): one directory listing."""
    folded = incomplete.casefold()
    return [i for i in _completing_in(ctx).store.ids() if i.casefold().startswith(folded)]


def _stored_text(ctx: typer.Context) -> str:
    """The stored YAML of the analysis named on the line so far, or ''."""
    analysis_id = (ctx.params or {}).get("analysis_id")
    if not isinstance(analysis_id, str):
        return ""
    app_ctx = _completing_in(ctx)
    try:
        return app_ctx.store.read_text(resolve_id(app_ctx, analysis_id))[1]
    except Exception:  # a completion that fails offers nothing, never a traceback
        return ""


def _section_ids(text: str, section: str) -> list[str]:
    """The ``id:`` of each item of one top-level list in ktcli's own YAML layout."""
    found = re.search(rf"^{section}:\n((?:[ -].*\n|\n)*)", text, flags=re.MULTILINE)
    if found is None:
        return []
    # Items at "  - " since the yamllint-clean layout, at "- " in older files.
    return re.findall(r"^(?:  )?- id: ([A-Za-z0-9._-]+)$", found.group(1), flags=re.MULTILINE)


def complete_rows(ctx: typer.Context, incomplete: str) -> list[str]:
    """The rows of the analysis on the line (the standard ones when it has none yet)."""
    text = _stored_text(ctx)
    rows = _section_ids(text, "specification")
    if not rows:
        from ktcli.core.model import STANDARD_ROW_IDS

        rows = list(STANDARD_ROW_IDS)
    return [r for r in rows if r.startswith(incomplete.lower())]


def complete_causes(ctx: typer.Context, incomplete: str) -> list[str]:
    """The cause ids of the analysis on the line."""
    return [
        c for c in _section_ids(_stored_text(ctx), "causes") if c.startswith(incomplete.lower())
    ]


def complete_playbooks(incomplete: str) -> list[str]:
    """The ids of the playbooks ktcli would find, from their file names alone."""
    from ktcli.playbooks.discovery import sources

    ids: set[str] = set()
    for source in sources():
        with contextlib.suppress(OSError):
            ids.update(p.stem for p in source.directory.iterdir() if p.suffix in (".yaml", ".yml"))
    return sorted(i for i in ids if i.startswith(incomplete))


def resolve_id(app_ctx: AppContext, typed: str) -> str:
    """The stored analysis a person means: its id in any case, or its ticket reference.

    Cheapest first: the id as typed is one ``stat``; the same id in another case is
    one directory listing; a ticket is looked up in the index (never by loading every
    file). Several analyses on one ticket is an error that lists them. Nothing found
    returns ``typed`` unchanged, so the caller's own "no analysis" message speaks.
    """
    from ktcli.core.ids import valid_id
    from ktcli.errors import NotFoundError

    store = app_ctx.store
    if not valid_id(typed) or store.exists(typed):
        return typed
    folded = typed.casefold()
    same = [i for i in store.ids() if i.casefold() == folded]
    if len(same) == 1:
        return same[0]
    if not same:
        same = _by_ticket(app_ctx, folded)
        if len(same) == 1:
            return same[0]
    if same:
        raise NotFoundError(
            f"{typed!r} matches {len(same)} analyses: " + ", ".join(same),
            hint="Name one of them by its id.",
        )
    return typed


def _by_ticket(app_ctx: AppContext, folded: str) -> list[str]:
    """The ids of the stored analyses whose ticket is ``folded`` in any case."""
    from ktcli.archive.index import STORE, Filters

    if not app_ctx.store.root.is_dir():
        return []
    items, _ = app_ctx.index.listing(Filters(ticket=folded))
    return sorted({i.id for i in items if i.source == STORE and i.error is None})


def _resolve_arg(ctx: typer.Context, value: str) -> str:
    if ctx.resilient_parsing:  # shell completion: nothing is run, nothing is looked up
        return value
    return resolve_id(context.of(ctx), value)


IdArg = Annotated[
    str,
    typer.Argument(
        help="Analysis id or its ticket, in any case (see 'ktcli list').",
        show_default=False,
        callback=_resolve_arg,
        autocompletion=complete_ids,
    ),
]


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


#: Short names people type for a format, accepted wherever a format is taken.
FORMAT_ALIASES = {"md": "markdown", "yml": "yaml"}


def format_name(fmt: enum.Enum) -> str:
    """The full name of a format given on the line: ``md`` is markdown, ``yml`` is yaml."""
    value = str(fmt.value)
    return FORMAT_ALIASES.get(value, value)


_SUB_ID = re.compile(r"[A-Za-z]{1,2}[0-9]+")


def fold_sub_id(value: str | None) -> str | None:
    """A sub-id as people type it: ktcli numbers them in lower case, so ``C1`` is ``c1``."""
    if value is not None and _SUB_ID.fullmatch(value):
        return value.lower()
    return value


SideArg = Annotated[SideOpt, typer.Option("--side", "-s", help="IS or IS NOT side of the row.")]

TargetArg = Annotated[
    str,
    typer.Argument(
        help="Analysis id or its ticket, or the path of a handoff file.",
        show_default=False,
        autocompletion=complete_ids,
    ),
]


def edit(
    ctx: typer.Context, analysis_id: str, what: str, change: Callable[[Analysis], None]
) -> None:
    """Lock, load, change, record in the history, save: the shape of every edit command."""
    from ktcli.core.analysis import ensure_open, record

    app_ctx = context.of(ctx)
    analysis_id = resolve_id(app_ctx, analysis_id)
    with app_ctx.store.editing(analysis_id) as analysis:
        ensure_open(analysis)
        change(analysis)
        record(analysis, app_ctx.who, what, app_ctx.now())
    app_ctx.terminal.success(f"{analysis_id}: {what}")


def edit_adding(
    ctx: typer.Context, analysis_id: str, what: str, add: Callable[[Analysis], str]
) -> str:
    """:func:`edit` for a change that creates something: print the new id alone on stdout.

    Messages stay on stderr, so ``id=$(ktcli distinction ...)`` captures only the id.
    """
    made: list[str] = []

    def change(a: Analysis) -> None:
        made.append(add(a))

    edit(ctx, analysis_id, what, change)
    context.of(ctx).terminal.data(made[0] + "\n")
    return made[0]


def default_id(existing: list[str], ticket: str | None, now: object) -> str:
    """A new id from the ticket (else the date), free in any case, so ids resolve one way."""
    from datetime import datetime

    from ktcli.core.ids import next_id, slug

    assert isinstance(now, datetime)
    base = slug(ticket) if ticket and slug(ticket) else f"kt-{now:%Y%m%d}"
    taken = [e.casefold() for e in existing]
    if base not in taken:
        return base
    return next_id(f"{base}-", taken)


def refuse_taken_id(existing: list[str], new_id: str) -> None:
    """Refuse an id that differs only in case from a stored one: it would not resolve."""
    from ktcli.errors import ConflictError

    clash = next((e for e in existing if e.casefold() == new_id.casefold() and e != new_id), None)
    if clash is not None:
        raise ConflictError(
            f"analysis {clash!r} already exists; ids are matched in any case",
            hint="Pick another --id.",
        )


class Target(NamedTuple):
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
    analysis_id = resolve_id(app_ctx, target)
    stored, raw = app_ctx.store.read_bytes(analysis_id)
    return Target(raw, stored, analysis_id)


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
    app_ctx.terminal.data(json_text(kind, **fields))


def json_text(kind: str, **fields: object) -> str:
    """The text :func:`print_json` prints."""
    import json

    from ktcli.core.readout import document
    from ktcli.yamlwrite import escape_unprintable

    text = json.dumps(document(kind, **fields), indent=2, ensure_ascii=False)
    # Raw bidi overrides or C1 controls in user text would reach a terminal; escape them as JSON.
    return escape_unprintable(text) + "\n"
