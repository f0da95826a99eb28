"""Distinctions: what is true of the IS and not of the IS NOT, one question per row."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from ktcli.core.ids import next_id
from ktcli.core.model import Analysis, Distinction, Fact
from ktcli.session.items import Env, Item, answer_text, retext
from ktcli.session.questions import ALL_CHECKS, Question, Value


def iter_items(a: Analysis) -> Iterator[Item]:
    """One question per row with a fact on both sides."""
    for row in a.specification:
        if not (isinstance(row.is_, Fact) and isinstance(row.is_not, Fact)):
            continue

        def add(a: Analysis, v: Value, env: Env, r: str = row.id) -> str:
            if not answer_text(v):
                return ""
            d = Distinction(
                id=next_id("d", [d.id for d in a.distinctions]), text=answer_text(v), rows=[r]
            )
            a.distinctions.append(d)
            return f"added a distinction: {d.text}"

        yield Item(
            Question(
                f"dist.{row.id}",
                "distinctions",
                "text",
                "What is true of the IS, and not of the IS NOT? (Enter if nothing)",
                hint="e.g. 'only EU hosts run build 42'; 'only sessions over the new CDN'",
                field="distinctions",
                context=(
                    row.label,
                    f"IS: {row.is_.text}",
                    f"IS NOT: {row.is_not.text}",
                ),
                required=False,
                checks=ALL_CHECKS,
            ),
            partial(_has_distinction, row=row.id),
            add,
            tracked=True,
            given=lambda a: bool(a.distinctions),
            refine=retext(lambda a: a.distinctions),
        )


def _has_distinction(a: Analysis, *, row: str) -> bool:
    return any(row in d.rows for d in a.distinctions)
