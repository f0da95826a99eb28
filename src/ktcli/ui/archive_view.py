"""The archive on screen: ``list`` and ``search`` results, from the index."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ktcli.core.text import clean
from ktcli.handoff.markdown import when

if TYPE_CHECKING:
    from ktcli.archive.index import Listed

STATUS_STYLE = {"open": "cyan", "escalated": "yellow", "closed": "green"}
#: How ``search`` marks a match inside a snippet (see ``Index.search``).
MARK_START, MARK_END = "\x02", "\x03"


def _text(value: str, style: str = "") -> Text:
    return Text(clean(value), style=style)


def _table(*columns: str) -> Table:
    table = Table(
        box=box.SIMPLE_HEAD, expand=True, header_style="bold", pad_edge=False, show_edge=False
    )
    for name in columns:
        table.add_column(name, overflow="fold")
    return table


def _status(item: Listed) -> Text:
    if item.error is not None:
        return Text("broken", style="bold red")
    status = item.status or ""
    out = Text(status, style=STATUS_STYLE.get(status, ""))
    extra = " · ".join(x for x in (item.priority, item.depth) if x) or "not rated"
    out.append(f"\n{extra}", style="dim")
    return out


def _title(item: Listed) -> Text:
    if item.error is not None:
        return _text(item.error, "red")
    out = Text()
    if item.ticket:
        out.append(_text(item.ticket, "dim"))
        out.append(" ")
    out.append(_text(item.title or ""))
    if item.source != "store":
        out.append(_text(f"\nin {item.source}", "dim"))
    return out


def render_listing(items: list[Listed], total: int) -> RenderableType:
    """Indexed analyses, broken files first, then newest first; a line says how many."""
    table = _table("id", "status", "title", "updated")
    table.columns[2].ratio = 1
    for item in items:
        updated = when(item.updated_at) if item.updated_at else ""
        table.add_row(_text(item.id, "bold"), _status(item), _title(item), updated)
    broken = sum(1 for item in items if item.error is not None)
    summary = f"{total} analyses"
    if len(items) < total:
        summary = f"{len(items)} of {total} analyses shown; --limit 0 shows all"
    if broken:
        summary += f", {broken} could not be read"
    return Group(table, Text(summary, style="dim"))


def snippet_text(snippet: str) -> Text:
    """A search snippet with its matches in bold; the markers themselves never shown."""
    out = Text()
    # One line: the snippet may span the newlines between the analysis's texts.
    for i, part in enumerate(" ".join(snippet.split()).split(MARK_START)):
        matched, _, rest = part.partition(MARK_END) if i else ("", "", part)
        if matched:
            out.append(_text(matched, "bold"))
        out.append(_text(rest))
    return out


def render_search(items: list[Listed]) -> RenderableType:
    """Search results, best first: id, status, title, the matching text and the true cause."""
    table = _table("id", "status", "title and match")
    table.columns[2].ratio = 1
    for item in items:
        text = _title(item)
        if item.snippet:
            text.append("\n")
            text.append(snippet_text(item.snippet))
        if item.true_cause:
            text.append("\ntrue cause: ", style="green")
            text.append(_text(item.true_cause))
        table.add_row(_text(item.id, "bold"), _status(item), text)
    return Group(table, Text(f"{len(items)} found, best first", style="dim"))
