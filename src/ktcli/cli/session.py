"""The guided session: ``ktcli new`` and ``ktcli resume``.

The session holds the analysis lock for its whole life and saves after every
answer, so killing it loses at most the answer being typed. Ctrl-C saves, says
how to resume and exits 130. Without a terminal on stdin nothing is ever asked:
what ``--answers`` gives is saved and the rest is listed (exit 1).
"""

from __future__ import annotations

import enum
import os
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ktcli.cli import context
from ktcli.cli.common import IdArg, complete_playbooks, default_id, refuse_taken_id

if TYPE_CHECKING:
    from collections.abc import Callable

    from ktcli.cli.context import AppContext
    from ktcli.cli.first import FirstPrompt
    from ktcli.core.model import Analysis
    from ktcli.errors import KtError
    from ktcli.session.guide import Guide
    from ktcli.session.prompter import Prompter
    from ktcli.session.questions import Question
    from ktcli.ui.prompts import QuestionaryPrompter

PANEL = "Guided session"
#: Missing answers listed before the rest are counted.
MAX_LISTED = 15


class DepthOpt(str, enum.Enum):
    """Quick pass or full analysis."""

    QUICK = "quick"
    FULL = "full"


def new(
    ctx: typer.Context,
    title: Annotated[
        str | None, typer.Option("--title", "-t", help="A short title; asked when not given.")
    ] = None,
    ticket: Annotated[
        str | None, typer.Option("--ticket", help="Ticket reference, e.g. INC-4711.")
    ] = None,
    playbook: Annotated[
        str | None,
        typer.Option(
            "--playbook",
            "-p",
            help="Playbook id for the product.",
            autocompletion=complete_playbooks,
        ),
    ] = None,
    depth: Annotated[
        DepthOpt | None,
        typer.Option(
            "--depth",
            help="quick (about a dozen questions) or full. Default: suggested by the appraisal.",
        ),
    ] = None,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help="Answers from a file in the analysis format (partial allowed); "
            "only what is missing is asked.",
        ),
    ] = None,
    analysis_id: Annotated[
        str | None,
        typer.Option("--id", help="Analysis id. Default: from the ticket, else from the date."),
    ] = None,
) -> None:
    """Start a guided analysis: appraisal, statement, IS / IS NOT, causes, verification, handoff.

    Every answer is confirmed with Enter (y, n, ? and - too).
    Keys typed ahead wait for their own question.
    Ctrl keys act at once: Ctrl-P back, Ctrl-G go to a section, Ctrl-T the matrix.
    Ctrl-D saves and quits; Ctrl-O shows a folded hint.

    A fact of just ? is need more data; just - is not applicable.
    At a source, Tab picks one used before and Ctrl-V toggles verified.
    In a typed answer, Tab takes the greyed rest of a word already in the analysis.

    Cause tests are one screen: arrows move; e explains, o only if, x does not explain.
    There s skips a ruled-out cause's other rows, q leaves, Enter is done once all are.
    """
    from ktcli.errors import ConflictError

    app_ctx = context.of(ctx)
    store = app_ctx.store
    interactive = _stdin_is_terminal() and app_ctx.may_prompt()
    data, text, source = _read_answers(answers) if answers else ({}, "", "")
    given_title = title or _str(data.get("title")) or _ask_title(app_ctx, interactive)
    now = app_ctx.now()
    existing = store.ids()
    new_id = (
        analysis_id
        or _str(data.get("id"))
        or default_id(existing, ticket or _str(data.get("ticket")), now)
    )
    refuse_taken_id(existing, new_id)
    with store.lock(new_id):
        if store.exists(new_id):
            raise ConflictError(
                f"analysis {new_id!r} already exists",
                hint=f"Continue it with: {resume_command(app_ctx, new_id)} (or pick another --id).",
            )
        start = _first_prompt(app_ctx, new_id, depth, playbook, ticket)
        if interactive and not answers:
            # The first question is drawn now, before the model, YAML and playbooks
            # are loaded (when an earlier session recorded it): they load after it.
            start.draw(lambda: _greet(app_ctx, new_id), app_ctx.now, given_title)
        with start.kept(app_ctx.terminal):
            analysis = _start(app_ctx, new_id, given_title, data, text, source)
            if ticket:
                analysis.ticket = ticket
            if depth is not None:
                from ktcli.session.depth import chosen_at_start

                chosen_at_start(analysis, depth.value)
            guide = guide_for(app_ctx, analysis, playbook)
            from ktcli.session.engine import accept_given, ensure_rows

            ensure_rows(analysis, guide)
            if answers:
                accept_given(analysis, guide)
            store.save(analysis)
        if not interactive:
            # A script's 'id=$(ktcli new --answers F)'; at a terminal stdout is the handoff's.
            app_ctx.terminal.data(new_id + "\n")
        if start.drawn is None:
            app_ctx.terminal.success(f"started {new_id} in {store.root}")
        _session(app_ctx, analysis, guide, interactive, start)


