"""The typer app: the command table, flags in, exit codes out.

Startup time matters (an analyst types these with a customer waiting): this
module imports only typer, and :func:`build_app` imports the module of the one
command on the line. The top-level help lists every command from the table
below without importing any of them. Help texts avoid square brackets, which
typer's rich markup would swallow.

No ``from __future__ import annotations`` here: typer reads the main callback's
annotations with ``typing.get_type_hints``, which compiles an annotation kept
as text anew on every start; written as objects, they are evaluated once, from
the byte code, when the module runs.
"""

import os
import sys
from pathlib import Path
from typing import Annotated, Any, NamedTuple, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

HELP = """Rational troubleshooting for technical support.

Appraise the situation, specify the problem (IS / IS NOT), test every possible
cause against every fact, verify the true cause, and hand off a structured
escalation that backline continues without asking the customer again.

Start a guided session with: ktcli new

Shell completion (ids, rows, causes, playbooks): ktcli --install-completion
"""

PANEL_SESSION = "Guided session"
PANEL_BUILD = "Build an analysis without prompts"
PANEL_READ = "Read and check"
PANEL_HANDOFF = "Handoff"
PANEL_PLAYBOOK = "Playbooks"
PANEL_DECIDE = "Decide and protect"
PANEL_ARCHIVE = "Beyond one ticket"


class Command(NamedTuple):
    """One entry of the command table: where the command lives and how help lists it."""

    name: str
    module: str
    attribute: str
    panel: str
    help: str
    #: One command line that shows the command at work: the epilog of its --help.
    example: str = ""
    group: bool = False


def _table(panel: str, module: str, *rows: tuple[str, str, str, str]) -> list[Command]:
    return [
        Command(name, f"ktcli.cli.{module}", attr, panel, text, example)
        for name, attr, text, example in rows
    ]


