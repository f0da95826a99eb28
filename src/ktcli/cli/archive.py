"""The case archive: keep the index, search every analysis, and ask "same problem?"."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ktcli.cli import context
from ktcli.cli.common import JsonOpt, TargetArg, edit, load_target, print_json

if TYPE_CHECKING:
    from datetime import datetime

    from ktcli.archive.index import Listed
    from ktcli.cli.context import AppContext
    from ktcli.core.model import Analysis, FixReuse
    from ktcli.core.similarity import Comparison


def index(
    ctx: typer.Context,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Forget the index and read every file again.")
    ] = False,
) -> None:
    """Bring the index of the store and the archives up to date with the files.

    Every command that reads the index checks it first; this compares every
    file's stamp (finding files rewritten in place too) and says what it
    found, and --rebuild starts from nothing (the files are the truth, the
    index is derived).
    """
    app_ctx = context.of(ctx)
    idx = app_ctx.index
    report = idx.rebuild() if rebuild else idx.sync(thorough=True)
    total, broken = idx.counts()
    where = idx.where()
    app_ctx.terminal.success(
        f"{total} analyses indexed, {broken} could not be read; "
        f"{report.read} read, {report.removed} removed; index {where}"
    )


def search(
    ctx: typer.Context,
    text: Annotated[list[str], typer.Argument(help="Words that must all appear.")],
    limit: Annotated[int, typer.Option(help="Show at most this many.", min=1)] = 20,
    as_json: JsonOpt = False,
) -> None:
    """Search every indexed analysis for words, best match first.

    Title, ticket, statement, facts, distinctions, changes, causes,
    verification and actions are searched, in the store and the archives.
    Each result shows the matching text, the status and the true cause.
    """
    app_ctx = context.of(ctx)
    query = " ".join(text)
    items = app_ctx.index.search(query, limit)
    if as_json:
        print_json(app_ctx, "search", query=query, items=[i.as_json() for i in items])
        return
    if not items:
        app_ctx.terminal.info("nothing found; try fewer or other words")
        return
    from ktcli.ui.archive_view import render_search

    app_ctx.terminal.show(render_search(items))


def similar(
    ctx: typer.Context,
    target: TargetArg,
    limit: Annotated[int, typer.Option(help="Show at most this many candidates.", min=1)] = 5,
    reuse: Annotated[
        str | None,
        typer.Option(
            "--reuse",
            metavar="PAST-ID",
            help="Re-use this past analysis's fix: shows the comparison, records the choice.",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Is this the same problem? Compare the specification with every indexed analysis.

    Row by row: facts that match, facts that contradict (IS now, IS NOT
    then: evidence that it is not the same problem, however alike the
    titles), and rows that cannot be compared yet. Each candidate shows its
    true cause, how it was verified, and the fix. --reuse records the
    choice in the analysis, refused when a fact contradicts.
    """
    app_ctx = context.of(ctx)
    analysis = load_target(app_ctx, target)
    found = candidates(app_ctx, analysis)
    if reuse is not None:
        _record_reuse(ctx, analysis.id, reuse, found)
        return
    found = found[:limit]
    if as_json:
        listed = [_comparison_json(i, c) for i, c in found]
        print_json(app_ctx, "similar", id=analysis.id, candidates=listed)
        return
    if not found:
        app_ctx.terminal.info("no indexed analysis shares a word with this one")
        return
    from ktcli.ui.archive_view import render_similar

    app_ctx.terminal.show(render_similar(found))


def candidates(app_ctx: AppContext, analysis: Analysis) -> list[tuple[Listed, Comparison]]:
    """Every indexed analysis sharing a word with this one, compared with it, best first."""
    from ktcli.core.similarity import compare, profile

    mine = profile(analysis)
    found = [
        (item, compare(mine, past))
        for item, past in app_ctx.index.similar(mine.words(), analysis.id)
    ]
    found.sort(key=lambda pair: (-pair[1].score, pair[0].id))
    return found


