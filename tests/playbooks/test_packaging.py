"""The built-in playbooks ship in the wheel, and the pre-commit hook works from a team repo.

Both tests are slow (they build and install) and are marked so: run them with
``pytest -m slow``. Neither reads stdin.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.playbooks.test_discovery import BUILTIN_IDS

pytestmark = pytest.mark.slow


def _run(
    *argv: str | Path, cwd: Path, env: dict[str, str] | None = None, timeout: int = 300
) -> str:
    done = subprocess.run(
        [str(a) for a in argv],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"{argv} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def test_wheel_installed_outside_the_checkout_finds_every_builtin(tmp_path: Path) -> None:
    """Build the wheel, install it into a fresh venv in tmp, and list the playbooks from there.

    The fresh venv gets the wheel with ``--no-deps``; its third-party dependencies
    come from the dev venv through a ``.pth`` line naming the dev venv's
    site-packages. That keeps the test offline and fast (no second download of
    typer, pydantic, rich...), and it cannot pick up the checkout by accident:
    paths named in a ``.pth`` file are appended to ``sys.path`` but *their* own
    ``.pth`` files (the editable install's hook) are not processed, and the
    fresh venv's own site-packages, holding the wheel's ``ktcli``, comes first.
    """
    dist = tmp_path / "dist"
    _run(sys.executable, "-m", "build", "--wheel", "--outdir", dist, ROOT, cwd=tmp_path)
    wheel = next(dist.glob("ktcli-*.whl"))
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    _run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--no-deps",
        "-q",
        wheel,
        cwd=tmp_path,
    )
    site = Path(
        _run(
            python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])", cwd=tmp_path
        ).strip()
    )
    (site / "zz_dev_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "NO_COLOR": "1",
        "COLUMNS": "200",
    }
    where = _run(
        python,
        "-c",
        "import ktcli.playbooks.discovery as p; print(p.builtin_dir())",
        cwd=outside,
        env=env,
    ).strip()
    assert Path(where) == site / "ktcli" / "playbooks" / "builtin"
    listed = _run(venv / "bin" / "ktcli", "playbook", "list", cwd=outside, env=env)
    rows = {line.split()[0]: line.split()[-1] for line in listed.splitlines()[1:] if line.strip()}
    assert {pid: rows.get(pid) for pid in BUILTIN_IDS} == dict.fromkeys(BUILTIN_IDS, "builtin")
    shown = _run(venv / "bin" / "ktcli", "playbook", "show", "postgresql", cwd=outside, env=env)
    assert "database-performance (builtin)" in shown


def _git(*args: str, cwd: Path) -> str:
    return _run(
        "git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args, cwd=cwd
    ).strip()


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_pre_commit_hook_lints_playbooks_in_a_team_repo(tmp_path: Path) -> None:
    """pre-commit clones this checkout at HEAD, builds its venv and runs the hook.

    It needs the package registry (pip installs ktcli's dependencies into the
    hook's venv) and takes about a minute the first time.
    """
    head = _git("rev-parse", "HEAD", cwd=ROOT)
    if "ktcli-playbook-lint" not in _git("show", f"{head}:.pre-commit-hooks.yaml", cwd=ROOT):
        pytest.fail("HEAD has no .pre-commit-hooks.yaml with the lint hook")
    repo = tmp_path / "team"
    pb = repo / ".ktcli" / "playbooks"
    pb.mkdir(parents=True)
    _git("init", "-q", cwd=repo)
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {head}\n    hooks:\n      - id: ktcli-playbook-lint\n"
    )
    (pb / "good.yaml").write_text(
        'schema_version: 1\nid: good\nname: Good\nversion: "1"\ndescription: d\n'
        "extends: web-latency\n"
    )
    (pb / "broken.yaml").write_text(
        'schema_version: 1\nid: broken\nname: Broken\nversion: "1"\ndescription: d\ncolour: red\n'
    )
    _git("add", ".", cwd=repo)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    env.pop("KTCLI_PLAYBOOK_PATH", None)
    pre_commit = [sys.executable, "-m", "pre_commit", "run", "--color", "never", "--files"]

    good = _run(*pre_commit, ".ktcli/playbooks/good.yaml", cwd=repo, env=env, timeout=600)
    assert "lint ktcli playbooks" in good
    assert "Passed" in good

    bad = subprocess.run(
        [*pre_commit, ".ktcli/playbooks/broken.yaml"],
        cwd=repo,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert bad.returncode == 1, bad.stdout + bad.stderr
    out = " ".join(bad.stdout.split())
    assert "Failed" in out
    assert ".ktcli/playbooks/broken.yaml:6:1: colour: unknown field" in out
