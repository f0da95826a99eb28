"""The archive on screen: ``list`` and ``search`` results, from the index."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ktcli.handoff.mdtext import when
from ktcli.ui.pieces import user_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ktcli.archive.index import Listed
    from ktcli.archive.reports import Distribution, Recurring
    from ktcli.core.similarity import Comparison

VERDICT_STYLE = {
    "likely the same problem": "green",
    "not the same problem": "bold red",
    "probably not the same problem": "yellow",
    "cannot tell yet": "dim",
}
#: Reasons shown per candidate; the rest are counted.
REASONS = 6

STATUS_STYLE = {"open": "cyan", "escalated": "yellow", "closed": "green"}
#: How ``search`` marks a match inside a snippet (see ``Index.search``).
MARK_START, MARK_END = "\x02", "\x03"


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
        return user_text(item.error, "red")
    out = Text()
    if item.ticket:
        out.append(user_text(item.ticket, "dim"))
        out.append(" ")
    out.append(user_text(item.title or ""))
    if item.source != "store":
        out.append(user_text(f"\nin {item.source}", "dim"))
    return out


def render_listing(items: list[Listed], total: int) -> RenderableType:
    """Indexed analyses, broken files first, then newest first; a line says how many."""
    table = _table("id", "status", "title", "updated")
    table.columns[2].ratio = 1
    for item in items:
        updated = when(item.updated_at) if item.updated_at else ""
        table.add_row(user_text(item.id, "bold"), _status(item), _title(item), updated)
    broken = sum(1 for item in items if item.error is not None)
    summary = f"{total} {'analysis' if total == 1 else 'analyses'}"
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
            out.append(user_text(matched, "bold"))
        out.append(user_text(rest))
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
            text.append(user_text(item.true_cause))
        table.add_row(user_text(item.id, "bold"), _status(item), text)
    return Group(table, Text(f"{len(items)} found, best first", style="dim"))


def render_comparison(item: Listed, cmp: Comparison, *, reasons: int = REASONS) -> Group:
    """One candidate: verdict, the evidence each way, and the past true cause, proof and fix."""
    head = Text()
    head.append(user_text(item.id, "bold"))
    head.append("  ")
    head.append(cmp.verdict, style=VERDICT_STYLE.get(cmp.verdict, ""))
    head.append(
        f"  ({len(cmp.matches)} matching, {len(cmp.contradictions)} contradicting, "
        f"{len(cmp.differences)} different)",
        style="dim",
    )
    head.append("\n  ")
    head.append(_title(item))
    listed = cmp.reasons()
    shown = [user_text(reason) for reason in listed[:reasons]]
    if len(listed) > reasons:
        shown.append(Text(f"and {len(listed) - reasons} more", style="dim"))
    past = cmp.past
    known = [
        (Text(label, style="green"), user_text("; ".join(values)))
        for label, values in (
            ("  true cause:", [past.true_cause] if past.true_cause else []),
            ("  verified by:", list(past.verified_by)),
            ("  fix:", list(past.fix)),
        )
        if values
    ]
    return Group(head, _hanging([("  -", t) for t in shown]), _hanging(known))


def _hanging(rows: Sequence[tuple[str | Text, Text]]) -> Table:
    """Two columns, so a long text wraps under itself, not under its label."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for label, text in rows:
        grid.add_row(label if isinstance(label, Text) else Text(label), text)
    return grid


def render_similar(found: list[tuple[Listed, Comparison]]) -> RenderableType:
    """The best candidates for "same problem?", each with its reasons; blank lines between."""
    parts: list[RenderableType] = []
    for item, cmp in found:
        if parts:
            parts.append(Text())
        parts.append(render_comparison(item, cmp))
    return Group(*parts)


def render_recurring(groups: list[Recurring]) -> RenderableType:
    """Problems that recur, costliest first: count, period, analysts, hours, true causes."""
    table = _table("problem", "times", "period", "analysts", "hours")
    table.columns[0].ratio = 1
    for g in groups:
        problem = user_text(g.label, "bold")
        if g.causes:
            problem.append("\ntrue cause: ", style="green")
            problem.append(user_text("; ".join(g.causes)))
        problem.append(user_text("\n" + " ".join(c.id for c in g.cases), "dim"))
        period = f"{g.first:%Y-%m-%d}\n{g.last:%Y-%m-%d}"
        table.add_row(problem, str(len(g.cases)), period, str(len(g.analysts)), f"{g.hours:.1f}")
    counted = "1 recurring problem" if len(groups) == 1 else f"{len(groups)} recurring problems"
    return Group(table, Text(f"{counted}, costliest first", style="dim"))


#: Width of the longest bar of a terminal histogram.
BAR = 24


def _histogram(d: Distribution) -> Text:
    counts = d.histogram
    top = max(n for _, n in counts) or 1
    out = Text()
    for label, n in counts:
        out.append(f"{label:>7} ")
        out.append("█" * round(BAR * n / top), style="cyan")
        out.append(f" {n}\n" if n else "\n")
    return out


def render_resolution(sections: list[tuple[str, list[Distribution]]]) -> RenderableType:
    """Per section (by product, by analyst) a table of the figures, then each group's histogram."""
    from ktcli.archive.reports import duration

    parts: list[RenderableType] = []
    for title, dists in sections:
        table = _table("name", "count", "median", "p90", "max", "slowest")
        table.columns[5].ratio = 1
        for d in dists:
            slowest = ", ".join(f"{i} ({duration(h)})" for h, i in d.slowest)
            table.add_row(
                user_text(d.name, "bold"),
                str(d.count),
                duration(d.median),
                duration(d.p90),
                duration(d.maximum),
                user_text(slowest),
            )
        parts += [Text(f"Time to resolution {title}", style="bold"), table]
        for d in dists:
            parts += [user_text(d.name, "bold"), _histogram(d)]
    return Group(*parts)