def _ask_title(app_ctx: AppContext, interactive: bool) -> str:
    """The title, asked before anything is loaded or saved: nothing to lose by asking first."""
    from ktcli.errors import InterruptedSession, MissingAnswers
    from ktcli.session.wording import TITLE

    if not interactive:
        raise MissingAnswers(
            f"{app_ctx.why_not_asked}, and no title: nothing saved",
            hint="Pass --title TEXT, or --answers FILE with a title:, or run in a terminal.",
        )
    try:
        reply = _prompter(app_ctx).ask(TITLE)
    except KeyboardInterrupt:
        raise InterruptedSession("stopped before anything was saved") from None
    given_title = reply.strip() if isinstance(reply, str) else ""
    if not given_title:
        raise MissingAnswers("no title given: nothing saved", hint="Run 'ktcli new' again.")
    return given_title


def _greet(app_ctx: AppContext, analysis_id: str) -> None:
    """What a new session says before its first question drawn early (else said on the way)."""
    app_ctx.terminal.success(f"started {analysis_id} in {app_ctx.store.root}")
    app_ctx.terminal.info(f"{analysis_id}: every answer is saved as you go.")


def _first_prompt(
    app_ctx: AppContext,
    new_id: str,
    depth: DepthOpt | None,
    playbook: str | None,
    ticket: str | None,
) -> FirstPrompt:
    """The session's prompter around its first question (see ``cli/first.py``)."""
    from ktcli.cli.first import FirstPrompt, key

    where = key(depth.value if depth is not None else None, playbook, bool(ticket))
    return FirstPrompt(_prompter(app_ctx), where)


def resume(ctx: typer.Context, analysis_id: IdArg) -> None:
    """Continue a guided analysis at the first unanswered question."""
    from ktcli.core.analysis import ensure_open
    from ktcli.session.engine import first_unanswered

    app_ctx = context.of(ctx)
    store = app_ctx.store
    with store.lock(analysis_id):
        analysis = store.load(analysis_id)
        ensure_open(analysis)
        guide = guide_for(app_ctx, analysis, None)
        if first_unanswered(analysis, guide) is None:
            app_ctx.terminal.info(
                f"{analysis_id}: every question is answered. "
                f"See it with 'ktcli show {analysis_id}', hand it off with "
                f"'ktcli export {analysis_id} --format markdown'."
            )
            return
        _session(app_ctx, analysis, guide, _stdin_is_terminal() and app_ctx.may_prompt())


def guide_for(app_ctx: AppContext, analysis: Analysis, playbook: str | None) -> Guide:
    """What a playbook adds to this session: the seam the playbooks area plugs into."""
    from ktcli.playbooks.adapter import for_session

    guide, warnings = for_session(analysis, playbook, who=app_ctx.who, now=app_ctx.now())
    for warning in warnings:
        app_ctx.terminal.warn(warning)
    if warnings:
        # Resuming updated the playbook record and history: keep them even if nothing is asked.
        app_ctx.store.save(analysis)
    return guide


