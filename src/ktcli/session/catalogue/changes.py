"""Changes: what changed in, on, around or about each distinction, and when."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from functools import partial

from ktcli.core.analysis import next_id
from ktcli.core.model import Analysis, Change
from ktcli.core.times import EXAMPLE, read_when
from ktcli.session.items import PENDING, Checked, Env, Item, answer_text, retext
from ktcli.session.questions import ALL_CHECKS, Question, Value


def iter_items(a: Analysis) -> Iterator[Item]:
    """One question per distinction, and when each change happened."""
    for d in a.distinctions:

        def add(a: Analysis, v: Value, env: Env, did: str = d.id) -> str:
            if not answer_text(v):
                return ""
            dist = next(x for x in a.distinctions if x.id == did)
            ch = Change(
                id=next_id("ch", [c.id for c in a.changes]),
                text=answer_text(v),
                when=PENDING,
                distinction=did,
                rows=list(dist.rows),
            )
            a.changes.append(ch)
            return f"added a change: {ch.text}"

        yield Item(
            Question(
                f"change.{d.id}",
                "changes",
                "text",
                "What changed in, on, around or about this? (Enter if nothing known)",
                hint="e.g. 'build 42 deployed to the EU pool', 'new TLS certificate on the CDN'",
                field="changes",
                context=(f"Distinction {d.id}: {d.text}",),
                required=False,
                checks=ALL_CHECKS,
            ),
            partial(_has_change, distinction=d.id),
            add,
            tracked=True,
            given=lambda a: bool(a.changes),
            refine=retext(lambda a: a.changes),
        )
    for ch in a.changes:

        def set_when(a: Analysis, v: Value, env: Env, cid: str = ch.id) -> str:
            c = next(x for x in a.changes if x.id == cid)
            c.when = answer_text(v)
            return f"change {cid} happened: {answer_text(v)}"

        yield Item(
            Question(
                f"change.{ch.id}.when",
                "changes",
                "text",
                "When did it change?",
                hint="an ISO time if known: '2026-11-20T13:40Z'; else 'week 47'",
                field=f"changes.{ch.id}.when",
                context=(f"Change {ch.id}: {ch.text}",),
            ),
            partial(_change_dated, change=ch.id),
            set_when,
            check=check_when,
        )


def check_when(text: str, now: datetime) -> Checked:
    """A change's time: an impossible one refused, one without a year confirmed as this year."""
    when = read_when(text, now)
    if when.assumed_year is None:
        return Checked(when.text, problem=when.problem)
    return Checked(
        when.text,
        problem=when.problem,
        confirm=f"No year given: record it as {when.text} (this year, {when.assumed_year})?",
        declined=f"Then give the year: {EXAMPLE}",
    )


def _has_change(a: Analysis, *, distinction: str) -> bool:
    return any(c.distinction == distinction for c in a.changes)


def _change_dated(a: Analysis, *, change: str) -> bool:
    return any(c.id == change and c.when != PENDING for c in a.changes)
