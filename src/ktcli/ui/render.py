r"""An analysis as rich renderables for the terminal. Pure: returns them, never prints.

Every piece of user text becomes a ``rich.text.Text`` after
:func:`ktcli.core.text.clean`, never markup: ``[/x]`` stays visible, ``[link=...]``
is not a link, and escape sequences show as ``\x1b``. The layout is made for an
80-column terminal: tables wrap their cells instead of cutting them, and the
cause-test grid puts rows down the side and causes across, a few causes per table.
Beyond ``LARGE_CAUSES`` causes, the causes, their grid and the ranking are
:mod:`ktcli.ui.plain` tables, which cost time in proportion to their text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from ktcli.core.analysis import answered_rows, most_probable, rank_causes, remaining_to_verify
from ktcli.core.text import clean
from ktcli.core.vocabulary import (
    ACTION_KIND_TITLES,
    ACTION_STATUS_LABELS,
    NEXT_STEP_LABELS,
    NO_DEPTH,
    QUICK_ROWS,
    UNTESTED_SYMBOL,
    UNTESTED_WORDS,
    VERDICT_SYMBOLS,
    VERDICT_WORDS,
)
from ktcli.handoff.mdtext import top_priority, when
from ktcli.ui import plain
from ktcli.ui.pieces import joined, user_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ktcli.core.analysis import RankedCause
    from ktcli.core.model import Analysis, Cause, Cell
    from ktcli.core.vocabulary import Verdict

#: Causes per cause-test table: with the row label this fits 80 columns.
GRID_CAUSES = 8
#: Beyond this many causes, the causes, their grid and the ranking are laid out as plain
#: lines (``ui/plain.py``): rich's tables took seconds at 200 causes x 30 rows.
LARGE_CAUSES = 20

_VERDICT_STYLE = {
    "explains": "green",
    "explains_only_if": "yellow",
    "does_not_explain": "bold red",
}
_STATUS_STYLE = {"open": "cyan", "escalated": "yellow", "closed": "green"}
#: A ranked cause's standing by its group: explains all, only with assumptions, refuted.
_GROUP_STYLE = ("green", "yellow", "red")


def _section(title: str) -> Group:
    return Group(Text(), Rule(Text(title, style="bold"), align="left", style="dim"))


def _grid() -> Table:
    """Two columns, a short key and its text, so wrapped lines keep a hanging indent."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    return grid


def _table(*columns: str, lines: bool = False) -> Table:
    table = Table(
        box=box.ROUNDED if lines else box.SIMPLE_HEAD,
        show_lines=lines,
        expand=True,
        header_style="bold",
        pad_edge=False,
    )
    for name in columns:
        table.add_column(name, overflow="fold")
    return table


# -- the IS / IS NOT matrix ---------------------------------------------------------------------


def render_cell(cell: Cell | None, *, skipped: bool = False) -> Text:
    """One IS or IS NOT cell: the fact with source and status, or the marker standing for it.

    ``skipped``: a blank the depth leaves out on purpose (quick mode), not a gap to warn of.
    """
    if cell is None:
        return Text("not asked (quick)", style="dim") if skipped else Text("⚠ blank", "bold red")
    if cell.kind == "not_applicable":
        return joined(Text("not applicable: ", style="italic dim"), user_text(cell.reason))
    if cell.kind == "need_data":
        return joined(
            Text("need data: ", style="yellow"),
            user_text(cell.who),
            Text(" / "),
            user_text(cell.how),
        )
    out = user_text(cell.text)
    mark = "✔ verified" if cell.status == "verified" else "reported"
    out.append("\n")
    out.append_text(user_text(cell.source, "dim"))
    out.append(f" · {mark}", style="green" if cell.status == "verified" else "dim")
    if cell.evidence:
        out.append("\nevidence: ", style="dim")
        out.append_text(user_text("; ".join(cell.evidence), "dim"))
    return out


