"""What a command imports in a fresh interpreter: only what it uses."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES, ROOT, run_in_child


def modules_after(*args: str) -> set[str]:
    """The modules loaded once ``ktcli ARGS`` has run in a fresh interpreter."""
    return run_in_child(*args)[1]


@pytest.mark.parametrize(
    "args",
    [("--help",), ("export", str(EXAMPLES / "checkout-latency.yaml")), ("list",)],
)
def test_no_command_looks_for_pydantic_plugins(args: tuple[str, ...]) -> None:
    loaded = modules_after(*args)
    assert "importlib.metadata" not in loaded


def test_the_models_still_validate_without_plugins(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    text = (EXAMPLES / "checkout-latency.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("status: closed", "status: shelved", 1), encoding="utf-8")
    res = subprocess.run(
        [sys.executable, "-m", "ktcli", "export", str(bad)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert res.returncode == 1
    assert res.stdout == ""
    line = text[: text.index("status: closed")].count("\n") + 1
    assert f"bad.yaml:{line}:" in res.stderr
    assert "status" in res.stderr


#: Which heavy modules are loaded when a question is first asked.
HEAVY = (
    "ktcli.core.model",
    "ktcli.session.engine",
    "ktcli.session.catalogue",
    "ktcli.yamlio",
    "yaml",
    "ktcli.playbooks",
)


def new_until_the_first_question(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``ktcli new ARGS`` in a fresh interpreter, at a "terminal" whose first question gets Ctrl-C.

    It prints the question's id and the heavy modules then loaded, then the exit code.
    """
    code = (
        "import sys\n"
        "import ktcli.cli.session as s\n"
        "class Asker:\n"
        "    def note(self, text, kind):\n"
        "        pass\n"
        "    def ask(self, question):\n"
        f"        print(question.id, [m for m in {HEAVY!r} if m in sys.modules])\n"
        "        raise KeyboardInterrupt\n"
        "s._prompter = lambda app_ctx: Asker()\n"
        "s._stdin_is_terminal = lambda: True\n"
        "from ktcli.cli.app import run\n"
        f"sys.argv = ['ktcli', 'new', *{args!r}]\n"
        "try:\n    run()\nexcept SystemExit as exc:\n    print('exit', exc.code)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update(PYTHONPATH=str(ROOT / "src"), KTCLI_HOME=str(tmp_path / "store"))
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )


def test_new_asks_the_title_before_loading_the_model(tmp_path: Path) -> None:
    # The title question is drawn before the model, the engine or the store's files are
    # loaded; interrupted there, nothing was saved (the store stays empty).
    res = new_until_the_first_question(tmp_path, "--id", "n1")
    assert res.stdout.split("\n")[:2] == ["title []", "exit 130"], res.stderr
    assert "stopped before anything was saved" in res.stderr
    assert not list((tmp_path / "store").glob("*.yaml"))


def test_the_top_level_help_imports_no_command_and_no_error_machinery() -> None:
    # The help needs names, help texts and panels: the table in ktcli.cli.app has them all.
    loaded = modules_after("--help")
    ours = {m for m in loaded if m.startswith("ktcli.")}
    assert ours == {"ktcli.cli", "ktcli.cli.app"}


def test_new_draws_a_recorded_first_question_before_loading_the_model(tmp_path: Path) -> None:
    # The first run records the session's first question; the second draws it before the
    # model, the engine, the catalogue, YAML or playbooks are loaded. Interrupted there, the
    # analysis is saved all the same, and resumable.
    first, second = (
        new_until_the_first_question(tmp_path, "--title", "T", "--id", analysis_id)
        for analysis_id in ("n1", "n2")
    )
    assert first.stdout.split("\n")[0].startswith("impact ['ktcli.core.model'"), first.stderr
    assert second.stdout.split("\n")[:2] == ["impact []", "exit 130"], second.stderr
    assert "everything answered is saved in n2" in second.stderr
    assert (tmp_path / "store" / "n2.yaml").is_file()


def test_new_without_an_id_draws_the_first_question_before_the_model_too(tmp_path: Path) -> None:
    # The id is made from the ticket (or the date) without the model: 'ktcli new --ticket T
    # --title X', as analysts type it, takes the same early path.
    for _ in range(2):
        res = new_until_the_first_question(tmp_path, "--title", "T", "--ticket", "INC-7")
    assert res.stdout.split("\n")[:2] == ["impact []", "exit 130"], res.stderr
    assert "everything answered is saved in inc-7-1" in res.stderr
