"""The README's set-up commands, the lock and CI tell the same story."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

tomllib = pytest.importorskip("tomllib")  # Python 3.11+; the lock is made on 3.11

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
LOCK = (ROOT / "requirements" / "dev.lock").read_text(encoding="utf-8")


def _setup_commands() -> list[str]:
    section = README.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```sh\n(.*?)```", section, re.S)]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _locked() -> dict[str, str]:
    return {m[0].lower(): m[1] for m in re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", LOCK, re.M)}


def test_readme_has_exactly_two_setup_commands() -> None:
    install, tests = _setup_commands()
    assert "pip install -e ." in install
    assert "ktcli show examples/" in install
    assert "requirements" not in install, "users install with plain pip, no lock needed"
    assert "--require-hashes -r requirements/dev.lock" in tests
    assert tests.endswith("python -m pytest")


def test_ci_installs_the_way_the_readme_test_command_does() -> None:
    _, tests = _setup_commands()
    for step in tests.split(" && ")[:-1]:
        args = step.split("pip install", 1)[1].strip()
        assert f"install --quiet {args}" in CI, f"CI does not run: pip install {args}"


def test_the_lock_pins_every_dependency_with_hashes() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = {_name(r) for r in project["project"]["dependencies"]}
    wanted |= {_name(r) for r in project["project"]["optional-dependencies"]["dev"]}
    wanted |= {_name(r) for r in project["build-system"]["requires"]}
    locked = _locked()
    assert wanted - set(locked) == set()
    entries = re.findall(r"^[A-Za-z0-9_.-]+==\S+ \\\n((?:    --hash=sha256:\w+.*\n)+)", LOCK, re.M)
    assert len(entries) == len(locked), "every pinned package carries its hashes"


def test_declared_ranges_admit_the_locked_versions() -> None:
    from packaging.requirements import Requirement

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    locked = _locked()
    for text in project["project"]["dependencies"]:
        req = Requirement(text)
        assert req.specifier.contains(locked[req.name.lower()]), (text, locked[req.name.lower()])
