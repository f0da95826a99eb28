"""The decision and the protection in ``ktcli show``: the same blocks as the Markdown handoff.

Flat tables only (a table inside a cell is measured and rendered twice); every
piece of user text goes through :func:`ktcli.core.text.clean` into a plain ``Text``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ktcli.core.text import clean
from ktcli.handoff.decision_md import decision_blocks, protection_blocks

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ktcli.core.model import Analysis
    from ktcli.handoff.decision_md import Block


def _table(block: Block) -> Table:
    table = Table(box=box.SIMPLE_HEAD, expand=True, header_style="bold", pad_edge=False)
    for name in block.header:
        table.add_column(Text(clean(name)), overflow="fold")
    for row in block.rows:
        table.add_row(*(Text(clean(cell)) for cell in row))
    return table


def decision_parts(a: Analysis) -> list[RenderableType]:
    """Sections for the decision and the protection; none when the analysis has neither."""
    parts: list[RenderableType] = []
    for group in (decision_blocks(a), protection_blocks(a)):
        for i, block in enumerate(group):
            title = Text(clean(block.title), style="bold" if i == 0 else "bold underline")
            parts.append(Text())
            parts.append(Rule(title, align="left", style="dim") if i == 0 else title)
            parts += [Text(clean(s)) for s in block.lead]
            if block.header and block.rows:
                parts.append(_table(block))
            elif block.header:
                parts.append(Text("none recorded", style="dim"))
    return parts
