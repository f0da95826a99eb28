"""Every command's --help ends with an example, and every example is a command line that parses."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import pytest
import typer

from ktcli.cli.app import COMMANDS, build_app
from tests.conftest import EXAMPLES, Result, Run


def _click(args: list[str]) -> Any:
    return typer.main.get_command(build_app(args))


def _subcommands() -> list[tuple[str, str]]:
    found = []
    for command in COMMANDS:
        if command.group:
            group = _click([command.name]).commands[command.name]
            found += [(command.name, sub) for sub in group.commands]
    return found


SUBCOMMANDS = _subcommands()


def _example_of(help_text: str) -> str:
    lines = [line.strip() for line in help_text.splitlines() if "Example: ktcli " in line]
    assert len(lines) == 1, f"one example per --help, found {lines}"
    return lines[0].removeprefix("Example: ")


@pytest.fixture
def run_example(ktcli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Run an example against a temp store holding the worked example as inc-4711."""
    monkeypatch.chdir(tmp_path)
    text = (EXAMPLES / "checkout-latency.yaml").read_text("utf-8")
    handoff = tmp_path / "handoff.yaml"
    handoff.write_text(text.replace("status: closed", "status: open", 1), encoding="utf-8")
    assert ktcli("import", str(handoff), "--as", "inc-4711").code == 0

    def run(line: str) -> Result:
        res = ktcli(*shlex.split(line)[1:])
        # 2 is a usage error: the line did not parse. 0 and 1 (a refusal of this
        # analysis's state, a missing file) mean the line itself was understood.
        assert res.code in (0, 1), f"{line}: {res.err}"
        assert "internal error" not in res.err, res.err
        return res

    return run


@pytest.mark.parametrize("command", COMMANDS, ids=[c.name for c in COMMANDS])
def test_every_command_has_an_example_that_fits_and_parses(
    ktcli: Run, run_example: Any, command: Any
) -> None:
    res = ktcli(command.name, "--help")
    assert res.code == 0, res.err
    example = _example_of(res.out)
    assert example == command.example, "shown whole, on one line of 80 columns"
    assert example.startswith(f"ktcli {command.name} ")
    run_example(example)


@pytest.mark.parametrize(("group", "sub"), SUBCOMMANDS, ids=[f"{g}-{s}" for g, s in SUBCOMMANDS])
def test_every_subcommand_has_an_example_that_parses(
    ktcli: Run, run_example: Any, group: str, sub: str
) -> None:
    res = ktcli(group, sub, "--help")
    assert res.code == 0, res.err
    example = _example_of(res.out)
    assert example.startswith(f"ktcli {group} {sub}")
    run_example(example.split(" (or simply")[0])


@pytest.mark.parametrize(
    "line",
    [
        "ktcli change inc-4711 --when 2026-11-20",  # no text
        "ktcli export inc-4711 -f docx",
        "ktcli decide option inc-4711",
    ],
)
def test_a_line_that_does_not_parse_is_caught(run_example: Any, line: str) -> None:
    with pytest.raises(AssertionError, match=r"Usage|Missing|Invalid"):
        run_example(line)