#: Every command, in the order help lists them. ``help`` is the first line of the
#: command's docstring (a test keeps the two the same).
COMMANDS: tuple[Command, ...] = (
    *_table(
        PANEL_BUILD,
        "build",
        (
            "create",
            "create",
            "Create an analysis and print its id.",
            'ktcli create --title "Checkout slow" --ticket INC-4711',
        ),
        (
            "statement",
            "statement",
            "Set the problem statement: one object, one deviation, no cause.",
            'ktcli statement inc-4711 -o "Order API" -d "answers in over 5 s"',
        ),
        (
            "impact",
            "impact",
            "Record the business impact.",
            'ktcli impact inc-4711 "EU customers cannot pay: 300 orders an hour"',
        ),
        (
            "concern",
            "concern",
            "Add a concern to the appraisal, rated; its priority is derived.",
            'ktcli concern inc-4711 "Checkout times out" --seriousness high',
        ),
        (
            "depth",
            "depth",
            "Choose the depth of the analysis (quick or full) and say why.",
            'ktcli depth inc-4711 full --reason "high priority, no known fix"',
        ),
        (
            "fact",
            "fact",
            "Answer one side of a specification row with a fact and its source.",
            'ktcli fact inc-4711 where-location "eu-west pool" --source Grafana',
        ),
        (
            "not-applicable",
            "not_applicable",
            "Mark one side of a row as not applicable, with the reason.",
            'ktcli not-applicable inc-4711 extent-per-object --reason "one API"',
        ),
        (
            "need-data",
            "need_data",
            "Mark one side of a row as needing more data: who gets it, and how.",
            'ktcli need-data inc-4711 when-first --who ana --how "ask them"',
        ),
        (
            "distinction",
            "distinction",
            "Add a distinction, linked to the rows it comes from.",
            'ktcli distinction inc-4711 "Only EU runs 42" --row where-location',
        ),
        (
            "change",
            "change_cmd",
            "Add a change in, on, around or about a distinction, with its time.",
            'ktcli change inc-4711 "Pool cut to 10" --when 2026-11-20T22:00Z',
        ),
    ),
    *_table(
        PANEL_BUILD,
        "causes",
        (
            "cause",
            "cause",
            "Add a possible cause and print its id.",
            'ktcli cause inc-4711 "Pool too small" --origin change --ref ch1',
        ),
        (
            "test",
            "run_test",
            "Test a cause against one row: give exactly one of the three verdicts.",
            'ktcli test inc-4711 c1 where-location --explains "EU pool smaller"',
        ),
        (
            "verify",
            "verify",
            "Plan or record a verification step for a cause; print its id.",
            'ktcli verify inc-4711 c1 --checks "pool saturation" --method metrics',
        ),
        (
            "confirm",
            "confirm",
            "Name the true cause; it needs at least one confirmed verification step.",
            "ktcli confirm inc-4711 c1",
        ),
    ),
    *_table(
        PANEL_BUILD,
        "work",
        (
            "action",
            "action",
            "Add an interim, corrective, preventive or contingent action.",
            'ktcli action inc-4711 corrective "raise the pool to 60" --owner ana',
        ),
        (
            "request",
            "request",
            "Record a data request, or (with --id and --received) that its data arrived.",
            'ktcli request inc-4711 "slow query log" --from "customer DBA"',
        ),
        (
            "question",
            "question",
            "Record an open question.",
            'ktcli question inc-4711 "Did the DBA change anything?" --owner ana',
        ),
    ),
    *_table(
        PANEL_READ,
        "read",
        (
            "show",
            "show",
            "Show statement, IS / IS NOT matrix, cause tests and ranking.",
            "ktcli show INC-4711",
        ),
        (
            "list",
            "list_cmd",
            "List stored analyses, newest first.",
            "ktcli list --status open --analyst ana --since 2026-11-01",
        ),
        ("check", "check", "Run the quality gates; exit 1 when any fails.", "ktcli check inc-4711"),
        (
            "status",
            "status",
            "Show what is known, what is still open, and the exact next commands.",
            "ktcli status inc-4711",
        ),
    ),
    *_table(
        PANEL_ARCHIVE,
        "archive",
        (
            "search",
            "search",
            "Search every indexed analysis for words, best match first.",
            "ktcli search checkout timeout",
        ),
        (
            "similar",
            "similar",
            "Is this the same problem? Compare the specification with every indexed analysis.",
            "ktcli similar inc-4711 --reuse inc-3920",
        ),
        (
            "effort",
            "effort",
            "Record time spent on an analysis, for the reports of recurring problems.",
            'ktcli effort inc-4711 1h30m --note "call-out"',
        ),
        (
            "index",
            "index",
            "Bring the index of the store and the archives up to date with the files.",
            "ktcli index --rebuild",
        ),
    ),
    Command(
        "report",
        "ktcli.cli.report",
        "report_app",
        PANEL_ARCHIVE,
        "Beyond one ticket: recurring problems, and time to resolution by product and analyst.",
        example="ktcli report recurring --min 3",
        group=True,
    ),
    *_table(
        PANEL_READ,
        "probe",
        (
            "probe",
            "probe",
            "Check text for pitfalls and print the probing questions; exit 1 when any is found.",
            'ktcli probe "since your update everything is slow"',
        ),
    ),
    *_table(
        PANEL_HANDOFF,
        "read",
        (
            "export",
            "export",
            "Export the handoff as YAML (for machines), Markdown (for people) or JSON.",
            "ktcli export inc-4711 -f md --summary",
        ),
        (
            "schema",
            "schema",
            "Print the JSON Schema (draft-07) of a handoff or a playbook, for editors.",
            "ktcli schema playbook",
        ),
    ),
    *_table(
        PANEL_SESSION,
        "session",
        (
            "new",
            "new",
            "Start a guided analysis: appraisal, statement, IS / IS NOT, causes, verification, "
            "handoff.",
            'ktcli new --ticket INC-4711 --title "Checkout slow"',
        ),
        (
            "resume",
            "resume",
            "Continue a guided analysis at the first unanswered question.",
            "ktcli resume inc-4711",
        ),
    ),
    Command(
        "decide",
        "ktcli.cli.decide",
        "decide_app",
        PANEL_DECIDE,
        "Decision Analysis: MUSTs screen the options, weighted WANTs rank them, then choose.",
        example='ktcli decide option inc-4711 "Revert only the pool setting"',
        group=True,
    ),
    Command(
        "protect",
        "ktcli.cli.decide",
        "protect_app",
        PANEL_DECIDE,
        "Potential Problem Analysis: protect a plan with preventive and contingent actions.",
        example='ktcli protect step inc-4711 "Apply the revert in eu-west-1"',
        group=True,
    ),
    Command(
        "playbook",
        "ktcli.cli.playbook",
        "playbook_app",
        PANEL_PLAYBOOK,
        "Team knowledge as versioned YAML: list, show, lint and scaffold playbooks.",
        example="ktcli playbook new acme-web --extends web-latency",
        group=True,
    ),
    *_table(
        PANEL_HANDOFF,
        "handoff",
        (
            "escalate",
            "escalate",
            "Hand the analysis to backline: record it, and write the YAML and Markdown handoff.",
            'ktcli escalate inc-4711 --to "DB team" --reason "pool tuning"',
        ),
        (
            "import",
            "import_cmd",
            "Store a handoff; a newer version updates it and shows what changed, older is refused.",
            "ktcli import inc-4711.yaml",
        ),
        (
            "diff",
            "diff_cmd",
            "Show what changed from one analysis to another, row by row.",
            "ktcli diff inc-4711 inc-4711.yaml",
        ),
        (
            "update",
            "update",
            "Write a short status for the customer: known, ruled out, next, and the next update.",
            'ktcli update inc-4711 --next-update "Tuesday 14:00 CET"',
        ),
        (
            "close",
            "close",
            "Close an analysis: true cause verified, corrective action, customer confirmation.",
            'ktcli close inc-4711 -c "fast since 09:00, said Ana (customer)"',
        ),
    ),
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"ktcli {version('ktcli')}")
        raise typer.Exit()


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
    no_interactive: Annotated[
        bool,
        typer.Option(
            "--no-interactive",
            help="Never prompt: list the missing answers and fail instead. Implied when CI is set.",
        ),
    ] = False,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Rational troubleshooting for technical support."""
    from ktcli.cli.context import AppContext

    ctx.obj = AppContext(store_root=store, analyst=analyst, no_interactive=no_interactive)


# -- shared argument types ---------------------------------------------------------------------

# -- build an analysis without prompts -----------------------------------------------------


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
_COMPLETION = frozenset(("--install-completion", "--show-completion"))


def _command_token(args: list[str]) -> str | None:
    """The command named on the line, skipping the global options before it."""
    skip = False
    for at, arg in enumerate(args):
        if skip:
            skip = False
        elif arg in _GLOBAL_WITH_VALUE:
            skip = True
        elif arg == "--":
            # Only positional words follow, and click takes the first for the command.
            return args[at + 1] if at + 1 < len(args) else None
        elif not arg.startswith("-"):
            return arg
    return None


def _completing() -> list[str] | None:
    """The words typed so far when the shell asks for completions, else None.

    The shell runs ``ktcli`` with no arguments and the line in the environment
    (``COMP_WORDS`` for bash, ``_TYPER_COMPLETE_ARGS`` for zsh, fish and
    PowerShell): :func:`build_app` needs those words to load the one command
    being completed, whose parameters know their completions.
    """
    if not os.environ.get("_KTCLI_COMPLETE"):
        return None
    import shlex

    line = os.environ.get("_TYPER_COMPLETE_ARGS") or os.environ.get("COMP_WORDS", "")
    try:
        words = shlex.split(line)
    except ValueError:  # an open quote: the word being typed
        words = line.split()
    return words[1:]


def _stand_in() -> None:  # pragma: no cover - listed in help, never run
    raise AssertionError("help stand-in called")


class Listing(TyperGroup):
    """The top-level group of a line that names no command: every command listed, none built.

    The help and typer's "no such command" suggestions need only each command's
    name, help text and panel, which the table has. Registering thirty stand-ins
    with ``app.command()`` made typer read each one's signature and wrap its
    callback before printing a line; here each is a bare ``TyperCommand``, in
    the table's order. typer creates this class through ``typer.Typer(cls=...)``.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for command in COMMANDS:
            self.commands[command.name] = TyperCommand(
                command.name,
                callback=_stand_in,
                help=command.help,
                rich_help_panel=command.panel,
                rich_markup_mode=self.rich_markup_mode,
            )


