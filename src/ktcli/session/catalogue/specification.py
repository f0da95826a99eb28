"""The specification: IS and IS NOT, row by row, each fact with its source."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from ktcli.core.analysis import set_cell
from ktcli.core.model import Analysis, Fact, NeedData, NotApplicable, Row, Side
from ktcli.core.vocabulary import QUICK_ROWS
from ktcli.session.guide import Guide
from ktcli.session.items import (
    PENDING,
    Env,
    Item,
    answer_text,
    cell_text,
    last_source,
    source_reply,
    used_sources,
)
from ktcli.session.questions import ALL_CHECKS, Choice, Command, Depth, Question, Value
from ktcli.session.wording import ROW_TEXTS

_SECTION = "specification"


def spec_rows(a: Analysis, m: Depth) -> list[Row]:
    """The rows a session asks; quick mode: WHERE, WHEN, EXTENT (the statement is the WHAT)."""
    if m == "quick":
        return [r for r in a.specification if r.id in QUICK_ROWS]
    return list(a.specification)


#: The IS NOT question of a row ktcli has no wording for (a playbook's own rows), by dimension.
IS_NOT_BY_DIMENSION = {
    "what": "Which similar object or defect could show it, but does not?",
    "where": "Where else could it be seen, but is not?",
    "when": "When else could it be seen, but is not?",
    "extent": "How much more could there be, but is not?",
}
#: A playbook hint line meant for the IS NOT side (see ktcli.playbooks.adapter).
IS_NOT_LEAD = "a good IS NOT here"


def _row_hint(row: Row, side: Side, guide: Guide) -> tuple[str, str]:
    """The question and hint of one side; each hint line shown on the side it is for, once."""
    texts = ROW_TEXTS.get(row.id)
    extra = next((x for x in guide.extra_rows if x.id == row.id), None)
    if texts is not None:
        q_is, ex_is, q_not, ex_not = texts
        question, example = (q_is, ex_is) if side == "is" else (q_not, ex_not)
    else:
        base = row.question or (extra.question if extra else f"{row.label}?")
        not_q = IS_NOT_BY_DIMENSION.get(row.dimension, "What is closest, but not so?")
        question = base if side == "is" else f"{not_q} ({row.label})"
        example = extra.hint if extra and side == "is" else ""
    rg = guide.row_guide(row.id)
    if rg is not None and rg.question and side == "is":
        question = rg.question
    hints = [f"e.g. {example}" if example else ""]
    if rg is not None and rg.hint:
        lines = rg.hint.splitlines()
        hints += [h for h in lines if h.startswith(IS_NOT_LEAD) == (side == "is_not")]
    evidence = [e.text for e in guide.evidence if e.row == row.id]
    if evidence and side == "is":
        hints.append("collect: " + "; ".join(evidence))
    return question, "\n".join(h for h in hints if h)


def iter_items(a: Analysis, m: Depth, guide: Guide) -> Iterator[Item]:
    """One question per row and side asked in this mode, with the follow-ups its answer needs."""
    sides: tuple[Side, ...] = ("is",) if m == "quick" else ("is", "is_not")
    for row in spec_rows(a, m):
        for side in sides:
            yield from _cell_items(a, row, side, m, guide)


def _cell_items(a: Analysis, row: Row, side: Side, m: Depth, guide: Guide) -> Iterator[Item]:
    label = "IS" if side == "is" else "IS NOT"
    qid = f"spec.{row.id}.{side}"
    where = f"specification.{row.id}.{side}"
    cell = row.cell(side)
    question, hint = _row_hint(row, side, guide)
    # The IS NOT shows the IS it is compared with; the row's heading is the first line.
    context = (f"IS: {cell_text(row.is_)}",) if side == "is_not" else ()

    def set_it(a: Analysis, v: Value, env: Env, r: str = row.id, s: Side = side) -> str:
        current = a.row(r)
        old = current.cell(s) if current else None
        if v is Command.NEED_DATA:
            set_cell(a, r, s, NeedData(who=PENDING, how=PENDING))
            return f"{r} {s}: need more data"
        if v is Command.NOT_APPLICABLE:
            set_cell(a, r, s, NotApplicable(reason=PENDING))
            return f"{r} {s}: not applicable"
        if isinstance(old, Fact):
            old.text = answer_text(v)
            return f"{r} {s}: {answer_text(v)}"
        # Quick mode asks no source per fact: the facts take the statement's source.
        source = (last_source(a) or PENDING) if m == "quick" else PENDING
        set_cell(a, r, s, Fact(text=answer_text(v), source=source))
        return f"{r} {s}: {answer_text(v)}"

    yield Item(
        Question(
            qid,
            _SECTION,
            "cell",
            f"{label} - {question}",
            hint=hint,
            field=where,
            default=cell.text if isinstance(cell, Fact) else None,
            context=(f"{row.label}", *context),
            checks=ALL_CHECKS,
        ),
        partial(_has_cell, row=row.id, side=side),
        set_it,
    )
    if isinstance(cell, Fact):
        yield from _fact_followups(a, row, side, cell, m, qid, where)
    elif isinstance(cell, NotApplicable):
        yield _reason_item(row, side, qid, where)
    elif isinstance(cell, NeedData):
        yield from _need_data_items(row, side, qid, where)


def _reason_item(row: Row, side: Side, qid: str, where: str) -> Item:
    label = "IS" if side == "is" else "IS NOT"

    def set_reason(a: Analysis, v: Value, env: Env, r: str = row.id, s: Side = side) -> str:
        set_cell(a, r, s, NotApplicable(reason=answer_text(v)))
        return f"{r} {s}: not applicable ({answer_text(v)})"

    return Item(
        Question(
            f"{qid}.reason",
            _SECTION,
            "text",
            "Why does it not apply?",
            hint="e.g. 'a single server: there is no other to compare'",
            field=f"{where}.reason",
            context=(f"{row.label} - {label}",),
        ),
        partial(_cell_given, row=row.id, side=side, name="reason"),
        set_reason,
    )


def _need_data_items(row: Row, side: Side, qid: str, where: str) -> Iterator[Item]:
    label = "IS" if side == "is" else "IS NOT"
    for part, text, example in (
        ("who", "Who will get the data?", "'J. Roe at Acme ops', 'me, from the LB logs'"),
        ("how", "How will they get it?", "'export the EU load-balancer log for 14:00-15:00'"),
    ):

        def set_need(
            a: Analysis, v: Value, env: Env, r: str = row.id, s: Side = side, p: str = part
        ) -> str:
            x = a.row(r)
            c = x.cell(s) if x else None
            if isinstance(c, NeedData):
                setattr(c, p, answer_text(v))
            return f"{r} {s}: need more data, {p}: {answer_text(v)}"

        yield Item(
            Question(
                f"{qid}.{part}",
                _SECTION,
                "text",
                text,
                hint=f"e.g. {example}",
                field=f"{where}.{part}",
                context=(f"{row.label} - {label}: need more data",),
            ),
            partial(_cell_given, row=row.id, side=side, name=part),
            set_need,
        )


def _fact_followups(
    a: Analysis, row: Row, side: Side, cell: Fact, m: Depth, qid: str, where: str
) -> Iterator[Item]:
    label = "IS" if side == "is" else "IS NOT"
    if m == "full":
        yield _source_and_status(a, row, side, cell, qid, where)
        return

    def set_source(a: Analysis, v: Value, env: Env, r: str = row.id, s: Side = side) -> str:
        x = a.row(r)
        c = x.cell(s) if x else None
        if isinstance(c, Fact):
            c.source = answer_text(v)
        return f"{r} {s}: source {answer_text(v)}"

    yield Item(
        Question(
            f"{qid}.source",
            _SECTION,
            "text",
            "Source of this fact?",
            hint="who said it, or where you saw it",
            field=f"{where}.source",
            context=(f"{row.label} - {label}: {cell.text}",),
            default=cell.source if cell.source != PENDING else None,
            suggested=last_source(a) or "customer",
        ),
        partial(_cell_given, row=row.id, side=side, name="source"),
        set_source,
    )


def _source_and_status(a: Analysis, row: Row, side: Side, cell: Fact, qid: str, where: str) -> Item:
    """A fact's source, picked from those used already, and verified / reported: one step."""
    label = "IS" if side == "is" else "IS NOT"
    # The IS NOT usually comes from where its IS came from: offered first.
    first = row.is_.source if side == "is_not" and isinstance(row.is_, Fact) else None
    sources = used_sources(a, first)

    def set_both(a: Analysis, v: Value, env: Env, r: str = row.id, s: Side = side) -> str:
        source, status = source_reply(v)
        x = a.row(r)
        c = x.cell(s) if x else None
        if isinstance(c, Fact):
            c.source = source
            c.status = "verified" if status == "verified" else "reported"
            return f"{r} {s}: source {c.source}, {c.status}"
        return ""

    return Item(
        Question(
            f"{qid}.source",
            _SECTION,
            "source",
            "Source of this fact?",
            hint="who said it, or where you saw it; verified if you saw it yourself",
            field=f"{where}.source",
            context=(f"{row.label} - {label}: {cell.text}",),
            default=(cell.source, cell.status) if cell.source != PENDING else None,
            suggested=(sources[0] if sources else None) or "customer",
            choices=tuple(Choice(s, s) for s in sources),
        ),
        partial(_cell_given, row=row.id, side=side, name="source"),
        set_both,
    )


def _cell_field(a: Analysis, row_id: str, side: Side, name: str) -> str | None:
    row = a.row(row_id)
    cell = row.cell(side) if row else None
    value = getattr(cell, name, None)
    return value if isinstance(value, str) else None


def _has_cell(a: Analysis, *, row: str, side: Side) -> bool:
    x = a.row(row)
    return x is not None and x.cell(side) is not None


def _cell_given(a: Analysis, *, row: str, side: Side, name: str) -> bool:
    return _cell_field(a, row, side, name) not in (None, PENDING)