def render_matrix(a: Analysis) -> RenderableType:
    """The IS / IS NOT specification: row label | IS | IS NOT."""
    table = Table(box=box.ROUNDED, show_lines=True, expand=True, header_style="bold")
    # Wide enough for the longest standard row id (extent-per-object), so ids never fold.
    table.add_column("row", width=17, overflow="fold")
    table.add_column("IS", ratio=1, overflow="fold")
    table.add_column("IS NOT", ratio=1, overflow="fold")
    quick = a.appraisal.depth == "quick"
    left_out = 0
    for row in a.specification:
        if quick and row.id not in QUICK_ROWS and row.is_ is None and row.is_not is None:
            left_out += 1  # quick mode does not ask this row: no tower of warnings
            continue
        label = joined(user_text(row.label, "bold"), Text("\n"), user_text(row.id, "dim"))
        skip_is = quick and row.id not in QUICK_ROWS
        table.add_row(
            label,
            render_cell(row.is_, skipped=skip_is),
            render_cell(row.is_not, skipped=quick),
        )
    if left_out:
        table.caption = f"{left_out} rows not asked in a quick analysis"
    return table


# -- causes --------------------------------------------------------------------------------------


def _legend() -> Text:
    out = Text()
    for verdict, symbol in VERDICT_SYMBOLS.items():
        out.append(symbol, style=_VERDICT_STYLE[verdict])
        out.append(f" {VERDICT_WORDS[verdict]}  ", style="dim")
    out.append(UNTESTED_SYMBOL, style="bold")
    out.append(f" {UNTESTED_WORDS}", style="dim")
    return out


def render_cause_grid(a: Analysis) -> RenderableType:
    """Causes tested against the answered rows: rows down the side, causes across, with a key."""
    if not a.causes:
        return Text("No possible causes yet.", style="dim")
    rows = answered_rows(a)
    if not rows:
        return Text("No answered rows yet to test the causes against.", style="dim")
    table = _plain_grid if len(a.causes) > LARGE_CAUSES else _rich_grid
    parts: list[RenderableType] = []
    for start in range(0, len(a.causes), GRID_CAUSES):
        chunk = a.causes[start : start + GRID_CAUSES]
        cells = [[(clean(row.label), "")] + [_mark(c, row.id) for c in chunk] for row in rows]
        parts.append(table([clean(c.id) for c in chunk], cells))
    parts.append(_legend())
    return Group(*parts)


def _mark(cause: Cause, row_id: str) -> tuple[str, str]:
    """A cause's verdict on a row as its symbol and style."""
    test = cause.tests.get(row_id)
    if test is None:
        return UNTESTED_SYMBOL, "bold"
    return VERDICT_SYMBOLS[test.verdict], _VERDICT_STYLE[test.verdict]


def _rich_grid(ids: list[str], cells: list[list[tuple[str, str]]]) -> RenderableType:
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    table.add_column("row", overflow="fold", ratio=1)
    for cause_id in ids:
        table.add_column(Text(cause_id), justify="center", overflow="fold", min_width=3)
    for row in cells:
        table.add_row(*(Text(text, style=style) for text, style in row))
    return table


def _plain_grid(ids: list[str], cells: list[list[tuple[str, str]]]) -> RenderableType:
    columns = [plain.Column("row", ratio=1)]
    columns += [plain.Column(cause_id, max_width=12, justify="center") for cause_id in ids]
    table = plain.PlainTable(columns)
    for row in cells:
        table.add_row(*row)
    return table


def render_causes(a: Analysis) -> RenderableType:
    """The possible causes: id, where the idea came from, and the cause itself."""
    table = _table("cause", "origin", "how it could produce the deviation")
    for cause in a.causes:
        origin = joined(cause.origin, user_text(f" {cause.origin_ref}" if cause.origin_ref else ""))
        table.add_row(user_text(cause.id, "bold"), origin, user_text(cause.text))
    return table


def _plain_causes(a: Analysis) -> RenderableType:
    """The causes of a large analysis as plain lines, laid out like :func:`render_causes`."""
    table = plain.PlainTable(
        (
            plain.Column("cause", max_width=12),
            plain.Column("origin", max_width=24),
            plain.Column("how it could produce the deviation", ratio=1),
        )
    )
    for cause in a.causes:
        origin = clean(f"{cause.origin} {cause.origin_ref}" if cause.origin_ref else cause.origin)
        table.add_row((clean(cause.id), "bold"), (origin, ""), (clean(cause.text), ""))
    return table


