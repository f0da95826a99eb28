"""Discovery: built-in, user, team (git root), KTCLI_PLAYBOOK_PATH; a later one wins by id."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ktcli.core.model import STANDARD_ROW_IDS
from ktcli.errors import InvalidFileError, InvalidFileErrors, NotFoundError
from ktcli.playbooks.discovery import (
    DEFAULT_ID,
    builtin_dir,
    discover,
    git_root,
    index,
    load,
    sources,
    user_dir,
)
from ktcli.playbooks.files import Source, playbook_paths

BUILTIN_IDS = {
    "generic",
    "network-connectivity",
    "web-latency",
    "email-delivery",
    "auth-sso",
    "database-performance",
    "postgresql",
}


def write(directory: Path, pid: str, *, name: str = "N", extra: str = "") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{pid}.yaml"
    path.write_text(
        f'schema_version: 1\nid: {pid}\nname: {name}\nversion: "1"\ndescription: d\n{extra}'
    )
    return path


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository (a bare .git marker is enough) with the cwd in a subdirectory."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "src" / "deep").mkdir(parents=True)
    monkeypatch.chdir(root / "src" / "deep")
    return root


def test_every_builtin_is_found_and_valid() -> None:
    catalog = discover([Source("builtin", builtin_dir())])
    assert catalog.problems == []
    assert set(catalog.files) == BUILTIN_IDS
    for pid in BUILTIN_IDS:
        assert catalog.files[pid].path.stem == pid  # file named after its id
        catalog.merged(pid)  # extends resolve, row references hold


@pytest.mark.parametrize("pid", sorted(BUILTIN_IDS))
def test_builtins_carry_real_knowledge(pid: str) -> None:
    """Each teaches comparisons, evidence with commands, and causes tied to rows."""
    pb = discover([Source("builtin", builtin_dir())]).merged(pid)
    assert any(g.is_not for g in pb.rows.values()), "no IS NOT comparisons"
    assert any(e.before_restart and e.commands for e in pb.evidence), "nothing before restart"
    assert len(pb.causes) >= 4
    assert all(c.explains for c in pb.causes)
    assert pb.data_requests
    assert pb.description.strip()


def test_extending_builtin_overrides_and_adds() -> None:
    catalog = discover([Source("builtin", builtin_dir())])
    base, child = catalog.merged("database-performance"), catalog.merged("postgresql")
    base_causes = [c.id for c in base.causes]
    assert [c.id for c in child.causes][: len(base_causes)] == base_causes
    assert {"generic-plan", "idle-in-transaction"} <= {c.id for c in child.causes}
    overridden = next(c for c in child.causes if c.id == "connection-limit")
    assert "too many clients already" in overridden.text
    assert "database" in child.tags
    assert "postgresql" in child.tags


def test_sources_in_order(repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    monkeypatch.setenv("KTCLI_PLAYBOOK_PATH", f"{one}{os.pathsep}{os.pathsep}{two}")
    found = sources()
    assert [(s.kind, s.directory) for s in found] == [
        ("builtin", builtin_dir()),
        ("user", tmp_path / "config" / "ktcli" / "playbooks"),
        ("team", repo.resolve() / ".ktcli" / "playbooks"),
        ("path", one),
        ("path", two),
    ]
    assert user_dir() == found[1].directory


def test_no_team_source_outside_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert git_root(tmp_path) is None
    assert [s.kind for s in sources(tmp_path, environ={})] == ["builtin", "user"]


def test_git_root_accepts_a_git_file(tmp_path: Path) -> None:
    """Worktrees and submodules have a .git *file*."""
    (tmp_path / "wt").mkdir()
    (tmp_path / "wt" / ".git").write_text("gitdir: /elsewhere\n")
    (tmp_path / "wt" / "a" / "b").mkdir(parents=True)
    assert git_root(tmp_path / "wt" / "a" / "b") == (tmp_path / "wt").resolve()


def test_later_source_wins_by_id(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = user_dir()
    team = repo / ".ktcli" / "playbooks"
    envdir = tmp_path / "env"
    write(user, "generic", name="User generic")
    write(user, "mine", name="User mine")
    write(team, "mine", name="Team mine")
    write(team, "teamonly", name="Team only")
    write(envdir, "teamonly", name="Env teamonly")
    monkeypatch.setenv("KTCLI_PLAYBOOK_PATH", str(envdir))
    catalog = discover()
    assert catalog.problems == []
    winners = {pid: (f.source.kind, f.playbook.name) for pid, f in catalog.files.items()}
    assert winners["generic"] == ("user", "User generic")
    assert winners["mine"] == ("team", "Team mine")
    assert winners["teamonly"] == ("path", "Env teamonly")
    assert winners["web-latency"][0] == "builtin"
    assert sorted((src.kind, path.stem) for path, src in catalog.shadowed) == [
        ("builtin", "generic"),
        ("team", "teamonly"),
        ("user", "mine"),
    ]


def test_extends_resolves_against_the_winner(repo: Path) -> None:
    """A team playbook that extends 'web-latency' gets the team's web-latency if it has one."""
    team = repo / ".ktcli" / "playbooks"
    write(team, "acme-web", extra="extends: web-latency\n")
    assert load("acme-web").causes[0].id == "pool-exhaustion"
    write(
        team,
        "web-latency",
        extra="causes:\n  - {id: team-cause, text: t, confirm: c, explains: [when-first]}\n",
    )
    assert [c.id for c in load("acme-web").causes] == ["team-cause"]