# -- the session -----------------------------------------------------------------------------------


def _session(
    app_ctx: AppContext,
    analysis: Analysis,
    guide: Guide,
    interactive: bool,
    start: FirstPrompt | None = None,
) -> None:
    """Ask what is missing, or (without a terminal) list it; the caller holds the lock.

    ``start`` is ``ktcli new``'s prompter, which may have drawn the first question.
    """
    from ktcli.errors import InterruptedSession
    from ktcli.session import engine

    store = app_ctx.store
    if not interactive:
        _no_terminal(app_ctx, analysis, guide)
        return
    store.prime(analysis)
    prompter: Prompter = start if start is not None else _prompter(app_ctx)
    term = app_ctx.terminal
    if start is None or start.drawn is None:
        term.info(f"{analysis.id}: every answer is saved as you go.")
    save = _saver(app_ctx, prompter)
    try:
        outcome = engine.run(
            analysis,
            prompter,
            save,
            who=app_ctx.who,
            clock=app_ctx.now,
            guide=guide,
            after_specification=similar_offer(app_ctx, prompter),
            started=start.started if start is not None else None,
        )
    except KeyboardInterrupt:
        # The answer being applied when Ctrl-C came is in memory: write it too.
        _last_save(app_ctx, analysis)
        raise InterruptedSession(
            f"stopped; everything answered is saved in {analysis.id}",
            hint=f"Resume with: {resume_command(app_ctx, analysis.id)}",
        ) from None
    if not outcome.complete:
        if outcome.export is not None:
            # Answers left for later still leave a handoff worth exporting now.
            from ktcli.handoff.export import render

            term.data(render(analysis, outcome.export))  # type: ignore[arg-type]
        term.success(f"saved {analysis.id}")
        term.info(f"Resume with: {resume_command(app_ctx, analysis.id)}")
        return
    _finish(app_ctx, analysis, outcome.export)


#: Asked when a save fails (a full disk, a read-only store): the answers stay in memory.
SAVE_FAILED_ID = "session.save-failed"
RETRY, QUIT = "retry", "quit"


def _save_failed_question() -> Question:
    from ktcli.session.questions import Choice, Question

    return Question(
        SAVE_FAILED_ID,
        "session",
        "choice",
        "The answer is kept in memory but not saved. Retry the save?",
        hint="Fix the cause first (free space, permissions), then retry. "
        "Quitting loses only what is not yet on disk.",
        choices=(
            Choice(RETRY, "Retry the save"),
            Choice(QUIT, "Quit; resume later from what is on disk"),
        ),
        default=RETRY,
    )


def _saver(app_ctx: AppContext, prompter: Prompter) -> Callable[[Analysis], None]:
    """The session's save: on failure, say why, keep the answers in memory, offer a retry.

    The stored file is only ever replaced whole (see ``atomic_write``), so a failed
    save leaves everything saved before it as it was.
    """
    from ktcli.errors import InvalidFileError, StorageError

    def save(analysis: Analysis) -> None:
        while True:
            try:
                app_ctx.store.save(analysis)
                return
            # StorageError: the disk or the file system; InvalidFileError: the analysis has
            # outgrown what a read accepts, or a planted link stands where it belongs.
            except (StorageError, InvalidFileError) as exc:
                app_ctx.terminal.error(exc.message, exc.hint)
            if prompter.ask(_save_failed_question()) != RETRY:
                raise _unsaved(app_ctx, analysis)

    return save


#: The question that offers a past fix, once the specification is done.
REUSE_ID = "similar.reuse"
NO_REUSE = "no"
#: Past analyses shown, at most: the best by the comparison.
SIMILAR_SHOWN = 3


