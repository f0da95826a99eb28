"""``ktcli check`` for the terminal: every quality gate with its state. Pure: never prints."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ktcli.core.gates import GATES
from ktcli.ui.pieces import joined, user_text

if TYPE_CHECKING:
    from ktcli.core.gates import Finding
    from ktcli.core.model import Analysis


def render_findings(a: Analysis, findings: list[Finding], *, still_open: int = 0) -> RenderableType:
    """Every quality gate with its state, the findings under the failing ones, and a summary.

    ``still_open`` counts what ``ktcli status`` lists as open: all gates passing is
    not "done" while a cause is unconfirmed or data is outstanding, so say so.
    """
    by_rule: dict[str, list[Finding]] = {}
    for f in findings:
        by_rule.setdefault(f.rule, []).append(f)
    # A grid, not a framed table: wrapped text stays under its own column at any width.
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for gate in GATES:
        failed = by_rule.get(gate.rule, [])
        mark = Text("✗ ", style="bold red") if failed else Text("✓ ", style="green")
        cell = joined(user_text(gate.summary), " ", Text(gate.name, style="dim"))
        for f in failed:
            cell.append_text(joined("\n• ", user_text(f.message)))
            if f.where:
                cell.append_text(joined(" ", Text(f"({f.where})", style="dim")))
        grid.add_row(joined(mark, Text(gate.rule, style="bold" if failed else "")), cell)
    out = Group(user_text(a.id, "bold"), grid)
    if findings:
        count = len(by_rule)
        summary = (
            f"{count} of {len(GATES)} quality gates fail (they report, they never stop you saving)"
        )
    else:
        summary = f"all {len(GATES)} quality gates pass"
    if still_open:
        summary += f"; {still_open} thing(s) still open: ktcli status {a.id}"
    return Group(out, Text(summary, style="bold"))
