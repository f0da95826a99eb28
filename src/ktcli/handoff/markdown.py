"""An analysis as GitHub-flavoured Markdown, to paste into a ticket. Pure: analysis in, text out.

Every piece of user text goes through :func:`~ktcli.handoff.mdtext.inline` (or a
fenced block), so a pipe never splits a table cell, ``<script>`` stays text, and
``[x](y)`` never becomes a link. The output depends only on the analysis (no clock), so it can be
pinned by a golden file. The words for verdicts, action kinds and next steps come
from :mod:`ktcli.core.vocabulary`, and the time format (in :mod:`ktcli.handoff.mdtext`)
is shared with :mod:`ktcli.ui.render`, so the terminal and the ticket say the same thing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ktcli.core.analysis import answered_rows, most_probable, rank_causes, remaining_to_verify
from ktcli.core.vocabulary import (
    ACTION_KIND_TITLES,
    ACTION_STATUS_LABELS,
    NEXT_STEP_LABELS,
    NO_DEPTH,
    UNTESTED_WORDS,
    VERDICT_SHORT,
)
from ktcli.handoff.decision_md import markdown_lines
from ktcli.handoff.mdtext import NONE_RECORDED, MarkdownDoc, inline, top_priority, when

if TYPE_CHECKING:
    from ktcli.core.model import Analysis, Cell, DataRequest, Row

# -- the document ------------------------------------------------------------------------------


def to_markdown(a: Analysis) -> str:
    """The whole analysis as GitHub-flavoured Markdown, deterministic for the same input."""
    doc = MarkdownDoc()
    ticket = f"{inline(a.ticket)}: " if a.ticket else ""
    doc.add(f"# {ticket}{inline(a.title)}", "")
    _metadata(doc, a)
    doc.heading(2, "Business impact")
    doc.add(doc.text(a.business_impact, "business impact") if a.business_impact else NONE_RECORDED)
    _appraisal(doc, a)
    doc.heading(2, "Problem statement")
    if a.statement is None:
        doc.add("_No statement yet: one object, one deviation._")
    else:
        doc.add(
            f"- **Object:** {doc.text(a.statement.object, 'statement object')}",
            f"- **Deviation:** {doc.text(a.statement.deviation, 'statement deviation')}",
        )
    _matrix(doc, a)
    _distinctions(doc, a)
    _causes(doc, a)
    _ranking(doc, a)
    _verifications(doc, a)
    _true_cause(doc, a)
    _decide_and_protect(doc, a)
    _actions(doc, a)
    _requests(doc, a)
    _questions(doc, a)
    _pitfalls(doc, a)
    _escalations(doc, a)
    _closure(doc, a)
    _history(doc, a)
    return doc.render()


def to_summary(a: Analysis) -> str:
    """The ticket-sized handoff (``export -f markdown --summary``): no appraisal, no history.

    Statement, matrix, ranking, verification, next steps and open requests.
    """
    doc = MarkdownDoc()
    ticket = f"{inline(a.ticket)}: " if a.ticket else ""
    doc.add(f"# {ticket}{inline(a.title)}", "")
    priority = top_priority(a.appraisal.concerns) or "not rated"
    doc.add(
        f"{_code(a.id)} · {a.status} · priority {priority} · depth "
        f"{a.appraisal.depth or NO_DEPTH} · updated {when(a.updated_at)}"
    )
    doc.heading(2, "Problem statement")
    if a.statement is None:
        doc.add("_No statement yet: one object, one deviation._")
    else:
        doc.add(f"{doc.text(a.statement.text, 'statement')}")
    _matrix(doc, a)
    _ranking(doc, a)
    _verifications(doc, a)
    _true_cause(doc, a)
    _next_steps(doc, a)
    _open_requests(doc, a)
    doc.heading(2, "More")
    doc.add(f"The whole analysis, history included: `ktcli export {a.id} -f markdown`.")
    return doc.render()


def _next_steps(doc: MarkdownDoc, a: Analysis) -> None:
    """Actions not done, questions not answered, then what else ``status`` finds open."""
    from ktcli.handoff.status import status

    steps = []
    for x in a.actions:
        if x.status == "done":
            continue
        trigger = f" (when: {inline(x.trigger)})" if x.trigger else ""
        owner = f" (owner: {inline(x.owner)})" if x.owner else ""
        steps.append(
            f"{_code(x.id)} {x.kind}: {doc.text(x.text, x.id)}{trigger}{owner}: "
            + ACTION_STATUS_LABELS[x.status]
        )
    steps += [
        f"{_code(q.id)} open question: {doc.text(q.text, q.id)}"
        + (f" (owner: {inline(q.owner)})" if q.owner else "")
        for q in a.open_questions
        if not q.answer
    ]
    others = (o for o in status(a).open if o.kind not in ("request", "action", "question"))
    steps += [inline(o.text) for o in others]
    doc.bullets("Next steps", steps)


def _open_requests(doc: MarkdownDoc, a: Analysis) -> None:
    doc.heading(2, "Open data requests")
    waiting = [r for r in a.data_requests if r.outstanding]
    if not waiting:
        doc.add(NONE_RECORDED)
        return
    doc.table(
        ["Request", "What", "From", "Asked"],
        (
            [
                _code(r.id),
                doc.text(r.for_analyst, f"request {r.id}"),
                inline(r.requested_from),
                when(r.asked_at) if r.asked_at else "",
            ]
            for r in waiting
        ),
    )


def _code(ident: str) -> str:
    # Ids match model.ID_PATTERN (letters, digits, . _ -), so a code span cannot break.
    return f"`{ident}`"


def _metadata(doc: MarkdownDoc, a: Analysis) -> None:
    depth = a.appraisal.depth or NO_DEPTH
    priority = top_priority(a.appraisal.concerns) or "not rated"
    doc.add(
        f"- **Analysis:** {_code(a.id)}",
        f"- **Ticket:** {inline(a.ticket) if a.ticket else 'none'}",
        f"- **Status:** {a.status}",
        f"- **Priority:** {priority} · **Depth:** {depth}",
        f"- **Analysts:** {', '.join(inline(n) for n in a.analysts) or 'none'}",
        f"- **Created:** {when(a.created_at)} · **Updated:** {when(a.updated_at)}",
    )
    if a.playbook is None:
        doc.add("- **Playbook:** none")
    else:
        p = a.playbook
        doc.add(
            f"- **Playbook:** {_code(p.id)} version {inline(p.version)}, sha256 {_code(p.sha256)}"
        )


def _appraisal(doc: MarkdownDoc, a: Analysis) -> None:
    doc.heading(2, "Appraisal")
    ap = a.appraisal
    if ap.concerns:
        doc.table(
            ["Id", "Concern", "Seriousness", "Urgency", "Growth", "Priority", "Next step", "Owner"],
            (
                [
                    _code(c.id),
                    doc.text(c.text, f"concern {c.id}"),
                    c.seriousness,
                    c.urgency,
                    c.growth,
                    f"**{c.priority}**",
                    NEXT_STEP_LABELS[c.next_step],
                    inline(c.owner) if c.owner else "",
                ]
                for c in ap.concerns
            ),
        )
        doc.flush()
        doc.add("")
    else:
        doc.add("_No concerns listed._", "")
    reason = f": {doc.text(ap.depth_reason, 'depth reason')}" if ap.depth_reason else ""
    doc.add(f"**Depth:** {ap.depth or NO_DEPTH}{reason}")
    if ap.reopened:
        doc.add("", "**Reopened:** yes")


def cell_markdown(doc: MarkdownDoc, row: Row, side: str, cell: Cell | None) -> str:
    """One IS or IS NOT cell: the fact with its source, or the marker that stands for it."""
    where = f"{row.label}, {side}"
    if cell is None:
        return "**⚠ blank**"
    if cell.kind == "not_applicable":
        return f"_not applicable:_ {doc.text(cell.reason, where)}"
    if cell.kind == "need_data":
        return f"**need data:** {inline(cell.who)} / {doc.text(cell.how, where)}"
    out = f"{doc.text(cell.text, where)}<br>_source:_ {inline(cell.source)} ({cell.status})"
    if cell.evidence:
        out += "<br>_evidence:_ " + "; ".join(inline(e) for e in cell.evidence)
    return out


def _matrix(doc: MarkdownDoc, a: Analysis) -> None:
    doc.heading(2, "Specification: IS / IS NOT")
    doc.table(
        ["Row", "IS", "IS NOT"],
        (
            [
                f"**{inline(r.label)}**<br>{_code(r.id)}",
                cell_markdown(doc, r, "IS", r.is_),
                cell_markdown(doc, r, "IS NOT", r.is_not),
            ]
            for r in a.specification
        ),
    )


def _rows_of(ids: list[str]) -> str:
    return f" (rows: {', '.join(_code(r) for r in ids)})" if ids else ""


def _distinctions(doc: MarkdownDoc, a: Analysis) -> None:
    doc.bullets(
        "Distinctions",
        [
            f"{_code(d.id)} {doc.text(d.text, f'distinction {d.id}')}{_rows_of(d.rows)}"
            for d in a.distinctions
        ],
    )
    doc.bullets(
        "Changes",
        [
            f"{_code(c.id)} **{inline(c.when_text)}**: {doc.text(c.text, f'change {c.id}')}"
            + (f", about {_code(c.distinction)}" if c.distinction else "")
            + _rows_of(c.rows)
            for c in a.changes
        ],
    )


#: Causes per table in the cause-test grid, so that a ticket never gets a 40-column table.
GRID_CAUSES = 4


def _causes(doc: MarkdownDoc, a: Analysis) -> None:
    doc.heading(2, "Possible causes and their tests")
    if not a.causes:
        doc.add(NONE_RECORDED)
        return
    doc.table(
        ["Cause", "Origin", "How it could produce the deviation"],
        (
            [
                _code(c.id),
                c.origin + (f" {inline(c.origin_ref)}" if c.origin_ref else ""),
                doc.text(c.text, f"cause {c.id}"),
            ]
            for c in a.causes
        ),
    )
    doc.flush()
    rows = answered_rows(a)
    if not rows:
        doc.add("", "_No answered rows yet to test the causes against._")
        return
    doc.add(
        "",
        "Each cause against each answered row: "
        f"**{VERDICT_SHORT['explains']}** because (a reason), "
        f"**{VERDICT_SHORT['explains_only_if']}** (an assumption), "
        f"**{VERDICT_SHORT['does_not_explain']}** (why not).",
    )
    tables = -(-len(a.causes) // GRID_CAUSES)
    size = -(-len(a.causes) // tables)  # spread evenly: 5 causes give 3 + 2, not 4 + 1
    for start in range(0, len(a.causes), size):
        chunk = a.causes[start : start + size]
        doc.add("")
        grid = []
        for r in rows:
            line = [f"**{inline(r.label)}**"]
            for c in chunk:
                test = c.tests.get(r.id)
                if test is None:
                    line.append(f"_{UNTESTED_WORDS}_")
                else:
                    word = VERDICT_SHORT[test.verdict]
                    line.append(f"**{word}**: {doc.text(test.note, f'{c.id} on {r.label}')}")
            grid.append(line)
        doc.table(["Row", *(_code(c.id) for c in chunk)], grid)
        doc.flush()


def _ranking(doc: MarkdownDoc, a: Analysis) -> None:
    doc.heading(2, "Ranking")
    ranked = rank_causes(a)
    if not ranked:
        doc.add(NONE_RECORDED)
        return
    labels = {r.id: r.label for r in a.specification}
    doc.table(
        ["Rank", "Cause", "Standing", "Assumptions", "Does not explain", "Verification"],
        (
            [
                str(n),
                _code(r.cause.id),
                r.standing,
                str(len(r.assumptions)),
                ", ".join(inline(labels.get(row, row)) for row, _ in r.contradictions),
                ", ".join(
                    f"{_code(v.id)} {v.status}" for v in a.verifications if v.cause == r.cause.id
                ),
            ]
            for n, r in enumerate(ranked, 1)
        ),
    )
    best = most_probable(a)
    doc.add("")
    if best is None:
        doc.add("**Most probable cause:** none yet: no cause explains every fact.")
        return
    doc.add(f"**Most probable cause:** {_code(best.cause.id)} {doc.text(best.cause.text, 'cause')}")
    tc = a.true_cause
    if tc is not None and tc.cause == best.cause.id:
        proofs = ", ".join(_code(v) for v in tc.verifications)
        doc.add("", f"Confirmed as the true cause ({proofs}). The assumptions it rested on:")
        todo = [f"{labels.get(row, row)}: {note}" for row, note in best.assumptions]
    else:
        doc.add("", "**Remaining to verify:**")
        todo = remaining_to_verify(a)
    doc.add("")
    doc.add(*(f"- {doc.text(item, 'to verify')}" for item in todo or ["nothing"]))


def _verifications(doc: MarkdownDoc, a: Analysis) -> None:
    doc.heading(2, "Verification")
    if not a.verifications:
        doc.add(NONE_RECORDED)
        return
    doc.table(
        ["Step", "Cause", "Checks", "Method", "Result", "Status", "By"],
        (
            [
                _code(v.id),
                _code(v.cause),
                doc.text(v.checks, f"{v.id} checks"),
                doc.text(v.method, f"{v.id} method"),
                doc.text(v.result, f"{v.id} result") if v.result else "",
                f"**{v.status}**",
                ", ".join(
                    x for x in (inline(v.by) if v.by else "", when(v.at) if v.at else "") if x
                ),
            ]
            for v in a.verifications
        ),
    )


def _true_cause(doc: MarkdownDoc, a: Analysis) -> None:
    doc.heading(2, "True cause")
    tc = a.true_cause
    if tc is None:
        doc.add("_Not confirmed yet._")
        return
    cause = a.cause(tc.cause)
    text = doc.text(cause.text, "true cause") if cause else ""
    proofs = ", ".join(_code(v) for v in tc.verifications) or "none listed"
    doc.add(
        f"{_code(tc.cause)} {text}",
        "",
        f"Confirmed by {inline(tc.confirmed_by)} on {when(tc.confirmed_at)}; "
        f"verification: {proofs}.",
    )


def _decide_and_protect(doc: MarkdownDoc, a: Analysis) -> None:
    doc.flush()
    doc.add(*markdown_lines(a))


def _actions(doc: MarkdownDoc, a: Analysis) -> None:
    doc.heading(2, "Actions")
    marks = {"planned": "[ ]", "in_progress": "[ ]", "done": "[x]"}
    for kind, title in ACTION_KIND_TITLES.items():
        doc.add(f"**{title}**", "")
        items = [x for x in a.actions if x.kind == kind]
        for x in items:
            owner = f" (owner: {inline(x.owner)})" if x.owner else ""
            if x.trigger:
                owner = f" (when: {inline(x.trigger)})" + owner
            status = ACTION_STATUS_LABELS[x.status]
            doc.add(f"- {marks[x.status]} {_code(x.id)} {doc.text(x.text, x.id)}{owner}: {status}")
        if not items:
            doc.add(NONE_RECORDED)
        doc.flush()
        doc.add("")


def _requests(doc: MarkdownDoc, a: Analysis) -> None:
    doc.heading(2, "Data requests")
    if not a.data_requests:
        doc.add(NONE_RECORDED)
        return
    doc.table(
        ["Request", "What", "From", "Asked", "Received", "Result"],
        (
            [
                _code(r.id) + (f"<br>row {_code(r.row)}" if r.row else ""),
                doc.text(r.for_analyst, f"request {r.id}"),
                inline(r.requested_from),
                when(r.asked_at) if r.asked_at else "",
                _received(r),
                doc.text(r.result, f"request {r.id} result") if r.result else "",
            ]
            for r in a.data_requests
        ),
    )


def _received(r: DataRequest) -> str:
    if r.received_at:
        return when(r.received_at)
    if r.dismissed:
        return f"not needed: {inline(r.dismissed)}"
    return "**outstanding**"


def _questions(doc: MarkdownDoc, a: Analysis) -> None:
    doc.bullets(
        "Open questions",
        [
            f"{_code(q.id)} {doc.text(q.text, f'question {q.id}')}"
            + (f" (owner: {inline(q.owner)})" if q.owner else "")
            + (f"<br>**Answer:** {doc.text(q.answer, f'answer {q.id}')}" if q.answer else "")
            for q in a.open_questions
        ],
    )


def _pitfalls(doc: MarkdownDoc, a: Analysis) -> None:
    doc.bullets(
        "Pitfall warnings kept",
        [
            f"{inline(p.field)}: {inline(p.kind)} ('{inline(p.term)}') in "
            f"'{doc.text(p.text, p.field)}'<br>Question: {inline(p.question)}"
            for p in a.pitfalls
        ],
    )


def _escalations(doc: MarkdownDoc, a: Analysis) -> None:
    doc.bullets(
        "Escalations",
        [
            f"{when(e.at)}: {inline(e.by)} to {inline(e.to)}: "
            f"{doc.text(e.reason, 'escalation reason')}"
            + ("<br>Still missing: " + "; ".join(inline(m) for m in e.missing) if e.missing else "")
            for e in a.escalations
        ],
    )


def _closure(doc: MarkdownDoc, a: Analysis) -> None:
    doc.heading(2, "Closure")
    c = a.closure
    if c is None:
        doc.add(f"_Not closed (status: {a.status})._")
        return
    doc.add(f"- **Closed:** {when(c.at)} by {inline(c.by)}")
    if c.customer_confirmation:
        confirmation = doc.text(c.customer_confirmation, "customer confirmation")
        doc.add(f"- **Customer confirmation:** {confirmation}")
    else:
        doc.add("- **Customer confirmation:** none recorded")
    if c.fix_tracked_in:
        doc.add(f"- **Open fix tracked in:** {inline(c.fix_tracked_in)}")
    if c.forced:
        reason = inline(c.reason) if c.reason else "no reason given"
        doc.add(f"- **Closed by force, unproven:** {reason}")
    elif c.reason:
        doc.add(f"- **Note:** {doc.text(c.reason, 'closure note')}")


def _history(doc: MarkdownDoc, a: Analysis) -> None:
    doc.heading(2, "History")
    if not a.history:
        doc.add(NONE_RECORDED)
        return
    doc.table(
        ["When", "Who", "What"],
        ([when(h.at), inline(h.who), doc.text(h.what, f"history {when(h.at)}")] for h in a.history),
    )
