"""Commands of the playbook area: list, show, lint, new (the `playbook` group of the table)."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

from ktcli.cli import context
from ktcli.cli.common import complete_playbooks

PANEL = "Playbooks"

playbook_app = typer.Typer(
    help="Team knowledge as versioned YAML: list, show, lint and scaffold playbooks.",
    no_args_is_help=True,
    add_completion=False,
)


@playbook_app.command("list")
def list_cmd(ctx: typer.Context) -> None:
    """List the playbooks found: id, version, title and where each comes from.

    Example: ktcli playbook list
    """
    from rich.table import Table
    from rich.text import Text

    from ktcli.core.text import clean
    from ktcli.playbooks.discovery import discover
    from ktcli.ui.playbook_view import home, where

    app_ctx = context.of(ctx)
    catalog = discover()
    for problem in catalog.problems:
        app_ctx.terminal.warn(problem.message)
    # Several KTCLI_PLAYBOOK_PATH entries are told apart by number: path1, path2, ...
    paths = [s for s in catalog.sources if s.kind == "path"]
    label = {
        s: (f"path{paths.index(s) + 1}" if s.kind == "path" and len(paths) > 1 else s.kind)
        for s in catalog.sources
    }
    table = Table(box=None, pad_edge=False, show_edge=False)
    for column in ("ID", "VERSION", "TITLE", "FROM"):
        table.add_column(column, overflow="fold")
    used = []
    for pid in sorted(catalog.files):
        item = catalog.files[pid]
        pb = item.playbook
        title = pb.name + (f" (extends {pb.extends})" if pb.extends else "")
        table.add_row(*(Text(clean(s)) for s in (pb.id, pb.version, title, label[item.source])))
        used.append(item.source)
    app_ctx.terminal.show(table)
    for src in catalog.sources:
        if src in used and src.kind != "builtin":
            # soft_wrap: a path broken over two lines cannot be copied.
            line = Text(clean(f"{label[src]}: {home(src.directory)}"))
            app_ctx.terminal.out.print(line, soft_wrap=True)
    for path, _ in catalog.shadowed:
        winner = catalog.files.get(path.stem)
        by = where(winner) if winner else home(catalog.found[path.stem][0])
        app_ctx.terminal.info(f"{path.stem} in {home(path)} is overridden by {by}")


class ShowFormat(str, enum.Enum):
    """How ``playbook show`` prints."""

    TEXT = "text"
    YAML = "yaml"
    JSON = "json"
    YML = "yml"


@playbook_app.command("show")
def show_cmd(
    ctx: typer.Context,
    playbook_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="Playbook id (see 'ktcli playbook list').",
            autocompletion=complete_playbooks,
        ),
    ],
    fmt: Annotated[
        ShowFormat,
        typer.Option("--format", "-f", help="text for people; yaml (yml) or json merged."),
    ] = ShowFormat.TEXT,
) -> None:
    """Show a playbook with everything it extends merged in.

    Example: ktcli playbook show web-latency -f yml
    """
    from ktcli.playbooks.discovery import index
    from ktcli.playbooks.hashing import content_hash
    from ktcli.ui.playbook_view import render_playbook

    app_ctx = context.of(ctx)
    catalog = index()
    chain = catalog.chain(playbook_id)
    merged = catalog.merged(playbook_id)
    if fmt is ShowFormat.TEXT:
        app_ctx.terminal.show(render_playbook(merged, chain, content_hash(merged)))
        return
    data = merged.model_dump(mode="json", exclude_defaults=False)
    if fmt is ShowFormat.JSON:
        import json

        app_ctx.terminal.data(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
        return
    from ktcli import yamlwrite

    app_ctx.terminal.data(yamlwrite.dump(data))


@playbook_app.command("lint")
def lint_cmd(
    ctx: typer.Context,
    paths: Annotated[
        list[Path],
        typer.Argument(help="Playbook files, or directories searched for *.yaml and *.yml."),
    ],
) -> None:
    """Lint playbooks for CI: schema, unknown keys, duplicate ids, extends. Exit 1 on errors.

    Example: ktcli playbook lint .ktcli/playbooks/
    """
    from ktcli.playbooks.lint import lint

    app_ctx = context.of(ctx)
    report = lint(paths)
    for error in report.errors:
        app_ctx.terminal.error(error.message)
    files = len(report.files)
    noun = "file" if files == 1 else "files"
    if report.errors:
        problems = len(report.errors)
        bad = report.files_with_errors
        app_ctx.terminal.info(
            f"{problems} problem{'s' if problems != 1 else ''} in {bad} "
            f"file{'s' if bad != 1 else ''} ({files} playbook {noun} checked)"
        )
        raise typer.Exit(1)
    if not files:
        from ktcli.errors import UsageError

        raise UsageError("no playbook files found (*.yaml, *.yml) in the paths given")
    app_ctx.terminal.success(f"{files} playbook {noun} ok")


SCAFFOLD = """\
# yaml-language-server: $schema=playbook.schema.json
# A ktcli playbook: see 'ktcli playbook show generic' for a complete example,
# and check this file with: ktcli playbook lint {filename}
---
schema_version: 1
id: {id}
name: {name}
version: "0.1.0"
description: >-
  What kind of problem this playbook is for, and what it teaches.
