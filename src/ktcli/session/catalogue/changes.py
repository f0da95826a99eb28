"""Changes: what changed in, on, around or about each distinction, and when."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from functools import partial

from ktcli.core.ids import next_id
from ktcli.core.model import Analysis, Change, Distinction
from ktcli.core.times import EXAMPLE, read_when
from ktcli.session.items import PENDING, Checked, Env, Item, answer_text, retext
from ktcli.session.questions import ALL_CHECKS, Question, Value


def iter_items(a: Analysis) -> Iterator[Item]:
    """One question per distinction, and when each change happened.

    A change is entered once: at a later distinction, typing the id of a change
    entered already links it there (its rows grow by the distinction's), and
    the question is asked again for a change of its own.
    """
    for d in a.distinctions:

        def add(a: Analysis, v: Value, env: Env, did: str = d.id) -> str:
            if not answer_text(v):
                return ""
            dist = next(x for x in a.distinctions if x.id == did)
            ids = _ids(answer_text(v))
            if ids:
                return _link(a, ids, dist)
            ch = Change(
                id=next_id("ch", [c.id for c in a.changes]),
                text=answer_text(v),
                when=PENDING,
                distinction=did,
                rows=list(dist.rows),
            )
            a.changes.append(ch)
            return f"added a change: {ch.text}"

        others = _linkable(a, d)
        linked = [c.id for c in a.changes if c.distinction != d.id and c not in others]
        hint = "e.g. 'build 42 deployed to the EU pool', 'new TLS certificate on the CDN'"
        if others:
            several = f" (several: {others[0].id} {others[1].id})" if len(others) > 1 else ""
            hint = f"type {others[0].id} to link a change entered already{several}; {hint}"
        yield Item(
            Question(
                f"change.{d.id}",
                "changes",
                "text",
                "What else changed in, on, around or about this? (Enter if nothing else)"
                if linked
                else "What changed in, on, around or about this? (Enter if nothing known)",
                hint=hint,
                field="changes",
                context=(
                    f"Distinction {d.id}: {d.text}",
                    *(f"{c.id}: {c.text}" for c in others),
                ),
                required=False,
                checks=ALL_CHECKS,
            ),
            partial(_has_change, distinction=d.id),
            add,
            tracked=True,
            given=lambda a: bool(a.changes),
            refine=retext(lambda a: a.changes),
            loop=True,
            check=partial(_check_ids, known=tuple(c.id for c in others)),
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


_IDS = re.compile(r"ch\d+(?:[\s,]+ch\d+)*")


def _ids(text: str) -> list[str]:
    """The change ids an answer names ("ch1", "ch1 ch3", "ch1, ch3"); [] for a new change."""
    if not _IDS.fullmatch(text.strip().lower()):
        return []
    return list(dict.fromkeys(re.findall(r"ch\d+", text.lower())))


def _linkable(a: Analysis, d: Distinction) -> list[Change]:
    """The changes entered for other distinctions that do not yet cover this one's rows."""
    return [c for c in a.changes if c.distinction != d.id and not set(d.rows) <= set(c.rows)]


def _link(a: Analysis, ids: list[str], d: Distinction) -> str:
    """The changes named touch this distinction too: they take its rows."""
    for cid in ids:
        c = next(x for x in a.changes if x.id == cid)
        c.rows += [r for r in d.rows if r not in c.rows]
    return f"linked change {', '.join(ids)} to distinction {d.id}"


def _check_ids(text: str, now: datetime, *, known: tuple[str, ...]) -> Checked:
    """Ids that name no change open to linking are refused; any other text is a new change."""
    unknown = [i for i in _ids(text) if i not in known]
    if not unknown:
        return Checked(text)
    offered = ", ".join(known) or "none"
    return Checked(text, problem=f"no change {unknown[0]} to link here (open to link: {offered})")


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