def _ranking_notes(
    a: Analysis, r: RankedCause, labels: dict[str, str]
) -> list[tuple[str, str, str]]:
    """Symbol, its style and the (cleaned) text of each note under a ranked cause."""
    notes: list[tuple[str, str, str]] = []
    noted: tuple[tuple[Verdict, tuple[tuple[str, str], ...]], ...] = (
        ("explains_only_if", r.assumptions),
        ("does_not_explain", r.contradictions),
    )
    for verdict, items in noted:
        symbol, style = VERDICT_SYMBOLS[verdict], _VERDICT_STYLE[verdict]
        for row, note in items:
            notes.append((symbol, style, clean(f"{labels.get(row, row)}: {note}")))
    for v in a.verifications:
        if v.cause == r.cause.id and v.status != "planned":
            symbol = "✓" if v.status == "confirmed" else "✗"
            notes.append((symbol, "bold", clean(f"verification {v.id} {v.status}: {v.checks}")))
    if r.untested:
        untested = ", ".join(labels.get(x, x) for x in r.untested)
        notes.append((UNTESTED_SYMBOL, "bold", clean(f"{UNTESTED_WORDS}: {untested}")))
    return notes


def _ranking_table(a: Analysis, ranked: list[RankedCause]) -> RenderableType:
    labels = {r.id: r.label for r in a.specification}
    table = _table("#", "cause", "standing", "assumptions")
    table.columns[0].overflow = "ignore"
    table.columns[1].ratio = 4
    table.columns[2].ratio = 1
    for n, r in enumerate(ranked, 1):
        notes = _grid()
        for symbol, style, note in _ranking_notes(a, r, labels):
            notes.add_row(Text(symbol, style=style), Text(note, style="dim"))
        what = Group(joined(user_text(r.cause.id, "bold"), " ", user_text(r.cause.text)), notes)
        style = _GROUP_STYLE[r.group]
        table.add_row(str(n), what, Text(r.standing, style=style), str(len(r.assumptions)))
    return table


def _plain_ranking(a: Analysis, ranked: list[RankedCause]) -> RenderableType:
    """The ranking of a large analysis: the notes in rows of their own, under the cause."""
    labels = {r.id: r.label for r in a.specification}
    table = plain.PlainTable(
        (
            plain.Column("#"),
            plain.Column("", max_width=12),
            plain.Column("cause", ratio=4),
            plain.Column("standing", max_width=10),
            plain.Column("assumptions"),
        )
    )
    for n, r in enumerate(ranked, 1):
        standing = (r.standing, _GROUP_STYLE[r.group])
        table.add_row(
            (str(n), ""),
            (clean(r.cause.id), "bold"),
            (clean(r.cause.text), ""),
            standing,
            (str(len(r.assumptions)), ""),
        )
        for symbol, style, note in _ranking_notes(a, r, labels):
            table.add_row(("", ""), (symbol, style), (note, "dim"))
    return table


def render_ranking(a: Analysis) -> RenderableType:
    """Causes, most probable first: assumptions, facts not explained, what remains to verify."""
    ranked = rank_causes(a)
    if not ranked:
        return Text("No possible causes yet.", style="dim")
    large = len(ranked) > LARGE_CAUSES
    table = _plain_ranking(a, ranked) if large else _ranking_table(a, ranked)
    best = most_probable(a)
    footer = Text()
    if best is None:
        footer.append("Most probable cause: none yet; no cause explains every fact.", "bold")
        return Group(table, footer)
    footer.append("Most probable cause: ", style="bold")
    footer.append_text(joined(user_text(best.cause.id, "bold"), " ", user_text(best.cause.text)))
    tc = a.true_cause
    if tc is not None and tc.cause == best.cause.id:
        proofs = ", ".join(tc.verifications)
        footer.append(f"\nConfirmed as the true cause ({proofs}).", style="green")
        return Group(table, footer)
    footer.append("\nRemaining to verify:", style="bold")
    return Group(table, footer, _bullets([user_text(x) for x in remaining_to_verify(a)], "nothing"))


# -- the rest of the analysis -----------------------------------------------------------------


def _header(a: Analysis) -> RenderableType:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row("id", user_text(a.id))
    grid.add_row("ticket", user_text(a.ticket or "none"))
    status = Text(a.status, style=_STATUS_STYLE[a.status])
    if a.closure is not None:
        status.append_text(user_text(f" {when(a.closure.at)} by {a.closure.by}"))
        if a.closure.forced:
            status.append(" (by force, unproven)", style="bold red")
    grid.add_row("status", status)
    depth = Text(a.appraisal.depth or NO_DEPTH)
    if a.appraisal.depth_reason:
        depth.append_text(user_text(f": {a.appraisal.depth_reason}"))
    grid.add_row("depth", depth)
    grid.add_row("priority", Text(top_priority(a.appraisal.concerns) or "not rated"))
    if a.playbook is not None:
        p = a.playbook
        grid.add_row("playbook", user_text(f"{p.id} {p.version} sha256 {p.sha256[:12]}"))
    grid.add_row("analysts", user_text(", ".join(a.analysts) or "none"))
    grid.add_row("updated", Text(f"{when(a.updated_at)} (created {when(a.created_at)})"))
    grid.add_row("impact", user_text(a.business_impact) if a.business_impact else _missing("none"))
    return Group(user_text(a.title, "bold"), grid)


