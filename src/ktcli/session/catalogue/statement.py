"""The problem statement: one object, one deviation, and who said so."""

from __future__ import annotations

from collections.abc import Iterator

from ktcli.core.model import Analysis, Fact, Statement
from ktcli.session.items import (
    PENDING,
    Env,
    Item,
    answer_text,
    last_source,
    source_reply,
    used_sources,
)
from ktcli.session.questions import ALL_CHECKS, Choice, Depth, Question, Value

_SECTION = "statement"


def iter_items(a: Analysis, m: Depth = "full") -> Iterator[Item]:
    """The statement's questions: its object, its deviation, their source."""
    yield _object_item(a)
    yield _deviation_item(a)
    yield _source_item(a, m)


def _object_item(a: Analysis) -> Item:
    what = a.row("what-object")
    holding = what.is_ if what is not None and isinstance(what.is_, Fact) else None

    def set_object(a: Analysis, v: Value, env: Env) -> str:
        text = answer_text(v)
        row = a.row("what-object")
        old = a.statement.object if a.statement else None
        if a.statement is not None:
            a.statement.object = text
        # Until the deviation is known, the object waits in its own row (WHAT IS): a
        # Statement needs both halves, and an answer must be on disk at once.
        if row is not None and (
            row.is_ is None or (isinstance(row.is_, Fact) and row.is_.text in (old, text))
        ):
            source = row.is_.source if isinstance(row.is_, Fact) else PENDING
            row.is_ = Fact(text=text, source=source)
        elif row is not None and isinstance(row.is_, Fact) and a.statement is None:
            row.is_.text = text
        return f"statement object: {text}"

    return Item(
        Question(
            "statement.object",
            _SECTION,
            "text",
            "Which one object shows the problem?",
            hint="a thing, not a symptom: 'Order API', 'nightly billing job', 'VPN gateway fra-2'",
            field="statement.object",
            default=a.statement.object if a.statement else (holding.text if holding else None),
            checks=(*ALL_CHECKS, "bundled"),
        ),
        lambda a: (
            a.statement is not None
            or ((r := a.row("what-object")) is not None and isinstance(r.is_, Fact))
        ),
        set_object,
    )


def _deviation_item(a: Analysis) -> Item:
    def set_deviation(a: Analysis, v: Value, env: Env) -> str:
        text = answer_text(v)
        row = a.row("what-object")
        obj = (
            a.statement.object
            if a.statement
            else (row.is_.text if row is not None and isinstance(row.is_, Fact) else "?")
        )
        old = a.statement.deviation if a.statement else None
        a.statement = Statement(object=obj, deviation=text)
        dev = a.row("what-deviation")
        if dev is not None and (
            dev.is_ is None or (isinstance(dev.is_, Fact) and dev.is_.text == old)
        ):
            source = row.is_.source if row is not None and isinstance(row.is_, Fact) else PENDING
            dev.is_ = Fact(text=text, source=source)
        return f"set the statement: {a.statement.text}"

    return Item(
        Question(
            "statement.deviation",
            _SECTION,
            "text",
            "What exactly is wrong with it? (the deviation, not the cause)",
            hint="measurable: 'answers in more than 5 s', 'rejects 1 in 10 logins with 502'",
            field="statement.deviation",
            default=a.statement.deviation if a.statement else None,
            checks=(*ALL_CHECKS, "bundled"),
        ),
        lambda a: a.statement is not None,
        set_deviation,
    )


def _source_item(a: Analysis, m: Depth) -> Item:
    def set_source(a: Analysis, v: Value, env: Env) -> str:
        # Full mode: (source, status) in one step; quick mode asks no status.
        source, status = source_reply(v)
        parts = (a.statement.object, a.statement.deviation) if a.statement else (None, None)
        for row_id, text in zip(("what-object", "what-deviation"), parts, strict=True):
            row = a.row(row_id)
            if row is not None and isinstance(row.is_, Fact):
                row.is_.source = source
            elif row is not None and row.is_ is None and text:
                # A statement given in an answers file, without its WHAT rows.
                row.is_ = Fact(text=text, source=source)
            if status and row is not None and isinstance(row.is_, Fact):
                row.is_.status = "verified" if status == "verified" else "reported"
        return f"statement source: {source}" + (f", {status}" if status else "")

    def source_done(a: Analysis) -> bool:
        row = a.row("what-object")
        return row is not None and isinstance(row.is_, Fact) and row.is_.source != PENDING

    return Item(
        Question(
            "statement.source",
            _SECTION,
            "source" if m == "full" else "text",
            "Who or what told you this? (the source)",
            hint="'customer call, J. Roe (Acme ops)', 'monitoring dashboard', 'ticket text'",
            field="specification.what-object.is.source",
            suggested=last_source(a) or "customer",
            choices=tuple(Choice(s, s) for s in used_sources(a)) if m == "full" else (),
        ),
        source_done,
        set_source,
    )
