"""The rules of the layout: layers point one way, pure packages stay pure, the CLI starts light."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "ktcli"

#: Domain logic: no terminal, no prompts, no files (STYLE.md). Whole packages, plus the
#: modules of the edge layers that only turn data into data.
PURE_PACKAGES = ["core", "session", "handoff"]
PURE_MODULES = [
    "ui/render.py",
    "ui/plain.py",
    "ui/playbook_view.py",
    "playbooks/model.py",
    "playbooks/merge.py",
    "playbooks/hashing.py",
]
FORBIDDEN_IMPORTS = {"sys", "typer", "click", "questionary", "prompt_toolkit", "subprocess", "os"}
FORBIDDEN_CALLS = {"print", "open", "input"}


def _pure_files() -> list[Path]:
    files = [f for pkg in PURE_PACKAGES for f in sorted((SRC / pkg).rglob("*.py"))]
    return files + [SRC / m for m in PURE_MODULES]


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(tree: ast.AST) -> list[tuple[int, str, list[str]]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module, [a.name for a in node.names]))
    return found


def test_every_pure_package_exists_and_has_modules() -> None:
    for pkg in PURE_PACKAGES:
        assert len(list((SRC / pkg).glob("*.py"))) > 1, pkg


@pytest.mark.parametrize("path", _pure_files(), ids=lambda p: str(p.relative_to(SRC)))
def test_pure_modules_do_no_io(path: Path) -> None:
    name = path.relative_to(SRC)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for lineno, module, _ in _imports(tree):
        assert module.split(".")[0] not in FORBIDDEN_IMPORTS, f"{name}:{lineno} imports {module}"
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id not in FORBIDDEN_CALLS, f"{name}:{node.lineno} calls {node.func.id}"
        if isinstance(node, ast.Attribute):
            assert node.attr not in {"read_text", "write_text", "read_bytes", "write_bytes"}, (
                f"{name}:{node.lineno} touches a file"
            )


def test_no_private_name_crosses_a_module() -> None:
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        for lineno, module, names in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if not module.startswith("ktcli"):
                continue
            private = [n for n in [module.rsplit(".", 1)[-1], *names] if n.startswith("_")]
            if private:
                offenders.append(f"{path.relative_to(SRC)}:{lineno}: {module} {private}")
    assert offenders == []


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_layer_contract_holds() -> None:
    """import-linter checks every import of ktcli, internal ones included (pyproject.toml)."""
    res = _lint_imports(ROOT)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "Contracts: 1 kept, 0 broken." in res.stdout


def test_the_layer_contract_fails_on_a_back_import(tmp_path: Path) -> None:
    """The contract is not vacuous: a copy of the tree with core importing the CLI breaks it."""
    import shutil

    shutil.copytree(SRC, tmp_path / "src" / "ktcli")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    model = tmp_path / "src" / "ktcli" / "core" / "text.py"
    model.write_text(model.read_text(encoding="utf-8") + "\nimport ktcli.cli.app\n")
    res = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(tmp_path / "src"), "PATH": "/usr/bin:/bin"},
    )
    assert res.returncode == 1, res.stdout + res.stderr
    assert "ktcli.core.text -> ktcli.cli.app" in res.stdout


def _modules_after(statement: str) -> set[str]:
    code = f"import sys, json\n{statement}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(out.stdout))


def test_pure_modules_load_without_the_terminal_libraries() -> None:
    names = sorted({_module_name(p) for p in _pure_files()})
    loaded = _modules_after("; ".join(f"import {n}" for n in names))
    assert set(names) <= loaded
    assert not loaded & {"typer", "questionary", "prompt_toolkit", "click"}


def test_the_cli_starts_without_models_yaml_or_prompts() -> None:
    """Startup time: importing the app must not pull in what only some commands need."""
    loaded = _modules_after("import ktcli.cli.app")
    heavy = {
        "pydantic",
        "yaml",
        "questionary",
        "prompt_toolkit",
        "ktcli.core.model",
        "ktcli.core.analysis",
        # The archive index: only the commands that read it, or save, open a database.
        "sqlite3",
        "psycopg",
        "ktcli.archive.index",
    }
    assert not loaded & heavy


def test_no_module_is_over_600_lines() -> None:
    """A module past 600 lines holds more than one idea: split it into named parts."""
    sizes = {
        str(path.relative_to(SRC)): len(path.read_text(encoding="utf-8").splitlines())
        for path in SRC.rglob("*.py")
    }
    assert {name: n for name, n in sizes.items() if n > 600} == {}