tags: []
{extends}
# Extra questions, a hint and typical IS NOT comparisons, per standard row id
# (what-object, what-deviation, where-location, where-on-object, when-first,
# when-pattern, when-lifecycle, extent-objects, extent-size, extent-per-object,
# extent-trend) or per extra row below.
rows:
  where-location:
    questions:
      - Which sites or hosts show it, and which comparable ones do not?
    hint: >-
      The closest IS NOT is a twin of the failing one that works.
    is_not:
      - Another host in the same pool, on the same release

extra_rows: []

# Evidence to collect, with the commands;
# before_restart marks what a restart destroys.
evidence:
  - id: process-state
    what: State of the failing process before any restart
    why: >-
      A restart clears the memory, threads and connections that show the cause.
    before_restart: true
    commands:
      - ps -eo pid,etime,rss,nlwp,cmd --sort=-rss | head -20
    row: when-lifecycle

# Causes that keep coming back, the rows they usually explain,
# and how to confirm them.
causes:
  - id: recent-change
    text: A change made between last-known-good and first-seen
    explains: [when-first]
    confirm: >-
      List every change in that window and check that only the affected
      places got it.

# Words that should trigger a probing question, on top of ktcli's own.
terms:
  vague: []
  causal: []
  loaded: []

# Requests for data this domain often needs.
data_requests: []
"""


@playbook_app.command("new")
def new_cmd(
    ctx: typer.Context,
    playbook_id: Annotated[
        str, typer.Argument(metavar="ID", help="Id of the new playbook, e.g. acme-web.")
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="File to write. Default: ID.yaml here."),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Title. Default: from the id.")] = None,
    extends: Annotated[
        str | None,
        typer.Option(
            "--extends", help="Id of a playbook to build on.", autocompletion=complete_playbooks
        ),
    ] = None,
) -> None:
    """Write a valid playbook to start from, with the schema comment for editors.

    Example: ktcli playbook new acme-web --extends web-latency
    """
    import json

    from ktcli.core.model import valid_id
    from ktcli.errors import ConflictError, UsageError
    from ktcli.playbooks.files import parse_playbook
    from ktcli.schema import json_schema
    from ktcli.store.files import atomic_write

    app_ctx = context.of(ctx)
    if not valid_id(playbook_id):
        raise UsageError(
            f"{playbook_id!r} is not a usable id",
            hint="Use letters, digits, '.', '_' and '-', starting with a letter or digit.",
        )
    if extends is not None and not valid_id(extends):
        raise UsageError(f"--extends {extends!r} is not a usable id")
    path = output or Path(f"{playbook_id}.yaml")
    if path.stem != playbook_id or path.suffix not in (".yaml", ".yml"):
        raise UsageError(
            f"name the file {playbook_id}.yaml: ktcli finds a playbook by its file name",
            hint=f"For example: -o {path.parent / (playbook_id + '.yaml')}",
        )
    if path.exists():
        raise ConflictError(
            f"{path} already exists; not overwriting it",
            hint="Pick another --output, or edit the existing file.",
        )
    title = name or playbook_id.replace("-", " ").replace("_", " ").capitalize()
    text = SCAFFOLD.format(
        id=playbook_id,
        name=json.dumps(title, ensure_ascii=False),
        filename=path.name,
        extends=f"extends: {extends}\n" if extends else "",
    )
    parse_playbook(text, str(path))  # the scaffold must always be valid
    atomic_write(path, text.encode("utf-8"))
    app_ctx.terminal.success(f"wrote {path}")
    schema_path = path.parent / "playbook.schema.json"
    if not schema_path.exists():
        atomic_write(
            schema_path, (json.dumps(json_schema("playbook"), indent=2) + "\n").encode("utf-8")
        )
        app_ctx.terminal.success(f"wrote {schema_path} (for the editor's $schema comment)")