def _missing(text: str) -> Text:
    return Text(text, style="italic dim")


def _concerns(a: Analysis) -> RenderableType:
    table = _table("", "concern", "priority", "S/U/G")
    table.columns[1].ratio = 1
    for c in a.appraisal.concerns:
        what = user_text(c.text)
        what.append(f"\nnext: {NEXT_STEP_LABELS[c.next_step]}", style="dim")
        if c.owner:
            what.append_text(user_text(f" · owner: {c.owner}", "dim"))
        table.add_row(
            user_text(c.id),
            what,
            Text(c.priority or "", style="bold"),
            f"{c.seriousness}/{c.urgency}/{c.growth}",
        )
    legend = Text("S/U/G: seriousness / urgency / growth", style="dim")
    return Group(table, legend)


def _statement(a: Analysis) -> Text:
    if a.statement is None:
        return _missing("no statement yet: one object, one deviation")
    return joined(
        Text("object     ", style="bold"),
        user_text(a.statement.object),
        Text("\ndeviation  ", style="bold"),
        user_text(a.statement.deviation),
    )


def _bullets(items: Sequence[RenderableType], empty: str = "none recorded") -> RenderableType:
    if not items:
        return _missing(empty)
    grid = _grid()
    for item in items:
        grid.add_row("•", item)
    return grid


def _rows(ids: list[str]) -> Text:
    return user_text(f" (rows: {', '.join(ids)})", "dim") if ids else Text()


def _distinctions(a: Analysis) -> Group:
    ds = [
        joined(user_text(d.id, "bold"), " ", user_text(d.text), _rows(d.rows))
        for d in a.distinctions
    ]
    cs = []
    for c in a.changes:
        about = user_text(f" (about {c.distinction})", "dim") if c.distinction else Text()
        cs.append(
            joined(
                user_text(c.id, "bold"),
                " ",
                user_text(c.when_text, "cyan"),
                ": ",
                user_text(c.text),
                about,
                _rows(c.rows),
            )
        )
    return Group(
        Text("Distinctions", style="bold underline"),
        _bullets(ds),
        Text("Changes", style="bold underline"),
        _bullets(cs),
    )


def _verifications(a: Analysis) -> RenderableType:
    if not a.verifications:
        return _missing("no verification steps yet")
    styles = {"planned": "yellow", "confirmed": "green", "refuted": "red"}
    grid = _grid()
    for n, v in enumerate(a.verifications):
        if n:
            grid.add_row("", "")
        line = joined(Text(v.status, style=styles[v.status]), user_text(f" · cause {v.cause}"))
        if v.by or v.at:
            stamp = ", ".join(x for x in (v.by or "", when(v.at) if v.at else "") if x)
            line.append_text(user_text(f" · {stamp}", "dim"))
        grid.add_row(user_text(v.id, "bold"), line)
        grid.add_row(Text("checks", style="dim"), user_text(v.checks))
        grid.add_row(Text("method", style="dim"), user_text(v.method))
        if v.result:
            grid.add_row(Text("result", style="dim"), user_text(v.result))
    return grid


def _true_cause(a: Analysis) -> Text:
    tc = a.true_cause
    if tc is None:
        return _missing("not confirmed yet")
    cause = a.cause(tc.cause)
    out = joined(user_text(tc.cause, "bold green"), " ", user_text(cause.text if cause else ""))
    proofs = ", ".join(tc.verifications) or "none listed"
    confirmed = f"\nconfirmed by {tc.confirmed_by}, {when(tc.confirmed_at)}; verification: {proofs}"
    out.append_text(user_text(confirmed, "dim"))
    return out


def decision_parts(a: Analysis) -> list[RenderableType]:
    """The decision and the protection (ktcli.ui.decision_view), imported only when present."""
    if a.decision is None and a.protection is None:
        return []
    from ktcli.ui import decision_view

    return decision_view.decision_parts(a)