def similar_offer(app_ctx: AppContext, prompter: Prompter) -> Callable[[Analysis], str]:
    """``ktcli similar`` inside the session: the best comparisons, then the offer of a past fix.

    Nothing is shown when no indexed analysis has a fact or the statement in
    common. A fix is offered only with its comparison printed above it, and
    never that of a past analysis a fact contradicts; the choice is recorded as
    ``ktcli similar --reuse`` records it.
    """

    def offer(analysis: Analysis) -> str:
        from ktcli.cli.archive import candidates, reuse_note, reuse_of

        found = [(i, c) for i, c in candidates(app_ctx, analysis) if c.matches or c.contradictions]
        if not found:
            return ""
        from ktcli.core.similarity import NOT_SAME
        from ktcli.session.questions import Choice, Question
        from ktcli.ui.archive_view import render_comparison

        term = app_ctx.terminal
        term.info("Past analyses like this one, compared row by row (ktcli similar):")
        for n, (item, cmp) in enumerate(found[:SIMILAR_SHOWN]):
            if n:
                term.err.print()
            term.err.print(render_comparison(item, cmp, reasons=len(cmp.reasons())))
        usable = [(i, c) for i, c in found[:SIMILAR_SHOWN] if c.verdict != NOT_SAME and c.past.fix]
        if not usable:
            term.info("No fix to re-use: a fact contradicts, or no fix is recorded. Carry on.")
            return ""
        reply = prompter.ask(
            Question(
                REUSE_ID,
                "specification",
                "choice",
                "Re-use the fix of one of these? (their comparison is above)",
                hint="only when the facts match: a fix for a problem that only looks "
                "the same makes things worse",
                choices=(
                    *(Choice(i.id, f"{i.id}: re-use its fix ({c.verdict})") for i, c in usable),
                    Choice(NO_REUSE, "no: find this problem's own cause"),
                ),
                default=NO_REUSE,
            )
        )
        pick = next(((i, c) for i, c in usable if i.id == reply), None)
        if pick is None:
            return ""
        analysis.fix_reused_from = reuse_of(*pick, who=app_ctx.who, now=app_ctx.now())
        return reuse_note(*pick)

    return offer


def _last_save(app_ctx: AppContext, analysis: Analysis) -> None:
    """The save on the way out (Ctrl-C); a failure there still ends with the resume command."""
    from ktcli.errors import InvalidFileError, StorageError

    try:
        app_ctx.store.save(analysis)
    except (StorageError, InvalidFileError) as exc:
        app_ctx.terminal.error(exc.message, exc.hint)
        raise _unsaved(app_ctx, analysis) from None


def _unsaved(app_ctx: AppContext, analysis: Analysis) -> KtError:
    from ktcli.errors import KtError

    return KtError(
        f"stopped; the last answer(s) could not be saved in {analysis.id}; "
        "what was saved before is unchanged",
        hint=f"Fix the cause, then resume with: {resume_command(app_ctx, analysis.id)} "
        "(it asks again what was not saved).",
    )


def _finish(app_ctx: AppContext, analysis: Analysis, export: str | None) -> None:
    term = app_ctx.terminal
    if export is not None:
        from ktcli.handoff.export import render

        term.data(render(analysis, export))  # type: ignore[arg-type]
    term.success(f"{analysis.id}: every question answered and saved")
    # Answered is not done: end like git status, with what is open and what to run.
    from ktcli.handoff.status import status, status_lines

    for line in status_lines(status(analysis))[2:]:
        term.info(line)
    term.info(f"Hand it off any time: ktcli export {analysis.id} --format markdown")


