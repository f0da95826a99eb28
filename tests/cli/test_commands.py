"""The non-interactive commands: build a whole analysis from a script, and refuse bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ktcli import yamlio
from ktcli.core.model import Analysis
from tests.conftest import Result, Run, lock_held_elsewhere

SRC = str(Path(__file__).resolve().parents[2] / "src")


def ok(res: Result) -> Result:
    assert res.code == 0, res.err
    return res


def stored(store_dir: Path, analysis_id: str = "inc-4711") -> Analysis:
    return Analysis.model_validate(
        yamlio.parse(yamlio.read(store_dir / f"{analysis_id}.yaml"), "t")
    )


_BUILT: dict[str, bytes] = {}


@pytest.fixture
def built(ktcli: Run, store_dir: Path) -> str:
    """An analysis built end to end through the commands (once; later tests reuse the file)."""
    if "inc-4711" in _BUILT:
        store_dir.mkdir(parents=True, exist_ok=True)
        (store_dir / "inc-4711.yaml").write_bytes(_BUILT["inc-4711"])
        return "inc-4711"
    aid = _build(ktcli)
    _BUILT[aid] = (store_dir / f"{aid}.yaml").read_bytes()
    return aid


def _build(ktcli: Run) -> str:
    aid = ok(ktcli("create", "--title", "Checkout slow", "--ticket", "INC-4711")).out.strip()
    ok(ktcli("impact", aid, "EU customers cannot pay; about 300 orders an hour lost"))
    ok(ktcli("concern", aid, "Checkout times out", "--seriousness", "high", "--urgency", "high"))
    ok(ktcli("depth", aid, "full", "--reason", "high priority, no known fix"))
    ok(ktcli("statement", aid, "-o", "Order API", "-d", "answers in more than 5 s"))
    ok(ktcli("fact", aid, "where-location", "eu-west pool", "--source", "Grafana", "--verified"))
    ok(
        ktcli(
            "fact", aid, "where-location", "us-east pool", "--side", "is-not", "--source", "Grafana"
        )
    )
    ok(ktcli("not-applicable", aid, "extent-per-object", "--reason", "one API", "-s", "is"))
    ok(ktcli("need-data", aid, "when-first", "--who", "ana", "--how", "ask the customer"))
    ok(ktcli("distinction", aid, "Only EU runs build 42", "--row", "where-location"))
    ok(
        ktcli(
            "change",
            aid,
            "Pool size cut to 10",
            "--when",
            "2026-11-20T22:00Z",
            "--distinction",
            "d1",
        )
    )
    assert (
        ok(ktcli("cause", aid, "Pool too small", "--origin", "change", "--ref", "ch1")).out
        == "c1\n"
    )
    assert ok(ktcli("cause", aid, "Slow disk")).out == "c2\n"
    ok(ktcli("test", aid, "c1", "where-location", "--only-if", "EU traffic exceeds 10 connections"))
    ok(ktcli("test", aid, "c2", "where-location", "--does-not-explain", "US uses the same disks"))
    assert (
        ok(ktcli("verify", aid, "c1", "--checks", "pool saturation", "--method", "metrics")).out
        == "v1\n"
    )
    ok(
        ktcli(
            "verify", aid, "c1", "--step", "v1", "--status", "confirmed", "--result", "10/10 busy"
        )
    )
    ok(ktcli("confirm", aid, "c1"))
    ok(ktcli("action", aid, "interim", "Raise pool to 50", "--owner", "ops", "--done"))
    ok(ktcli("request", aid, "DB logs for Nov 20", "--from", "customer DBA"))
    ok(ktcli("request", aid, "--id", "r1", "--received", "logs attached"))
    ok(ktcli("question", aid, "Why was the pool cut?", "--owner", "change board"))
    return aid


def test_a_script_builds_a_whole_analysis(built: str, store_dir: Path) -> None:
    a = stored(store_dir)
    assert a.id == built == "inc-4711"
    assert a.appraisal.concerns[0].priority == "high"
    assert a.appraisal.depth == "full"
    assert a.statement is not None
    assert a.statement.text == "Order API answers in more than 5 s"
    row = a.row("where-location")
    assert row is not None
    assert row.is_ is not None
    assert row.is_.model_dump()["status"] == "verified"
    assert a.changes[0].distinction == "d1"
    assert a.causes[0].tests["where-location"].verdict == "explains_only_if"
    assert a.verifications[0].status == "confirmed"
    assert a.verifications[0].by == "ana"
    assert a.true_cause is not None
    assert a.true_cause.cause == "c1"
    assert a.true_cause.verifications == ["v1"]
    assert a.actions[0].status == "done"
    assert a.data_requests[0].result == "logs attached"
    assert a.open_questions[0].owner == "change board"
    # Every change is in the append-only history, in order, with who and when.
    assert len(a.history) == 22
    assert a.history[0].what == "created the analysis"
    assert all(h.who == "ana" for h in a.history)


def test_create_refuses_an_existing_id(ktcli: Run) -> None:
    ok(ktcli("create", "--title", "x", "--id", "dup"))
    res = ktcli("create", "--title", "y", "--id", "dup")
    assert res.code == 1
    assert "already exists" in res.err


def test_create_picks_a_free_id_from_the_date(ktcli: Run) -> None:
    assert ok(ktcli("create", "--title", "a")).out == "kt-20261124\n"
    assert ok(ktcli("create", "--title", "b")).out == "kt-20261124-1\n"


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("fact", "nope", "what-object", "x", "--source", "s"), 1, "no analysis 'nope'"),
        (("fact", "inc-4711", "nope", "x", "--source", "s"), 1, "no row 'nope'"),
        (("fact", "inc-4711", "what-object", "x"), 2, "--source"),
        (("fact", "inc-4711", "what-object", "  ", "--source", "s"), 1, "must not be empty"),
        (("test", "inc-4711", "c9", "where-location", "--explains", "x"), 1, "no cause 'c9'"),
        (("test", "inc-4711", "c1", "where-location"), 2, "exactly one of"),
        (
            ("test", "inc-4711", "c1", "where-location", "--explains", "a", "--only-if", "b"),
            2,
            "exactly one",
        ),
        (("verify", "inc-4711", "c2"), 2, "needs --checks and --method"),
        (("confirm", "inc-4711", "c2"), 1, "no confirmed verification"),
        (("concern", "inc-4711", "x", "--urgency", "extreme"), 2, "extreme"),
        (("fact", "../../etc", "what-object", "x", "--source", "s"), 2, "not a valid analysis id"),
        (
            ("change", "inc-4711", "x", "--when", "now", "--distinction", "d7"),
            1,
            "no distinction 'd7'",
        ),
    ],
)
def test_bad_commands_fail_with_one_clear_line(
    built: str, ktcli: Run, store_dir: Path, args: tuple[str, ...], code: int, words: str
) -> None:
    before = (store_dir / "inc-4711.yaml").read_bytes()
    res = ktcli(*args)
    assert res.code == code
    assert words in res.err
    assert "Traceback" not in res.err
    assert (store_dir / "inc-4711.yaml").read_bytes() == before, "a failed edit changes nothing"


def test_a_locked_analysis_is_refused(built: str, ktcli: Run, store_dir: Path) -> None:
    with lock_held_elsewhere(store_dir, "inc-4711") as proc:
        res = ktcli("impact", "inc-4711", "new impact")
    assert res.code == 1
    assert "is open elsewhere" in res.err
    assert f"pid {proc.pid}" in res.err


def test_a_hand_broken_file_is_reported_and_never_overwritten(
    built: str, ktcli: Run, store_dir: Path
) -> None:
    path = store_dir / "inc-4711.yaml"
    broken = path.read_text(encoding="utf-8").replace("title: Checkout slow", "title: [Checkout")
    path.write_text(broken, encoding="utf-8")
    res = ktcli("impact", "inc-4711", "x")
    assert res.code == 1
    assert res.err.startswith(f"error: {path}:")
    assert "not valid YAML" in res.err
    assert path.read_text(encoding="utf-8") == broken


# -- export, import, schema ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_import_export_is_byte_identical(
    built: str, ktcli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    first = ok(ktcli("export", built, "--format", fmt)).out
    handoff = tmp_path / f"handoff.{fmt}"
    ok(ktcli("export", built, "-f", fmt, "-o", str(handoff)))
    assert handoff.read_text(encoding="utf-8") == first
    monkeypatch.setenv("KTCLI_HOME", str(tmp_path / "backline"))
    assert ok(ktcli("import", str(handoff))).out == "inc-4711\n"
    assert ok(ktcli("export", built, "--format", fmt)).out == first


def test_yaml_export_begins_with_the_schema_version(built: str, ktcli: Run) -> None:
    out = ok(ktcli("export", built)).out
    assert out.startswith("---\nschema_version: 3\nid: inc-4711\n")
    assert json.loads(ok(ktcli("export", built, "-f", "json")).out)["schema_version"] == 3


HANDOFF_ERRORS = [
    ("title: [broken\n", ":2:1: not valid YAML"),
    ("- just\n- a list\n", ":1:1: expected a mapping"),
    ("schema_version: 7\n", "schema_version 7 is not supported"),
]


@pytest.mark.parametrize(("text", "words"), HANDOFF_ERRORS)
def test_import_refuses_broken_files(ktcli: Run, tmp_path: Path, text: str, words: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    res = ktcli("import", str(bad))
    assert res.code == 1
    assert words in res.err
    assert str(bad) in res.err
    assert "Traceback" not in res.err


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        (
            "title: Checkout slow\n",
            "title: Checkout slow\ncolour: red\n",
            ":6:1: colour: unknown field",
        ),
        ("status: open\n", "status: 3\n", ":6:9: status: Input should be"),
        (
            "    source: Grafana\n",
            "    source: [a, b]\n",
            "specification.2.is.source: Input should be a valid string",
        ),
        ("  seriousness: high\n", "  seriousness: severe\n", "appraisal.concerns.0.seriousness"),
        ("  confirmed_by: ana\n", "", "true_cause.confirmed_by: required field is missing"),
        ("- id: c2\n", "- id: c1\n", "causes.1.id: duplicate cause id 'c1'"),
    ],
)
def test_import_errors_name_file_line_and_field(
    built: str,
    ktcli: Run,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    old: str,
    new: str,
    where: str,
) -> None:
    text = ok(ktcli("export", built)).out
    assert old in text
    bad = tmp_path / "hand-edited.yaml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    monkeypatch.setenv("KTCLI_HOME", str(tmp_path / "other"))
    res = ktcli("import", str(bad))
    assert res.code == 1
    assert where in res.err
    assert res.err.startswith(f"error: {bad}:")
    assert not (tmp_path / "other" / "inc-4711.yaml").exists()


def test_import_refuses_an_alias_bomb_quickly(ktcli: Run, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.yaml"
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 9):
        prev, cur = chr(96 + i), chr(97 + i)
        levels.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    bomb.write_text("\n".join(levels) + "\n", encoding="utf-8")
    res = ktcli("import", str(bomb))
    assert res.code == 1
    assert f"{bomb}:1:4: a: anchors (&name) are not allowed" in res.err


def test_import_refuses_an_oversized_file(ktcli: Run, tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"title: " + b"x" * (yamlio.MAX_BYTES + 1) + b"\n")
    res = ktcli("import", str(big))
    assert res.code == 1
    assert "the limit is" in res.err


def test_import_of_a_missing_file(ktcli: Run, tmp_path: Path) -> None:
    res = ktcli("import", str(tmp_path / "nope.yaml"))
    assert res.code == 1
    assert "nope.yaml: no such file" in res.err


def test_schema_handoff_is_draft_07(ktcli: Run) -> None:
    schema = json.loads(ok(ktcli("schema", "handoff")).out)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["properties"]["schema_version"]["const"] == 3
    assert {"decision", "protection"} <= set(schema["properties"])
    assert schema["$defs"]["Want"]["properties"]["weight"]["anyOf"][0]["maximum"] == 10
    assert schema["additionalProperties"] is False
    assert "is" in schema["$defs"]["Row"]["properties"]


def test_help_keeps_bracketed_words_and_exits_zero(ktcli: Run) -> None:
    res = ok(ktcli("--help"))
    assert "ktcli new" in res.out
    for command in ("create", "fact", "test", "export", "import", "check", "show", "list"):
        assert command in res.out


def test_no_command_shows_help_and_usage_errors_exit_2(ktcli: Run) -> None:
    assert ktcli().code == 2
    res = ktcli("frobnicate")
    assert res.code == 2
    assert "No such command" in res.err


def test_version(ktcli: Run) -> None:
    assert ok(ktcli("--version")).out.startswith("ktcli ")


def test_store_option_overrides_the_environment(ktcli: Run, tmp_path: Path) -> None:
    other = tmp_path / "elsewhere"
    ok(ktcli("--store", str(other), "create", "--title", "x", "--id", "here"))
    assert (other / "here.yaml").is_file()


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("  ", "invalid title: must not be empty"),
        ("bad \udcff byte", "invalid title: text contains characters"),
    ],
)
def test_values_the_model_refuses_are_one_line_errors(ktcli: Run, title: str, words: str) -> None:
    res = ktcli("create", "--title", title)
    assert res.code == 1
    assert words in res.err
    assert "internal error" not in res.err


def test_top_level_help_matches_its_golden_file(ktcli: Run) -> None:
    """The command list as a new user first sees it (update with KTCLI_UPDATE_GOLDEN=1)."""
    from tests.conftest import GOLDEN

    out = ok(ktcli("--help")).out
    golden = GOLDEN / "help.txt"
    if os.environ.get("KTCLI_UPDATE_GOLDEN"):
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


def test_the_command_table_matches_the_command_modules() -> None:
    """Help lists every command from the table; each entry resolves, with its docstring's text."""
    import importlib
    import inspect

    from ktcli.cli.app import COMMANDS

    assert len(COMMANDS) >= 25
    for command in COMMANDS:
        target = getattr(importlib.import_module(command.module), command.attribute)
        if command.group:
            assert " ".join(command.help.split()) in " ".join(target.info.help.split())
            continue
        first = inspect.getdoc(target).split("\n\n", 1)[0]
        assert command.help == " ".join(first.split()), command.name
    listed = {(c.module, c.attribute) for c in COMMANDS}
    for module in {c.module for c in COMMANDS if not c.group}:
        mod = importlib.import_module(module)
        for name, fn in vars(mod).items():
            params = inspect.signature(fn).parameters if inspect.isfunction(fn) else {}
            if params and fn.__module__ == module and "ctx" in params and name[0] != "_":
                assert (module, name) in listed, (
                    f"{module}.{name} is a command but not in the table"
                )


