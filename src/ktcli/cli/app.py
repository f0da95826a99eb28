"""The typer app: the command table, flags in, exit codes out.

Startup time matters (an analyst types these with a customer waiting): this
module imports only typer, and :func:`build_app` imports the module of the one
command on the line. The top-level help lists every command from the table
below without importing any of them. Help texts avoid square brackets, which
typer's rich markup would swallow.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from ktcli.cli.context import AppContext

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
PANEL_DECIDE = "Decide and protect"
PANEL_ARCHIVE = "Beyond one ticket"


@dataclass(frozen=True)
class Command:
    """One entry of the command table: where the command lives and how help lists it."""

    name: str
    module: str
    attribute: str
    panel: str
    help: str
    group: bool = False


def _table(panel: str, module: str, *rows: tuple[str, str, str]) -> list[Command]:
    return [Command(name, f"ktcli.cli.{module}", attr, panel, text) for name, attr, text in rows]


#: Every command, in the order help lists them. ``help`` is the first line of the
#: command's docstring (a test keeps the two the same).
COMMANDS: tuple[Command, ...] = (
    *_table(
        PANEL_BUILD,
        "build",
        ("create", "create", "Create an analysis and print its id."),
        (
            "statement",
            "statement",
            "Set the problem statement: one object, one deviation, no cause.",
        ),
        ("impact", "impact", "Record the business impact."),
        ("concern", "concern", "Add a concern to the appraisal, rated; its priority is derived."),
        ("depth", "depth", "Choose the depth of the analysis (quick or full) and say why."),
        ("fact", "fact", "Answer one side of a specification row with a fact and its source."),
        (
            "not-applicable",
            "not_applicable",
            "Mark one side of a row as not applicable, with the reason.",
        ),
        (
            "need-data",
            "need_data",
            "Mark one side of a row as needing more data: who gets it, and how.",
        ),
        ("distinction", "distinction", "Add a distinction, linked to the rows it comes from."),
        (
            "change",
            "change_cmd",
            "Add a change in, on, around or about a distinction, with its time.",
        ),
    ),
    *_table(
        PANEL_BUILD,
        "causes",
        ("cause", "cause", "Add a possible cause and print its id."),
        (
            "test",
            "run_test",
            "Test a cause against one row: give exactly one of the three verdicts.",
        ),
        ("verify", "verify", "Plan or record a verification step for a cause; print its id."),
        (
            "confirm",
            "confirm",
            "Name the true cause; it needs at least one confirmed verification step.",
        ),
    ),
    *_table(
        PANEL_BUILD,
        "work",
        ("action", "action", "Add an interim, corrective, preventive or contingent action."),
        (
            "request",
            "request",
            "Record a data request, or (with --id and --received) that its data arrived.",
        ),
        ("question", "question", "Record an open question."),
    ),
    *_table(
        PANEL_READ,
        "read",
        ("show", "show", "Show statement, IS / IS NOT matrix, cause tests and ranking."),
        ("list", "list_cmd", "List stored analyses, newest first."),
        ("check", "check", "Run the quality gates; exit 1 when any fails."),
        (
            "status",
            "status",
            "Show what is known, what is still open, and the exact next commands.",
        ),
    ),
    *_table(
        PANEL_ARCHIVE,
        "archive",
        ("search", "search", "Search every indexed analysis for words, best match first."),
        (
            "similar",
            "similar",
            "Is this the same problem? Compare the specification with every indexed analysis.",
        ),
        (
            "effort",
            "effort",
            "Record time spent on an analysis, for the reports of recurring problems.",
        ),
        (
            "index",
            "index",
            "Bring the index of the store and the archives up to date with the files.",
        ),
    ),
    Command(
        "report",
        "ktcli.cli.report",
        "report_app",
        PANEL_ARCHIVE,
        "Beyond one ticket: recurring problems, and time to resolution by product and analyst.",
        group=True,
    ),
    *_table(
        PANEL_READ,
        "probe",
        (
            "probe",
            "probe",
            "Check text for pitfalls and print the probing questions; exit 1 when any is found.",
        ),
    ),
    *_table(
        PANEL_HANDOFF,
        "read",
        (
            "export",
            "export",
            "Export the handoff as YAML (for machines), Markdown (for people) or JSON.",
        ),
        (
            "schema",
            "schema",
            "Print the JSON Schema (draft-07) of a handoff or a playbook, for editors.",
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
        ),
        ("resume", "resume", "Continue a guided analysis at the first unanswered question."),
    ),
    Command(
        "decide",
        "ktcli.cli.decide",
        "decide_app",
        PANEL_DECIDE,
        "Decision Analysis: MUSTs screen the options, weighted WANTs rank them, then choose.",
        group=True,
    ),
    Command(
        "protect",
        "ktcli.cli.decide",
        "protect_app",
        PANEL_DECIDE,
        "Potential Problem Analysis: protect a plan with preventive and contingent actions.",
        group=True,
    ),
    Command(
        "playbook",
        "ktcli.cli.playbook",
        "playbook_app",
        PANEL_PLAYBOOK,
        "Team knowledge as versioned YAML: list, show, lint and scaffold playbooks.",
        group=True,
    ),
    *_table(
        PANEL_HANDOFF,
        "handoff",
        (
            "escalate",
            "escalate",
            "Hand the analysis to backline: record it, and write the YAML and Markdown handoff.",
        ),
        (
            "import",
            "import_cmd",
            "Store a handoff; a newer version updates it and shows what changed, older is refused.",
        ),
        ("diff", "diff_cmd", "Show what changed from one analysis to another, row by row."),
        (
            "update",
            "update",
            "Write a short status for the customer: known, ruled out, next, and the next update.",
        ),
        (
            "close",
            "close",
            "Close an analysis: true cause verified, corrective action, customer confirmation.",
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
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Rational troubleshooting for technical support."""
    ctx.obj = AppContext(store_root=store, analyst=analyst)


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


def _stub() -> None:  # pragma: no cover - listed in help, never run
    raise AssertionError("help stub called")


def build_app(args: list[str]) -> typer.Typer:
    """The app with only what this command line needs: the named command's module, or none.

    typer builds every command and all its parameters before dispatching, which
    cost start-up time for each of thirty commands on every call. Running one
    command needs only that command; the top-level help (and typer's "no such
    command" suggestions) need only names and help texts, so every other
    command is a parameterless stand-in built from the table. Only typer's
    public API is used.
    """
    import importlib

    app = typer.Typer(
        name="ktcli",
        help=HELP,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(main)
    token = _command_token(args)
    for command in COMMANDS:
        if command.name != token:
            if token is None or token not in _NAMES:
                app.command(command.name, help=command.help, rich_help_panel=command.panel)(_stub)
            continue
        target: Any = getattr(importlib.import_module(command.module), command.attribute)
        if command.group:
            app.add_typer(target, name=command.name, rich_help_panel=command.panel)
        else:
            app.command(command.name, rich_help_panel=command.panel)(target)
    return app


_NAMES = frozenset(c.name for c in COMMANDS)


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
    from ktcli.errors import ExitCode, KtError

    _no_pydantic_plugins()
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        build_app(args)(args=args, prog_name="ktcli")
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
    except OSError as exc:
        # A full disk, a read-only store, a name too long: the machine's refusal, not a bug.
        from ktcli.errors import from_os_error

        if os.environ.get("KTCLI_DEBUG"):
            raise
        failure = from_os_error(exc)
        AppContext().terminal.error(failure.message, failure.hint)
        _fail(ExitCode.ERROR)
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