def _actions(a: Analysis) -> Group:
    parts: list[RenderableType] = []
    styles = {"planned": "yellow", "in_progress": "cyan", "done": "green"}
    for kind, title in ACTION_KIND_TITLES.items():
        parts.append(Text(title, style="bold underline"))
        items = []
        for x in (x for x in a.actions if x.kind == kind):
            line = joined(user_text(x.id, "bold"), " ")
            line.append(ACTION_STATUS_LABELS[x.status], style=styles[x.status])
            line.append_text(joined(" ", user_text(x.text)))
            if x.trigger:
                line.append_text(user_text(f" (when: {x.trigger})", "dim"))
            if x.owner:
                line.append_text(user_text(f" (owner: {x.owner})", "dim"))
            items.append(line)
        parts.append(_bullets(items))
    return Group(*parts)


def _requests(a: Analysis) -> RenderableType:
    if not a.data_requests:
        return _missing("none recorded")
    grid = _grid()
    for n, r in enumerate(a.data_requests):
        if n:
            grid.add_row("", "")
        grid.add_row(
            user_text(r.id, "bold"),
            joined(user_text(r.for_analyst), user_text(f" (from {r.requested_from})", "dim")),
        )
        state = Text(f"asked {when(r.asked_at)}; " if r.asked_at else "not asked yet; ", "dim")
        if r.received_at:
            state.append(f"received {when(r.received_at)}", style="green")
        elif r.dismissed:
            state.append_text(user_text(f"not needed: {r.dismissed}", "dim"))
        else:
            state.append("outstanding", style="yellow")
        if r.row:
            state.append_text(user_text(f" · row {r.row}", "dim"))
        grid.add_row("", state)
        if r.result:
            grid.add_row("", user_text(r.result))
    return grid


def _questions(a: Analysis) -> RenderableType:
    items = []
    for q in a.open_questions:
        line = joined(user_text(q.id, "bold"), " ", user_text(q.text))
        if q.owner:
            line.append_text(user_text(f" (owner: {q.owner})", "dim"))
        if q.answer:
            line.append_text(joined(Text("\n  answer: ", style="dim"), user_text(q.answer)))
        items.append(line)
    return _bullets(items)


def _closure(a: Analysis) -> Text:
    c = a.closure
    if c is None:
        return _missing(f"not closed (status: {a.status})")
    out = user_text(f"closed {when(c.at)} by {c.by}")
    out.append("\ncustomer confirmation: ", style="bold")
    out.append_text(
        user_text(c.customer_confirmation) if c.customer_confirmation else _missing("none")
    )
    if c.fix_tracked_in:
        out.append_text(joined("\nopen fix tracked in: ", user_text(c.fix_tracked_in)))
    if c.forced:
        out.append("\nclosed by force, unproven: ", style="bold red")
        out.append_text(user_text(c.reason or "no reason given"))
    elif c.reason:
        out.append_text(joined("\nnote: ", user_text(c.reason)))
    return out


def render_analysis(a: Analysis) -> RenderableType:
    """The whole analysis for ``ktcli show``, section by section, readable at 80 columns."""
    parts: list[RenderableType] = [_header(a)]
    if a.appraisal.concerns:
        parts += [_section("Appraisal"), _concerns(a)]
    parts += [
        _section("Problem statement"),
        _statement(a),
        _section("IS / IS NOT"),
        render_matrix(a),
        _section("Distinctions and changes"),
        _distinctions(a),
        _section("Possible causes"),
    ]
    if len(a.causes) > LARGE_CAUSES:
        parts += [_plain_causes(a), render_cause_grid(a), _section("Ranking"), render_ranking(a)]
    elif a.causes:
        parts += [render_causes(a), render_cause_grid(a), _section("Ranking"), render_ranking(a)]
    else:
        parts.append(_missing("no possible causes yet"))
    parts += [
        _section("Verification"),
        _verifications(a),
        _section("True cause"),
        _true_cause(a),
        *decision_parts(a),
        _section("Actions"),
        _actions(a),
        _section("Data requests"),
        _requests(a),
        _section("Open questions"),
        _questions(a),
    ]
    if a.escalations:
        items: list[RenderableType] = []
        for e in a.escalations:
            line = joined(Text(when(e.at), "cyan"), " ", user_text(f"{e.by} to {e.to}: {e.reason}"))
            if e.missing:
                line.append_text(user_text(f"\nstill missing: {'; '.join(e.missing)}", "dim"))
            items.append(line)
        parts += [_section("Escalations"), _bullets(items)]
    parts += [_section("Closure"), _closure(a)]
    return Group(*parts)