def test_running_one_command_imports_only_its_module() -> None:
    code = (
        "import sys; from ktcli.cli.app import build_app; build_app(['list']); "
        "print(*sorted(m for m in sys.modules if m.startswith('ktcli.cli.')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == [
        "ktcli.cli.app",
        "ktcli.cli.common",
        "ktcli.cli.context",
        "ktcli.cli.read",
    ]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("export", "--help"), "Export the handoff as YAML"),
        (("--store", "/tmp/x", "export", "--help"), "--format"),
        (("playbook", "--help"), "lint"),
        (("fact", "--help"), "--source"),
    ],
)
def test_each_command_has_its_own_help(ktcli: Run, args: tuple[str, ...], words: str) -> None:
    res = ok(ktcli(*args))
    assert words in res.out


def test_a_mistyped_command_gets_a_suggestion(ktcli: Run) -> None:
    res = ktcli("lst")
    assert res.code == 2
    assert "Did you mean 'list'?" in res.err


def test_a_command_after_a_double_dash_runs(ktcli: Run) -> None:
    """After ``--`` click takes the next word for the command: that command is loaded and run."""
    res = ok(ktcli("--", "list"))
    assert "no analyses in" in res.err


def test_the_top_level_help_lists_every_command_of_the_table_in_its_panel(ktcli: Run) -> None:
    from ktcli.cli.app import COMMANDS

    out = ok(ktcli("--help")).out
    panels = [line for line in out.splitlines() if line.startswith("╭─ ")]
    assert len(panels) == 1 + len({c.panel for c in COMMANDS})  # the options, then each panel
    for command in COMMANDS:
        start = out.index(f"╭─ {command.panel} ")
        end = out.index("╰", start)
        assert f"│ {command.name} " in out[start:end], command.name