def reuse_of(item: Listed, cmp: Comparison, *, who: str, now: datetime) -> FixReuse:
    """What the analysis records when it re-uses the fix of ``item`` (``fix_reused_from``)."""
    from ktcli.core.model import FixReuse

    return FixReuse(
        analysis=item.id,
        source=item.source,
        verdict=cmp.verdict,
        matching=len(cmp.matches),
        contradicting=len(cmp.contradictions),
        true_cause=cmp.past.true_cause,
        fix=list(cmp.past.fix),
        by=who,
        at=now,
    )


def reuse_note(item: Listed, cmp: Comparison) -> str:
    """The history's words for a re-used fix."""
    return f"re-used the fix of {item.id} ({cmp.verdict})"


def _comparison_json(item: Listed, cmp: Comparison) -> dict[str, object]:
    """One candidate for ``--json``: who, the verdict, the counts and the reasons."""
    return {
        "id": item.id,
        "source": item.source,
        "title": item.title,
        "verdict": cmp.verdict,
        "score": cmp.score,
        "matching": len(cmp.matches),
        "contradicting": len(cmp.contradictions),
        "different": len(cmp.differences),
        "not_comparable": cmp.not_comparable,
        "reasons": cmp.reasons(),
        "true_cause": cmp.past.true_cause,
        "verified_by": list(cmp.past.verified_by),
        "fix": list(cmp.past.fix),
    }


def _record_reuse(
    ctx: typer.Context, analysis_id: str, past_id: str, found: list[tuple[Listed, Comparison]]
) -> None:
    """Show the comparison with ``past_id``, then record its fix as re-used, unless contradicted."""
    from ktcli.core.similarity import NOT_SAME
    from ktcli.errors import KtError, NotFoundError
    from ktcli.ui.archive_view import render_comparison

    app_ctx = context.of(ctx)
    pick = next(((i, c) for i, c in found if i.id == past_id), None)
    if pick is None:
        raise NotFoundError(
            f"{past_id!r} is not among the analyses comparable with {analysis_id!r}",
            hint=f"Run 'ktcli similar {analysis_id}' to see the candidates.",
        )
    item, cmp = pick
    app_ctx.terminal.show(render_comparison(item, cmp, reasons=len(cmp.reasons())))
    if cmp.verdict == NOT_SAME:
        raise KtError(
            f"not re-using the fix of {past_id}: a fact contradicts, so it is not the same problem",
            hint="Find the cause of this one; the contradicting rows above say where they differ.",
        )
    reused = reuse_of(item, cmp, who=app_ctx.who, now=app_ctx.now())

    def change(a: Analysis) -> None:
        a.fix_reused_from = reused

    edit(ctx, analysis_id, reuse_note(item, cmp), change)


def effort(
    ctx: typer.Context,
    analysis_id: Annotated[str, typer.Argument(help="Analysis id.", show_default=False)],
    spent: Annotated[
        str, typer.Argument(metavar="TIME", help="Time spent, e.g. 1h30m, 45m or 2h.")
    ],
    note: Annotated[str | None, typer.Option("--note", "-n", help="What it was for.")] = None,
) -> None:
    """Record time spent on an analysis, for the reports of recurring problems.

    Guided sessions record their active time by themselves; this adds what
    happened elsewhere: a call-out, an evening with the logs.
    """
    from ktcli.core.model import EffortEntry

    app_ctx = context.of(ctx)
    entry = EffortEntry(minutes=parse_duration(spent), note=note, by=app_ctx.who, at=app_ctx.now())

    def change(a: Analysis) -> None:
        a.effort.append(entry)

    edit(ctx, analysis_id, f"recorded {spent} of effort" + (f": {note}" if note else ""), change)


def parse_duration(text: str) -> int:
    """Minutes from ``1h30m``, ``90m``, ``2h`` or ``1.5h``; a usage error otherwise."""
    import re

    from ktcli.errors import UsageError

    match = re.fullmatch(r"\s*(?:(\d+(?:\.\d+)?)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*", text.lower())
    minutes = 0
    if match and any(match.groups()):
        minutes = round(float(match.group(1) or 0) * 60) + int(match.group(2) or 0)
    if minutes <= 0:
        raise UsageError(
            f"{text!r} is not a time spent", hint="Give hours and minutes, e.g. 1h30m, 45m or 2h."
        )
    return minutes
