"""``ktcli probe``: the pitfall check of the guided session, for any text, for scripts and hooks."""

from __future__ import annotations

import enum
import json
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from ktcli.cli import context

if TYPE_CHECKING:
    from ktcli.core.language import StatementPart


class FieldOpt(str, enum.Enum):
    """Where the text would go: bundling is judged only on an object or a deviation."""

    TEXT = "text"
    OBJECT = "object"
    DEVIATION = "deviation"


def probe(
    ctx: typer.Context,
    text: Annotated[
        list[str] | None,
        typer.Argument(help="The text to check; '-' or nothing reads standard input."),
    ] = None,
    field: Annotated[
        FieldOpt,
        typer.Option("--field", help="What the text is: any text, an object, a deviation."),
    ] = FieldOpt.TEXT,
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
) -> None:
    """Check text for pitfalls and print the probing questions; exit 1 when any is found.

    The same check the guided session makes on every answer and the quality gates
    make on the statement: vague words, assumed causes, loaded language, and (for an
    object or a deviation) more than one thing in one statement.
    """
    from ktcli.core.language import probe as find

    joined = " ".join(text or [])
    if joined in ("", "-"):
        joined = sys.stdin.read()
    part: StatementPart = "" if field is FieldOpt.TEXT else field.value
    hits = find(joined, part)
    terminal = context.of(ctx).terminal
    if as_json:
        found = [{"kind": h.kind, "term": h.term, "question": h.question} for h in hits]
        terminal.data(json.dumps({"pitfalls": found}, indent=2, ensure_ascii=False) + "\n")
    else:
        for hit in hits:
            terminal.data(f"{hit.kind}: '{hit.term.strip()}': {hit.question}\n")
        if not hits:
            terminal.success("no pitfalls found")
    if hits:
        raise typer.Exit(1)