def _no_terminal(app_ctx: AppContext, analysis: Analysis, guide: Guide) -> None:
    from ktcli.errors import MissingAnswers
    from ktcli.session.engine import missing
    from ktcli.session.items import COMPLETE

    store = app_ctx.store
    todo = missing(analysis, guide)
    if not todo:
        analysis.progress = [COMPLETE]
        store.save(analysis)
        app_ctx.terminal.success(f"{analysis.id}: every question answered and saved")
        return
    term = app_ctx.terminal
    term.info(f"Saved {analysis.id}. Still to answer, in order (field: question):")
    for q in todo[:MAX_LISTED]:
        term.info(f"  {q.field or q.id}: {q.text}")
    if len(todo) > MAX_LISTED:
        term.info(f"  ... and {len(todo) - MAX_LISTED} more (later questions depend on these)")
    raise MissingAnswers(
        f"{app_ctx.why_not_asked}; {len(todo)} answer(s) missing in {analysis.id}",
        hint=f"Answer them in a terminal with '{resume_command(app_ctx, analysis.id)}', "
        "or put them in the --answers file (the analysis format, see 'ktcli schema handoff') "
        "and start again with another --id.",
    )


def _prompter(app_ctx: AppContext) -> QuestionaryPrompter:
    from ktcli.ui.prompts import QuestionaryPrompter

    return QuestionaryPrompter.on_stderr()


# -- helpers ---------------------------------------------------------------------------------------


def resume_command(app_ctx: AppContext, analysis_id: str) -> str:
    """The exact command that continues this analysis, with --store when the shell needs it."""
    parts = ["ktcli"]
    root = app_ctx.store_root
    if root is not None and os.environ.get("KTCLI_HOME") != str(root):
        parts += ["--store", str(root)]
    parts += ["resume", analysis_id]
    return shlex.join(parts)


def _stdin_is_terminal() -> bool:
    """False for a closed stdin, /dev/null, a pipe or a file: then nothing may be asked."""
    stdin = sys.stdin
    if stdin is None:
        return False
    try:
        return stdin.isatty()
    except (ValueError, OSError):
        return False


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _read_answers(path: Path) -> tuple[dict[str, object], str, str]:
    """The answers file as data, refused (file:line:column) when it is not a mapping."""
    from ktcli import yamlio
    from ktcli.errors import InvalidFileError

    source = str(path)
    text = yamlio.read(path)
    data = yamlio.parse(text, source)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise InvalidFileError(
            source, "expected a mapping of fields (an analysis) at the top", line=1, column=1
        )
    return data, text, source


def _start(
    app_ctx: AppContext, new_id: str, title: str, data: dict[str, object], text: str, source: str
) -> Analysis:
    """A fresh analysis, or one built from a partial answers file and validated like an import.

    The file may leave out whatever a session would ask; what it does give must
    be valid, and every problem names file:line:column and the field.
    """
    from ktcli.core.analysis import new_analysis, record

    now = app_ctx.now()
    if not data:
        return new_analysis(new_id, title, who=app_ctx.who, now=now)
    from ktcli.core.document import analysis_from_data
    from ktcli.session.answers import complete_partial

    filled = complete_partial(data, analysis_id=new_id, title=title, who=app_ctx.who, now=now)
    filled["id"] = new_id
    analysis = analysis_from_data(filled, text, source)
    record(analysis, app_ctx.who, f"started from the answers in {Path(source).name}", now)
    _probe_answers(app_ctx, analysis, source)
    return analysis


def _probe_answers(app_ctx: AppContext, analysis: Analysis, source: str) -> None:
    """The probing questions for what an answers file says, on stderr: a file gets no prompt."""
    from ktcli.core.analysis import customer_texts
    from ktcli.core.language import QUESTIONS, bundled_object, bundled_part, find_pitfalls

    term = app_ctx.terminal
    for where, said, part in customer_texts(analysis):
        for hit in find_pitfalls(said):
            term.warn(f"{source}: {where}: '{hit.term}': {hit.question}")
        joined = bundled_object(said) if part == "object" else None
        joined = joined or (bundled_part(said) if part == "deviation" else None)
        if joined:
            term.warn(f"{source}: {where}: {QUESTIONS['bundled'].format(term=joined.strip())}")