def test_broken_files_are_reported_and_skipped(repo: Path) -> None:
    team = repo / ".ktcli" / "playbooks"
    write(team, "good")
    (team / "bad.yaml").write_text("schema_version: 1\nid: bad\nname: [\n")
    (team / "notes.txt").write_text("ignored")
    (team / ".hidden.yaml").write_text("ignored: true")
    catalog = discover()
    assert "good" in catalog.files
    assert "bad" not in catalog.files
    assert [p.message.split(":")[0] for p in catalog.problems] == [str(team / "bad.yaml")]
    assert [p.name for p in playbook_paths(team)] == ["bad.yaml", "good.yaml"]


def test_same_id_twice_in_one_directory_is_a_problem(repo: Path) -> None:
    team = repo / ".ktcli" / "playbooks"
    write(team, "dup")
    (team / "dup.yml").write_text(
        'schema_version: 1\nid: dup\nname: Z\nversion: "1"\ndescription: d\n'
    )
    catalog = discover()
    assert catalog.files["dup"].path.name == "dup.yml"
    assert [p.message for p in catalog.problems] == [
        f"{team}/dup.yml: same id as dup.yaml next to it; this one wins"
    ]


def test_a_playbook_is_found_by_its_file_name(repo: Path) -> None:
    team = repo / ".ktcli" / "playbooks"
    team.mkdir(parents=True)
    (team / "web.yaml").write_text(
        'schema_version: 1\nid: acme-web\nname: Z\nversion: "1"\ndescription: d\n'
    )
    catalog = discover()
    assert "acme-web" not in catalog.files
    assert [p.message for p in catalog.problems] == [
        f"{team}/web.yaml:2:5: id: id 'acme-web' differs from the file name; "
        "name the file acme-web.yaml"
    ]


def test_a_session_reads_only_what_it_needs(repo: Path) -> None:
    """Finding by file name: a broken file elsewhere costs nothing and hides nothing."""
    team = repo / ".ktcli" / "playbooks"
    write(team, "other", extra="bogus: 1\n")
    catalog = index()
    assert catalog.merged("postgresql").id == "postgresql"
    assert set(catalog.files) == {"postgresql", "database-performance"}
    assert catalog.problems == []


def test_env_entry_that_is_not_a_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KTCLI_PLAYBOOK_PATH", str(tmp_path / "missing"))
    catalog = discover()
    assert any("KTCLI_PLAYBOOK_PATH names" in p.message for p in catalog.problems)
    assert DEFAULT_ID in catalog.files


def test_unknown_id_lists_the_known_ones() -> None:
    with pytest.raises(NotFoundError) as info:
        load("nope")
    assert "no playbook with id 'nope'" in info.value.message
    assert info.value.hint is not None
    assert "generic" in info.value.hint


@pytest.mark.parametrize(
    ("files", "pid", "expected"),
    [
        ({"a": "extends: missing\n"}, "a", "a.yaml:6:10: extends: extends 'missing', which is"),
        (
            {"a": "extends: b\n", "b": "extends: c\n", "c": "extends: a\n"},
            "a",
            "c.yaml:6:10: extends: circular extends: a → b → c → a",
        ),
        ({"a": "extends: a\n"}, "a", "a.yaml:6:10: extends: circular extends: a → a"),
        (
            {"a": "extends: b\nrows:\n  nowhere: {hint: h}\n", "b": ""},
            "a",
            "a.yaml:8:3: rows.nowhere: unknown row 'nowhere'",
        ),
    ],
)
def test_broken_extends(repo: Path, files: dict[str, str], pid: str, expected: str) -> None:
    team = repo / ".ktcli" / "playbooks"
    for name, extra in files.items():
        write(team, name, extra=extra)
    with pytest.raises((InvalidFileError, InvalidFileErrors)) as info:
        load(pid)
    assert expected in str(info.value).replace(str(team) + "/", "")


def test_extra_rows_are_inherited(repo: Path) -> None:
    team = repo / ".ktcli" / "playbooks"
    write(
        team,
        "base",
        extra="extra_rows:\n  - {id: tier, dimension: where, label: L, question: Q}\n",
    )
    write(team, "child", extra="extends: base\nrows:\n  tier: {hint: from child}\n")
    pb = load("child")
    assert pb.row_ids() == (*STANDARD_ROW_IDS, "tier")
    assert pb.rows["tier"].hint == "from child"
