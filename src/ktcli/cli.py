"""The typer app: flags in, exit codes out.

Startup time matters (an analyst types these with a customer waiting), so this
module imports only typer at the top; models, YAML, rich pieces and the engine
are imported inside the commands that use them. Help texts avoid square
brackets, which typer's rich markup would swallow.
"""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from ktcli import cli_escalation, cli_playbook, cli_session, context
from ktcli.context import AppContext

if TYPE_CHECKING:
    from ktcli.model import Analysis

HELP = """Rational troubleshooting for technical support.

Appraise the situation, specify the problem (IS / IS NOT), test every possible
cause against every fact, verify the true cause, and hand off a structured
escalation that backline continues without asking the customer again.

Start a guided session with: ktcli new
"""

PANEL_SESSION = "Guided session"
PANEL_BUILD = "Build an analysis without prompts"
PANEL_READ = "Read and check"
PANEL_HANDOFF = "Handoff"
PANEL_PLAYBOOK = "Playbooks"

app = typer.Typer(
    name="ktcli",
    help=HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"ktcli {version('ktcli')}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    store: Annotated[
        Path | None,
        typer.Option(
            "--store",
            envvar="KTCLI_HOME",
            help="Directory of stored analyses. Default: the user state directory.",
            show_default=False,
        ),
    ] = None,
    analyst: Annotated[
        str | None,
        typer.Option(
            "--analyst",
            envvar="KTCLI_ANALYST",
            help="Your name in the history. Default: your login name.",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Rational troubleshooting for technical support."""
    ctx.obj = AppContext(store_root=store, analyst=analyst)


def _edit(
    ctx: typer.Context, analysis_id: str, what: str, change: Callable[[Analysis], None]
) -> None:
    """Lock, load, change, record in the history, save: the shape of every edit command."""
    from ktcli.analysis import ensure_open, record

    app_ctx = context.of(ctx)
    with app_ctx.store.editing(analysis_id) as analysis:
        ensure_open(analysis)
        change(analysis)
        record(analysis, app_ctx.who, what, app_ctx.now())
    app_ctx.terminal.success(f"{analysis_id}: {what}")


# -- shared argument types ---------------------------------------------------------------------

IdArg = Annotated[str, typer.Argument(help="Analysis id (see 'ktcli list').", show_default=False)]


class SideOpt(str, enum.Enum):
    """Which side of a specification row."""

    IS = "is"
    IS_NOT = "is-not"

    @property
    def key(self) -> str:
        """The side as the model names it."""
        return "is" if self is SideOpt.IS else "is_not"


class RatingOpt(str, enum.Enum):
    """A rating of seriousness, urgency or growth."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


SideArg = Annotated[SideOpt, typer.Option("--side", "-s", help="IS or IS NOT side of the row.")]


# -- build an analysis without prompts -----------------------------------------------------


@app.command(rich_help_panel=PANEL_BUILD)
def create(
    ctx: typer.Context,
    title: Annotated[str, typer.Option("--title", "-t", help="A short title for the ticket.")],
    ticket: Annotated[
        str | None, typer.Option("--ticket", help="Ticket reference, e.g. INC-4711.")
    ] = None,
    analysis_id: Annotated[
        str | None,
        typer.Option("--id", help="Analysis id. Default: from the ticket, else from the date."),
    ] = None,
    impact: Annotated[
        str | None, typer.Option("--impact", help="Business impact, in the customer's terms.")
    ] = None,
) -> None:
    """Create an analysis and print its id."""
    from ktcli.analysis import new_analysis

    app_ctx = context.of(ctx)
    store = app_ctx.store
    now = app_ctx.now()
    new_id = analysis_id or _default_id(store.ids(), ticket, now)
    path = store.path(new_id)
    from ktcli.errors import ConflictError

    with store.lock(new_id):
        if path.exists():
            raise ConflictError(
                f"analysis {new_id!r} already exists",
                hint="Pick another --id, or continue it with 'ktcli resume'.",
            )
        analysis = new_analysis(
            new_id, title, who=app_ctx.who, now=now, ticket=ticket, business_impact=impact
        )
        store.save(analysis)
    app_ctx.terminal.data(new_id + "\n")
    app_ctx.terminal.success(f"created {new_id} in {store.root}")


def _default_id(existing: list[str], ticket: str | None, now: object) -> str:
    from datetime import datetime

    from ktcli.analysis import next_id, slug

    assert isinstance(now, datetime)
    base = slug(ticket) if ticket and slug(ticket) else f"kt-{now:%Y%m%d}"
    if base not in existing:
        return base
    return next_id(f"{base}-", existing)


@app.command(rich_help_panel=PANEL_BUILD)
def statement(
    ctx: typer.Context,
    analysis_id: IdArg,
    obj: Annotated[
        str, typer.Option("--object", "-o", help="The one thing that shows the deviation.")
    ],
    deviation: Annotated[
        str, typer.Option("--deviation", "-d", help="What exactly is wrong with it.")
    ],
) -> None:
    """Set the problem statement: one object, one deviation, no cause."""
    from ktcli.model import Statement

    new = Statement(object=obj, deviation=deviation)

    def change(a: Analysis) -> None:
        a.statement = new

    _edit(ctx, analysis_id, f"set the statement: {new.text}", change)


@app.command(rich_help_panel=PANEL_BUILD)
def impact(
    ctx: typer.Context,
    analysis_id: IdArg,
    text: Annotated[str, typer.Argument(help="Business impact, in the customer's terms.")],
) -> None:
    """Record the business impact."""

    def change(a: Analysis) -> None:
        a.business_impact = text

    _edit(ctx, analysis_id, "recorded the business impact", change)


@app.command(rich_help_panel=PANEL_BUILD)
def concern(
    ctx: typer.Context,
    analysis_id: IdArg,
    text: Annotated[str, typer.Argument(help="The concern, in one sentence.")],
    seriousness: Annotated[RatingOpt, typer.Option(help="Impact now.")] = RatingOpt.MEDIUM,
    urgency: Annotated[RatingOpt, typer.Option(help="Time pressure.")] = RatingOpt.MEDIUM,
    growth: Annotated[RatingOpt, typer.Option(help="What happens if nothing is done.")] = (
        RatingOpt.MEDIUM
    ),
) -> None:
    """Add a concern to the appraisal, rated; its priority is derived."""
    from ktcli.analysis import next_id
    from ktcli.model import Concern

    def change(a: Analysis) -> None:
        new = Concern(
            id=next_id("k", [c.id for c in a.appraisal.concerns]),
            text=text,
            seriousness=seriousness.value,
            urgency=urgency.value,
            growth=growth.value,
        )
        a.appraisal.concerns.append(new)

    _edit(ctx, analysis_id, f"added a concern: {text}", change)


class DepthOpt(str, enum.Enum):
    """How deep the analysis goes."""

    QUICK = "quick"
    FULL = "full"


@app.command(rich_help_panel=PANEL_BUILD)
def depth(
    ctx: typer.Context,
    analysis_id: IdArg,
    level: Annotated[DepthOpt, typer.Argument(help="quick or full.")],
    reason: Annotated[str, typer.Option("--reason", "-r", help="Why this depth.")],
) -> None:
    """Choose the depth of the analysis (quick or full) and say why."""

    def change(a: Analysis) -> None:
        a.appraisal.depth = level.value
        a.appraisal.depth_reason = reason

    _edit(ctx, analysis_id, f"chose a {level.value} analysis: {reason}", change)


@app.command(rich_help_panel=PANEL_BUILD)
def fact(
    ctx: typer.Context,
    analysis_id: IdArg,
    row: Annotated[str, typer.Argument(help="Row id, e.g. where-location.")],
    text: Annotated[str, typer.Argument(help="The fact.")],
    source: Annotated[str, typer.Option("--source", help="Where the fact comes from.")],
    side: SideArg = SideOpt.IS,
    verified: Annotated[
        bool, typer.Option("--verified", help="Seen first-hand, not only reported.")
    ] = False,
    evidence: Annotated[
        list[str] | None,
        typer.Option("--evidence", "-e", help="Reference to evidence; repeatable."),
    ] = None,
) -> None:
    """Answer one side of a specification row with a fact and its source."""
    from ktcli.analysis import set_cell
    from ktcli.model import Fact

    cell = Fact(
        text=text,
        source=source,
        status="verified" if verified else "reported",
        evidence=list(evidence or []),
    )
    _edit(
        ctx,
        analysis_id,
        f"{row} {side.value}: {text}",
        lambda a: set_cell(a, row, "is" if side is SideOpt.IS else "is_not", cell),
    )


@app.command("not-applicable", rich_help_panel=PANEL_BUILD)
def not_applicable(
    ctx: typer.Context,
    analysis_id: IdArg,
    row: Annotated[str, typer.Argument(help="Row id.")],
    reason: Annotated[str, typer.Option("--reason", "-r", help="Why it does not apply.")],
    side: SideArg = SideOpt.IS,
) -> None:
    """Mark one side of a row as not applicable, with the reason."""
    from ktcli.analysis import set_cell
    from ktcli.model import NotApplicable

    cell = NotApplicable(reason=reason)
    _edit(
        ctx,
        analysis_id,
        f"{row} {side.value}: not applicable ({reason})",
        lambda a: set_cell(a, row, "is" if side is SideOpt.IS else "is_not", cell),
    )


@app.command("need-data", rich_help_panel=PANEL_BUILD)
def need_data(
    ctx: typer.Context,
    analysis_id: IdArg,
    row: Annotated[str, typer.Argument(help="Row id.")],
    who: Annotated[str, typer.Option("--who", help="Who will get the data.")],
    how: Annotated[str, typer.Option("--how", help="How they will get it.")],
    side: SideArg = SideOpt.IS,
) -> None:
    """Mark one side of a row as needing more data: who gets it, and how."""
    from ktcli.analysis import set_cell
    from ktcli.model import NeedData

    cell = NeedData(who=who, how=how)
    _edit(
        ctx,
        analysis_id,
        f"{row} {side.value}: need more data ({who}: {how})",
        lambda a: set_cell(a, row, "is" if side is SideOpt.IS else "is_not", cell),
    )


@app.command(rich_help_panel=PANEL_BUILD)
def distinction(
    ctx: typer.Context,
    analysis_id: IdArg,
    text: Annotated[str, typer.Argument(help="What is true of the IS and not of the IS NOT.")],
    row: Annotated[
        list[str] | None, typer.Option("--row", help="Row it comes from; repeatable.")
    ] = None,
) -> None:
    """Add a distinction, linked to the rows it comes from."""
    from ktcli.analysis import next_id, require_row
    from ktcli.model import Distinction

    def change(a: Analysis) -> None:
        for r in row or []:
            require_row(a, r)
        a.distinctions.append(
            Distinction(id=next_id("d", [d.id for d in a.distinctions]), text=text, rows=row or [])
        )

    _edit(ctx, analysis_id, f"added a distinction: {text}", change)


@app.command("change", rich_help_panel=PANEL_BUILD)
def change_cmd(
    ctx: typer.Context,
    analysis_id: IdArg,
    text: Annotated[str, typer.Argument(help="What changed.")],
    when: Annotated[str, typer.Option("--when", help="When it changed (ISO time if known).")],
    distinction_id: Annotated[
        str | None, typer.Option("--distinction", help="The distinction it relates to.")
    ] = None,
    row: Annotated[
        list[str] | None, typer.Option("--row", help="Row it relates to; repeatable.")
    ] = None,
) -> None:
    """Add a change in, on, around or about a distinction, with its time."""
    from ktcli.analysis import next_id, require_row
    from ktcli.errors import NotFoundError
    from ktcli.model import Change

    def change(a: Analysis) -> None:
        for r in row or []:
            require_row(a, r)
        if distinction_id and distinction_id not in {d.id for d in a.distinctions}:
            raise NotFoundError(f"no distinction {distinction_id!r}")
        a.changes.append(
            Change(
                id=next_id("ch", [c.id for c in a.changes]),
                text=text,
                when=when,
                distinction=distinction_id,
                rows=row or [],
            )
        )

    _edit(ctx, analysis_id, f"added a change: {text}", change)


class OriginOpt(str, enum.Enum):
    """Where a possible cause came from."""

    DISTINCTION = "distinction"
    CHANGE = "change"
    EXPERIENCE = "experience"
    PLAYBOOK = "playbook"


@app.command(rich_help_panel=PANEL_BUILD)
def cause(
    ctx: typer.Context,
    analysis_id: IdArg,
    text: Annotated[str, typer.Argument(help="How this could produce the deviation.")],
    origin: Annotated[OriginOpt, typer.Option(help="Where the idea comes from.")] = (
        OriginOpt.EXPERIENCE
    ),
    ref: Annotated[
        str | None, typer.Option("--ref", help="The distinction, change or playbook id.")
    ] = None,
) -> None:
    """Add a possible cause and print its id."""
    from ktcli.analysis import next_id
    from ktcli.model import Cause

    created: list[str] = []

    def change(a: Analysis) -> None:
        new_id = next_id("c", [c.id for c in a.causes])
        a.causes.append(Cause(id=new_id, text=text, origin=origin.value, origin_ref=ref))
        created.append(new_id)

    _edit(ctx, analysis_id, f"added a possible cause: {text}", change)
    context.of(ctx).terminal.data(created[0] + "\n")


@app.command("test", rich_help_panel=PANEL_BUILD)
def run_test(
    ctx: typer.Context,
    analysis_id: IdArg,
    cause_id: Annotated[str, typer.Argument(help="Cause id, e.g. c1.")],
    row: Annotated[str, typer.Argument(help="Row id, e.g. where-location.")],
    explains: Annotated[
        str | None, typer.Option("--explains", help="It explains the row, because ...")
    ] = None,
    only_if: Annotated[
        str | None, typer.Option("--only-if", help="It explains the row only if ... (assumption)")
    ] = None,
    does_not: Annotated[
        str | None, typer.Option("--does-not-explain", help="It cannot explain the row: why.")
    ] = None,
) -> None:
    """Test a cause against one row: give exactly one of the three verdicts."""
    from ktcli.analysis import set_test
    from ktcli.errors import UsageError

    given = [
        (v, n)
        for v, n in (
            ("explains", explains),
            ("explains_only_if", only_if),
            ("does_not_explain", does_not),
        )
        if n is not None
    ]
    if len(given) != 1:
        raise UsageError(
            "give exactly one of --explains, --only-if, --does-not-explain",
            hint='e.g. ktcli test ID c1 where-location --explains "only EU hosts run build 42"',
        )
    verdict, note = given[0]
    _edit(
        ctx,
        analysis_id,
        f"tested {cause_id} against {row}: {verdict.replace('_', ' ')}",
        lambda a: set_test(a, cause_id, row, verdict, note),  # type: ignore[arg-type]
    )


class VStatusOpt(str, enum.Enum):
    """The state of a verification step."""

    PLANNED = "planned"
    CONFIRMED = "confirmed"
    REFUTED = "refuted"


@app.command(rich_help_panel=PANEL_BUILD)
def verify(
    ctx: typer.Context,
    analysis_id: IdArg,
    cause_id: Annotated[str, typer.Argument(help="The cause this step checks.")],
    checks: Annotated[
        str | None,
        typer.Option("--checks", help="What the step checks (an assumption, the cause)."),
    ] = None,
    method: Annotated[
        str | None, typer.Option("--method", help="How: observation, data, a safe experiment.")
    ] = None,
    result: Annotated[str | None, typer.Option("--result", help="What was found.")] = None,
    status: Annotated[VStatusOpt, typer.Option(help="planned, confirmed or refuted.")] = (
        VStatusOpt.PLANNED
    ),
    step: Annotated[
        str | None, typer.Option("--step", help="Update this existing step (e.g. v1).")
    ] = None,
) -> None:
    """Plan or record a verification step for a cause; print its id."""
    from ktcli.analysis import next_id, require_cause
    from ktcli.errors import NotFoundError, UsageError
    from ktcli.model import Verification

    app_ctx = context.of(ctx)
    done: list[str] = []

    def change(a: Analysis) -> None:
        require_cause(a, cause_id)
        if step is not None:
            existing = next((v for v in a.verifications if v.id == step), None)
            if existing is None:
                raise NotFoundError(f"no verification step {step!r}")
            if checks:
                existing.checks = checks
            if method:
                existing.method = method
            if result is not None:
                existing.result = result
            existing.status = status.value
            existing.by, existing.at = app_ctx.who, app_ctx.now()
            done.append(step)
            return
        if not checks or not method:
            raise UsageError("a new verification step needs --checks and --method")
        new_id = next_id("v", [v.id for v in a.verifications])
        a.verifications.append(
            Verification(
                id=new_id,
                cause=cause_id,
                checks=checks,
                method=method,
                result=result,
                status=status.value,
                by=app_ctx.who if status is not VStatusOpt.PLANNED else None,
                at=app_ctx.now() if status is not VStatusOpt.PLANNED else None,
            )
        )
        done.append(new_id)

    _edit(ctx, analysis_id, f"verification of {cause_id}: {status.value}", change)
    app_ctx.terminal.data(done[0] + "\n")


@app.command(rich_help_panel=PANEL_BUILD)
def confirm(
    ctx: typer.Context,
    analysis_id: IdArg,
    cause_id: Annotated[str, typer.Argument(help="The cause proven true.")],
) -> None:
    """Name the true cause; it needs at least one confirmed verification step."""
    from ktcli.analysis import confirmed_verifications, require_cause
    from ktcli.errors import KtError
    from ktcli.model import TrueCause

    app_ctx = context.of(ctx)

    def change(a: Analysis) -> None:
        require_cause(a, cause_id)
        proofs = confirmed_verifications(a, cause_id)
        if not proofs:
            raise KtError(
                f"cause {cause_id} has no confirmed verification",
                hint=f"Record one first: ktcli verify {a.id} {cause_id} --checks ... "
                "--method ... --result ... --status confirmed",
            )
        a.true_cause = TrueCause(
            cause=cause_id,
            verifications=proofs,
            confirmed_by=app_ctx.who,
            confirmed_at=app_ctx.now(),
        )

    _edit(ctx, analysis_id, f"confirmed {cause_id} as the true cause", change)


class ActionKindOpt(str, enum.Enum):
    """Interim restores service, corrective removes the cause, preventive stops recurrence."""

    INTERIM = "interim"
    CORRECTIVE = "corrective"
    PREVENTIVE = "preventive"


@app.command(rich_help_panel=PANEL_BUILD)
def action(
    ctx: typer.Context,
    analysis_id: IdArg,
    kind: Annotated[ActionKindOpt, typer.Argument(help="interim, corrective or preventive.")],
    text: Annotated[str, typer.Argument(help="What will be done.")],
    owner: Annotated[str | None, typer.Option("--owner", help="Who does it.")] = None,
    done: Annotated[bool, typer.Option("--done", help="It is already done.")] = False,
) -> None:
    """Add an interim, corrective or preventive action."""
    from ktcli.analysis import next_id
    from ktcli.model import Action

    def change(a: Analysis) -> None:
        a.actions.append(
            Action(
                id=next_id("a", [x.id for x in a.actions]),
                kind=kind.value,
                text=text,
                owner=owner,
                status="done" if done else "planned",
            )
        )

    _edit(ctx, analysis_id, f"added a {kind.value} action: {text}", change)


@app.command(rich_help_panel=PANEL_BUILD)
def request(
    ctx: typer.Context,
    analysis_id: IdArg,
    what: Annotated[str | None, typer.Argument(help="The data asked for.")] = None,
    requested_from: Annotated[
        str | None, typer.Option("--from", help="Who is asked for it.")
    ] = None,
    received: Annotated[
        str | None,
        typer.Option("--received", help="Mark the request received, with what came back."),
    ] = None,
    request_id: Annotated[
        str | None, typer.Option("--id", help="Update this existing request (e.g. r1).")
    ] = None,
) -> None:
    """Record a data request, or (with --id and --received) that its data arrived."""
    from ktcli.analysis import next_id
    from ktcli.errors import NotFoundError, UsageError
    from ktcli.model import DataRequest

    app_ctx = context.of(ctx)

    def change(a: Analysis) -> None:
        now = app_ctx.now()
        if request_id is not None:
            existing = next((r for r in a.data_requests if r.id == request_id), None)
            if existing is None:
                raise NotFoundError(f"no data request {request_id!r}")
            if received is not None:
                existing.received_at, existing.result = now, received
            return
        if not what or not requested_from:
            raise UsageError("a new data request needs WHAT and --from")
        a.data_requests.append(
            DataRequest(
                id=next_id("r", [r.id for r in a.data_requests]),
                what=what,
                requested_from=requested_from,
                asked_at=now,
                received_at=now if received is not None else None,
                result=received,
            )
        )

    _edit(ctx, analysis_id, f"data request: {what or request_id}", change)


@app.command(rich_help_panel=PANEL_BUILD)
def question(
    ctx: typer.Context,
    analysis_id: IdArg,
    text: Annotated[str, typer.Argument(help="The open question.")],
    owner: Annotated[str | None, typer.Option("--owner", help="Who will answer it.")] = None,
) -> None:
    """Record an open question."""
    from ktcli.analysis import next_id
    from ktcli.model import OpenQuestion

    def change(a: Analysis) -> None:
        a.open_questions.append(
            OpenQuestion(id=next_id("q", [q.id for q in a.open_questions]), text=text, owner=owner)
        )

    _edit(ctx, analysis_id, f"open question: {text}", change)


# -- read and check ------------------------------------------------------------------------------


def _load_target(app_ctx: AppContext, target: str) -> Analysis:
    """An analysis from the store by id, or from a handoff file when ``target`` is a path."""
    from ktcli import yamlio
    from ktcli.export import parse_analysis
    from ktcli.model import valid_id

    path = Path(target)
    looks_like_file = (
        not valid_id(target) or target.endswith((".yaml", ".yml", ".json")) or os.sep in target
    )
    if looks_like_file and path.exists():
        return parse_analysis(yamlio.read(path), target)
    if looks_like_file and not valid_id(target):
        from ktcli.errors import NotFoundError

        raise NotFoundError(f"no such file or analysis: {target}")
    return app_ctx.store.load(target)


TargetArg = Annotated[
    str, typer.Argument(help="Analysis id, or the path of a handoff file.", show_default=False)
]


@app.command(rich_help_panel=PANEL_READ)
def show(ctx: typer.Context, target: TargetArg) -> None:
    """Show statement, IS / IS NOT matrix, cause tests and ranking."""
    from ktcli.render import render_analysis

    app_ctx = context.of(ctx)
    app_ctx.terminal.show(render_analysis(_load_target(app_ctx, target)))


@app.command("list", rich_help_panel=PANEL_READ)
def list_cmd(ctx: typer.Context) -> None:
    """List stored analyses, newest first."""
    from ktcli.render import render_list

    app_ctx = context.of(ctx)
    entries = app_ctx.store.entries()
    if not entries:
        app_ctx.terminal.info(f"no analyses in {app_ctx.store.root}; start one with 'ktcli new'")
        return
    app_ctx.terminal.show(render_list(entries))


@app.command(rich_help_panel=PANEL_READ)
def check(ctx: typer.Context, target: TargetArg) -> None:
    """Run the quality gates; exit 1 when any fails."""
    from ktcli.analysis import check as run_gates
    from ktcli.render import render_findings

    app_ctx = context.of(ctx)
    analysis = _load_target(app_ctx, target)
    findings = run_gates(analysis)
    app_ctx.terminal.show(render_findings(analysis, findings))
    if findings:
        raise typer.Exit(1)


# -- handoff -------------------------------------------------------------------------------------


class FormatOpt(str, enum.Enum):
    """Export formats."""

    YAML = "yaml"
    MARKDOWN = "markdown"
    JSON = "json"


@app.command(rich_help_panel=PANEL_HANDOFF)
def export(
    ctx: typer.Context,
    target: TargetArg,
    fmt: Annotated[FormatOpt, typer.Option("--format", "-f", help="Output format.")] = (
        FormatOpt.YAML
    ),
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to this file instead of stdout."),
    ] = None,
) -> None:
    """Export the handoff as YAML (for machines), Markdown (for people) or JSON."""
    from ktcli.export import render

    app_ctx = context.of(ctx)
    text = render(_load_target(app_ctx, target), fmt.value)
    if output is None:
        app_ctx.terminal.data(text)
        return
    from ktcli.store import atomic_write

    atomic_write(output, text.encode("utf-8"))
    app_ctx.terminal.success(f"wrote {output}")


class SchemaOpt(str, enum.Enum):
    """Documents with a published JSON Schema."""

    HANDOFF = "handoff"
    PLAYBOOK = "playbook"


@app.command(rich_help_panel=PANEL_HANDOFF)
def schema(
    ctx: typer.Context,
    document: Annotated[SchemaOpt, typer.Argument(help="handoff or playbook.")],
) -> None:
    """Print the JSON Schema (draft-07) of a handoff or a playbook, for editors."""
    import json

    from ktcli.schema import json_schema

    context.of(ctx).terminal.data(json.dumps(json_schema(document.value), indent=2) + "\n")


cli_session.register(app)
cli_playbook.register(app)
cli_escalation.register(app)


# -- the single exit path ------------------------------------------------------------------------


def _fail(code: int) -> NoReturn:
    sys.exit(code)


def _is_validation_error(exc: Exception) -> bool:
    # Checked by name so that pydantic is not imported for commands that never used it.
    return type(exc).__name__ == "ValidationError" and type(exc).__module__.startswith("pydantic")


def _describe_validation(exc: Exception) -> str:
    errors: list[dict[str, Any]] = exc.errors(include_url=False)  # type: ignore[attr-defined]
    lines = []
    for err in errors:
        field = ".".join(str(p) for p in err["loc"]) or "value"
        lines.append(f"invalid {field}: {err['msg'].removeprefix('Value error, ')}")
    return "\n".join(lines) or str(exc)


_GLOBAL_WITH_VALUE = ("--store", "--analyst")


def _command_token(args: list[str]) -> str | None:
    """The command named on the line, skipping the global options before it."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in _GLOBAL_WITH_VALUE:
            skip = True
        elif arg == "--":
            return None
        elif not arg.startswith("-"):
            return arg
    return None


def _help_stub(callback: Callable[..., object]) -> Callable[[], None]:
    """A parameterless stand-in that carries only the command's help text."""

    def stub() -> None:  # pragma: no cover - never invoked, only listed
        raise AssertionError("help stub called")

    stub.__doc__ = callback.__doc__
    stub.__name__ = callback.__name__
    return stub


def _app_for(args: list[str]) -> typer.Typer:
    """The app with only what this command line needs built.

    typer builds every command and all its parameters before dispatching, which
    costs start-up time for each of the thirty commands on every call. Running
    one command needs only that command; the top-level help needs only names and
    help texts, so it gets parameterless stand-ins.
    """
    import copy

    from typer.main import get_command_name

    def name_of(info: typer.models.CommandInfo) -> str:
        assert info.callback is not None
        return info.name or get_command_name(info.callback.__name__)

    token = _command_token(args)
    commands = {name_of(c): c for c in app.registered_commands}
    groups = {g.name: g for g in app.registered_groups if g.name}
    pruned = copy.copy(app)
    if token in commands:
        pruned.registered_commands = [commands[token]]
        pruned.registered_groups = []
    elif token in groups:
        pruned.registered_commands = []
        pruned.registered_groups = [groups[token]]
    else:
        stubs = []
        for info in app.registered_commands:
            stub = copy.copy(info)
            assert info.callback is not None
            stub.callback = _help_stub(info.callback)
            stub.name = name_of(info)
            stubs.append(stub)
        pruned.registered_commands = stubs
    return pruned


def run(argv: list[str] | None = None) -> None:
    """Run the app; map every error to a message and an exit code, never a traceback."""
    from ktcli.errors import ExitCode, KtError

    args = sys.argv[1:] if argv is None else list(argv)
    try:
        _app_for(args)(args=args, prog_name="ktcli")
    except KtError as exc:
        term = AppContext().terminal
        if exc.exit_code == ExitCode.INTERRUPTED:
            # Stopping is the analyst's choice, not an error: say calmly what is kept.
            term.info(exc.message)
            if exc.hint:
                term.info(exc.hint)
        else:
            term.error(exc.message, exc.hint)
        _fail(exc.exit_code)
    except KeyboardInterrupt:
        AppContext().terminal.error("interrupted")
        _fail(ExitCode.INTERRUPTED)
    except BrokenPipeError:
        # The reader (head, less) went away: not an error worth a message.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        _fail(ExitCode.OK)
    except Exception as exc:
        if os.environ.get("KTCLI_DEBUG"):
            raise
        if _is_validation_error(exc):
            # A value given on the command line that the document model refuses.
            AppContext().terminal.error(_describe_validation(exc), "Check the value and retry.")
            _fail(ExitCode.ERROR)
        AppContext().terminal.error(
            f"internal error: {type(exc).__name__}: {exc}",
            "This is a bug in ktcli. Re-run with KTCLI_DEBUG=1 for the traceback and report it.",
        )
        _fail(ExitCode.ERROR)