def build_app(args: list[str]) -> typer.Typer:
    """The app with only what this command line needs: the named command's module, or none.

    typer builds every command and all its parameters before dispatching, which
    cost start-up time for each of thirty commands on every call. Running one
    command needs only that command; the top-level help (and typer's "no such
    command" suggestions) need only names, help texts and panels, which
    :class:`Listing` gives typer straight from the table. Only typer's public
    API is used.
    """
    import importlib

    command = _BY_NAME.get(_command_token(args) or "")
    app = typer.Typer(
        name="ktcli",
        cls=Listing if command is None else None,
        help=HELP,
        no_args_is_help=True,
        # typer's two completion options only when asked for: every other command line
        # (and the top-level help, which names them in HELP) stays as fast as before.
        add_completion=bool(os.environ.get("_KTCLI_COMPLETE")) or not _COMPLETION.isdisjoint(args),
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(main)
    if command is not None:
        target: Any = getattr(importlib.import_module(command.module), command.attribute)
        epilog = f"Example: {command.example}"
        if command.group:
            app.add_typer(target, name=command.name, rich_help_panel=command.panel, epilog=epilog)
        else:
            app.command(command.name, rich_help_panel=command.panel, epilog=epilog)(target)
    return app


_BY_NAME = {c.name: c for c in COMMANDS}


def _no_pydantic_plugins() -> None:
    """Load no pydantic plugins, and so do not import ``importlib.metadata`` to look for them.

    pydantic's plugin loader imports ``importlib.metadata`` when the first
    validator is built (typer builds one per parameter) and scans every installed
    distribution's entry points when the first model is: about a fifth of a
    command's start-up. Plugins instrument pydantic for a library's users; ktcli
    is an application and runs its models without them. The stand-in answers
    the loader's one question, what plugins there are, with none; a loader
    already imported (ktcli run in-process) is left as it is.
    """
    import types

    loader = types.ModuleType("pydantic.plugin._loader")
    loader.get_plugins = tuple  # type: ignore[attr-defined]
    sys.modules.setdefault(loader.__name__, loader)


def run(argv: list[str] | None = None) -> None:
    """Run the app; map every error to a message and an exit code, never a traceback."""
    _no_pydantic_plugins()
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        build_app(_completing() or args)(args=args, prog_name="ktcli")
    except (Exception, KeyboardInterrupt) as exc:
        _fail(_report(exc))


def _report(exc: Exception | KeyboardInterrupt) -> int:
    """Say what went wrong in one line (and a hint); return the exit code it maps to."""
    # Imported only on failure: the help, and a command that succeeds, never need them here.
    from ktcli.cli.context import AppContext
    from ktcli.errors import ExitCode, KtError, from_os_error

    if isinstance(exc, BrokenPipeError):
        # The reader (head, less) went away: not an error worth a message.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return ExitCode.OK
    term = AppContext().terminal
    if isinstance(exc, KtError):
        if exc.exit_code == ExitCode.INTERRUPTED:
            # Stopping is the analyst's choice, not an error: say calmly what is kept.
            term.info(exc.message)
            if exc.hint:
                term.info(exc.hint)
        else:
            term.error(exc.message, exc.hint)
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        term.error("interrupted")
        return ExitCode.INTERRUPTED
    if os.environ.get("KTCLI_DEBUG"):
        raise exc
    if isinstance(exc, OSError):
        # A full disk, a read-only store, a name too long: the machine's refusal, not a bug.
        failure = from_os_error(exc)
        term.error(failure.message, failure.hint)
    elif _is_validation_error(exc):
        # A value given on the command line that the document model refuses.
        term.error(_describe_validation(exc), "Check the value and retry.")
    else:
        term.error(
            f"internal error: {type(exc).__name__}: {exc}",
            "This is a bug in ktcli. Re-run with KTCLI_DEBUG=1 for the traceback and report it.",
        )
    return ExitCode.ERROR
