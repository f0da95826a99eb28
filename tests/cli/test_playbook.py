"""ktcli playbook list / show / lint / new, run in-process as the console script runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ktcli.playbooks.discovery import builtin_dir
from ktcli.playbooks.files import parse_playbook
from tests.conftest import Run

GOOD = 'schema_version: 1\nid: {id}\nname: N\nversion: "1"\ndescription: d\n'


def write(path: Path, pid: str, extra: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(GOOD.format(id=pid) + extra)
    return path


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory outside any git repository."""
    d = tmp_path / "work"
    d.mkdir()
    monkeypatch.chdir(d)
    return d


@pytest.fixture
def env_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A directory named by KTCLI_PLAYBOOK_PATH."""
    d = tmp_path / "env"
    d.mkdir()
    monkeypatch.setenv("KTCLI_PLAYBOOK_PATH", str(d))
    return d


def test_list_shows_builtins_with_version_title_and_origin(ktcli: Run, work: Path) -> None:
    res = ktcli("playbook", "list")
    assert res.code == 0, res.err
    lines = res.out.splitlines()
    assert lines[0].split() == ["ID", "VERSION", "TITLE", "FROM"]
    generic = next(line for line in lines if line.startswith("generic "))
    assert generic.split()[:2] == ["generic", "1.0.0"]
    assert "Generic IT problem" in generic
    assert generic.rstrip().endswith("builtin")
    assert "(extends" in res.out


def test_list_shows_user_override_and_env_path(
    ktcli: Run, work: Path, tmp_path: Path, env_dir: Path
) -> None:
    write(tmp_path / "config" / "ktcli" / "playbooks" / "generic.yaml", "generic")
    write(env_dir / "extra.yaml", "extra")
    res = ktcli("playbook", "list")
    assert res.code == 0, res.err
    lines = [line.split() for line in res.out.splitlines()]
    assert ["generic", "1", "N", "user"] in lines
    assert ["extra", "1", "N", "path"] in lines
    assert f"user: {tmp_path}/config/ktcli/playbooks" in res.out
    assert f"path: {tmp_path}/env" in res.out
    assert "generic in " in res.err
    assert "is overridden by user" in res.err


def test_list_warns_about_broken_files_and_goes_on(ktcli: Run, work: Path, env_dir: Path) -> None:
    (env_dir / "bad.yaml").write_text("schema_version: 1\nid: bad\nbogus: 1\n")
    res = ktcli("playbook", "list")
    assert res.code == 0
    assert "warning:" in res.err
    assert "bad.yaml:3:1: bogus: unknown field" in " ".join(res.err.split())
    assert "generic" in res.out


def test_show_text_merges_the_chain(ktcli: Run, work: Path) -> None:
    res = ktcli("playbook", "show", "postgresql")
    assert res.code == 0, res.err
    out = res.out
    assert out.startswith("PostgreSQL performance  postgresql 1.0.0\n")
    assert "from: postgresql (builtin) ← database-performance (builtin)" in out
    assert "sha256: " in out
    for heading in ("Rows", "Evidence to collect", "Known causes", "Probing terms"):
        assert f"\n{heading}\n" in out
    assert "BEFORE RESTART" in out
    assert "pg_blocking_pids" in out  # from the child
    assert "SHOW FULL PROCESSLIST" in out  # inherited from the parent
    assert max(len(line) for line in out.splitlines()) <= 80


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_show_machine_formats_are_the_merged_playbook(ktcli: Run, work: Path, fmt: str) -> None:
    res = ktcli("playbook", "show", "postgresql", "--format", fmt)
    assert res.code == 0, res.err
    merged = parse_playbook(res.out, f"out.{fmt}")
    assert merged.id == "postgresql"
    assert "sessions-and-locks" in {e.id for e in merged.evidence}
    if fmt == "json":
        assert json.loads(res.out)["extends"] == "database-performance"


def test_show_unknown_id(ktcli: Run, work: Path) -> None:
    res = ktcli("playbook", "show", "nope")
    assert res.code == 1
    assert "error: no playbook with id 'nope'" in res.err
    assert "hint: Known playbooks:" in res.err


def test_show_user_text_is_not_markup(ktcli: Run, work: Path, env_dir: Path) -> None:
    write(env_dir / "x.yaml", "x", 'tags: ["[bold]loud[/bold]", "\\e[2Jclear"]\n')
    res = ktcli("playbook", "show", "x")
    assert res.code == 0, res.err
    assert "[bold]loud[/bold]" in res.out
    assert "\x1b" not in res.out
    assert "\\x1b[2Jclear" in res.out


def test_lint_builtins_pass(ktcli: Run, work: Path) -> None:
    res = ktcli("playbook", "lint", str(builtin_dir()))
    assert res.code == 0, res.err
    assert res.err.strip() == "✓ 7 playbook files ok"


def test_lint_reports_every_kind_with_file_line_column(ktcli: Run, work: Path) -> None:
    write(work / "pb" / "ok.yaml", "ok")
    write(work / "pb2" / "ok.yaml", "ok")
    write(work / "pb" / "named.yaml", "misnamed")
    write(work / "pb" / "cyc-a.yaml", "cyc-a", "extends: cyc-b\n")
    write(work / "pb" / "cyc-b.yaml", "cyc-b", "extends: cyc-a\n")
    write(work / "pb" / "orphan.yaml", "orphan", "extends: nowhere\n")
    write(work / "pb" / "typo.yaml", "typo", "rows:\n  when-first:\n    hnit: x\n")
    write(work / "pb" / "badrow.yaml", "badrow", "extends: web-latency\nrows:\n  web-endpont: {}\n")
    (work / "pb" / "broken.yaml").write_text("schema_version: 1\nid: [\n")
    res = ktcli("playbook", "lint", "pb", "pb2")
    assert res.code == 1
    assert sum(line.startswith("error: ") for line in res.err.splitlines()) == 8
    # Lines wrap at 80 columns: compare the text with whitespace collapsed.
    text = " ".join(res.err.split())
    for expected in (
        "pb/badrow.yaml:8:3: rows.web-endpont: unknown row 'web-endpont'",
        "pb/broken.yaml:3:1: not valid YAML",
        "pb/cyc-a.yaml:6:10: extends: circular extends: cyc-b → cyc-a → cyc-b",
        "pb/cyc-b.yaml:6:10: extends: circular extends: cyc-a → cyc-b → cyc-a",
        "pb/orphan.yaml:6:10: extends: extends 'nowhere', which is not a known playbook",
        "pb/typo.yaml:8:5: rows.when-first.hnit: unknown field",
        "pb2/ok.yaml:2:5: id: duplicate playbook id 'ok' (also pb/ok.yaml)",
        "pb/named.yaml:2:5: id: id 'misnamed' differs from the file name; name the file"
        " misnamed.yaml",
    ):
        assert expected in text, expected
    assert text.endswith("8 problems in 8 files (9 playbook files checked)")


def test_lint_resolves_extends_from_sibling_files(ktcli: Run, work: Path) -> None:
    """A pre-commit hook passes only the changed file; its parent sits next to it."""
    write(
        work / "pb" / "base.yaml",
        "base",
        "extra_rows:\n  - {id: tier, dimension: where, label: L, question: Q}\n",
    )
    write(work / "pb" / "child.yaml", "child", "extends: base\nrows:\n  tier: {hint: h}\n")
    res = ktcli("playbook", "lint", "pb/child.yaml")
    assert res.code == 0, res.err
    assert "1 playbook file ok" in res.err


def test_lint_reports_a_broken_parent_once(ktcli: Run, work: Path) -> None:
    write(work / "pb" / "base.yaml", "base", "extends: web-latency\nrows:\n  nowhere: {}\n")
    write(work / "pb" / "child.yaml", "child", "extends: base\n")
    res = ktcli("playbook", "lint", "pb")
    assert res.code == 1
    errors = [line for line in res.err.splitlines() if line.startswith("error: ")]
    assert errors == ["error: pb/base.yaml:8:3: rows.nowhere: unknown row 'nowhere'"]


def test_lint_missing_path_and_empty_dir(ktcli: Run, work: Path) -> None:
    res = ktcli("playbook", "lint", "missing.yaml")
    assert res.code == 1
    assert "error: missing.yaml: no such file or directory" in res.err
    (work / "empty").mkdir()
    res = ktcli("playbook", "lint", "empty")
    assert res.code == 2
    assert "no playbook files found" in res.err


def test_lint_needs_a_path(ktcli: Run, work: Path) -> None:
    assert ktcli("playbook", "lint").code == 2


def test_new_scaffolds_a_valid_playbook_with_schema(ktcli: Run, work: Path) -> None:
    res = ktcli("playbook", "new", "acme-web", "--extends", "web-latency", "--name", "Acme: web")
    assert res.code == 0, res.err
    path = work / "acme-web.yaml"
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=playbook.schema.json\n")
    pb = parse_playbook(text, str(path))
    assert (pb.id, pb.name, pb.extends) == ("acme-web", "Acme: web", "web-latency")
    schema = json.loads((work / "playbook.schema.json").read_text())
    assert schema["title"] == "ktcli playbook"
    lint = ktcli("playbook", "lint", "acme-web.yaml")
    assert lint.code == 0, lint.err
    shown = ktcli("playbook", "show", "acme-web")
    assert shown.code == 1  # not discoverable from here: not in any playbook directory


def test_new_refuses_to_overwrite(ktcli: Run, work: Path) -> None:
    (work / "x.yaml").write_text("mine")
    res = ktcli("playbook", "new", "x")
    assert res.code == 1
    assert "x.yaml already exists; not overwriting it" in res.err
    assert (work / "x.yaml").read_text() == "mine"


def test_new_into_the_team_directory_is_discovered(ktcli: Run, work: Path) -> None:
    (work / ".git").mkdir()
    res = ktcli("playbook", "new", "team-pb", "-o", ".ktcli/playbooks/team-pb.yaml")
    assert res.code == 0, res.err
    listed = ktcli("playbook", "list")
    assert "team: " in listed.out
    assert "team-pb" in listed.out


def test_new_insists_on_the_file_name(ktcli: Run, work: Path) -> None:
    res = ktcli("playbook", "new", "acme", "-o", "sub/other.yaml")
    assert res.code == 2
    assert "name the file acme.yaml: ktcli finds a playbook by its file name" in res.err
    assert "hint: For example: -o sub/acme.yaml" in res.err


@pytest.mark.parametrize("bad", ["../evil", "-x", "a b"])
def test_new_refuses_bad_ids(ktcli: Run, work: Path, bad: str) -> None:
    res = ktcli("playbook", "new", "--", bad)
    assert res.code == 2
    assert not list(work.iterdir())


def test_schema_command_prints_the_playbook_schema(ktcli: Run, work: Path) -> None:
    res = ktcli("schema", "playbook")
    assert res.code == 0
    assert json.loads(res.out) == json.loads((builtin_dir() / "playbook.schema.json").read_text())


def test_playbook_group_help_lists_commands(ktcli: Run) -> None:
    res = ktcli("playbook", "--help")
    assert res.code == 0
    for cmd in ("list", "show", "lint", "new"):
        assert cmd in res.out
    top = ktcli("--help")
    assert "Playbooks" in top.out
