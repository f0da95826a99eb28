"""The rules of the layout: pure modules stay pure, and the CLI starts light."""

from __future__ import annotations

import ast
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "ktcli"

#: Domain logic: no terminal, no prompts, no files (STYLE.md).
PURE = [
    "model",
    "analysis",
    "language",
    "interview",
    "render",
    "markdown",
    "export",
    "escalation",
    "playbook_model",
]
FORBIDDEN_IMPORTS = {"sys", "typer", "click", "questionary", "prompt_toolkit", "subprocess", "os"}
FORBIDDEN_CALLS = {"print", "open", "input"}


def _present(name: str) -> bool:
    return importlib.util.find_spec(f"ktcli.{name}") is not None


@pytest.mark.parametrize("name", PURE)
def test_pure_modules_do_no_io(name: str) -> None:
    if not _present(name):
        pytest.skip(f"ktcli.{name} does not exist yet")
    tree = ast.parse((SRC / f"{name}.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots = {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots = {node.module.split(".")[0]}
        else:
            roots = set()
        assert not roots & FORBIDDEN_IMPORTS, f"{name}.py:{node.lineno} imports {roots}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in FORBIDDEN_CALLS, (
                f"{name}.py:{node.lineno} calls {node.func.id}"
            )
        if isinstance(node, ast.Attribute):
            assert node.attr not in {"read_text", "write_text", "read_bytes", "write_bytes"}, (
                f"{name}.py:{node.lineno} touches a file"
            )


def _modules_after(statement: str) -> set[str]:
    code = f"import sys, json\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout))


def test_pure_modules_load_without_the_terminal_libraries() -> None:
    present = [n for n in PURE if _present(n)]
    loaded = _modules_after("; ".join(f"import ktcli.{n}" for n in present))
    assert not loaded & {"typer", "questionary", "prompt_toolkit", "click"}


def test_the_cli_starts_without_models_yaml_or_prompts() -> None:
    """Startup time: importing the app must not pull in what only some commands need."""
    loaded = _modules_after("import ktcli.cli")
    heavy = {"pydantic", "yaml", "questionary", "prompt_toolkit", "ktcli.model", "ktcli.analysis"}
    assert not loaded & heavy
