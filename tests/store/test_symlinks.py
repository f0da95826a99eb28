"""A shared store is hostile ground: planted links, directories and FIFOs are refused, never followed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ktcli.errors import InvalidFileError, LockedError
from ktcli.store import files
from ktcli.store.files import Store
from tests.conftest import Run, lock_held_elsewhere
from tests.factories import specified

PRECIOUS = "my precious notes\n"


@pytest.fixture
def precious(tmp_path: Path) -> Path:
    """A file outside the store that nobody may touch."""
    path = tmp_path / "precious.txt"
    path.write_text(PRECIOUS, encoding="utf-8")
    return path


def _fact(ktcli: Run, aid: str) -> object:
    return ktcli("fact", aid, "where-location", "eu-west", "--source", "Grafana")


def test_a_planted_owner_link_is_removed_not_written_through(
    ktcli: Run, store_dir: Path, precious: Path
) -> None:
    assert ktcli("create", "--title", "t", "--id", "victim").code == 0
    (store_dir / "victim.owner").symlink_to(precious)
    res = _fact(ktcli, "victim")
    assert res.code == 0, res.err
    assert precious.read_text(encoding="utf-8") == PRECIOUS
    assert not os.path.lexists(store_dir / "victim.owner")


def test_a_lock_link_to_an_outside_file_is_refused(
    ktcli: Run, store_dir: Path, precious: Path
) -> None:
    assert ktcli("create", "--title", "t", "--id", "victim").code == 0
    (store_dir / "victim.lock").unlink()
    (store_dir / "victim.lock").symlink_to(precious)
    res = _fact(ktcli, "victim")
    assert res.code == 1
    assert "victim.lock: is a symbolic link, not a regular file" in res.err
    assert "internal error" not in res.err
    assert precious.read_text(encoding="utf-8") == PRECIOUS


def test_a_dangling_lock_link_creates_nothing_outside(
    ktcli: Run, store_dir: Path, tmp_path: Path
) -> None:
    store_dir.mkdir()
    outside = tmp_path / "created-outside"
    (store_dir / "newid.lock").symlink_to(outside)
    res = ktcli("create", "--title", "t", "--id", "newid")
    assert res.code == 1
    assert "newid.lock: is a symbolic link" in res.err
    assert not outside.exists()
    assert not (store_dir / "newid.yaml").exists()


def test_an_analysis_link_is_refused_on_read_and_on_write(tmp_path: Path, precious: Path) -> None:
    store = Store(tmp_path / "s")
    store.save(specified("real"))
    link = store.root / "victim.yaml"
    link.symlink_to(store.root / "real.yaml")
    with pytest.raises(InvalidFileError, match=r"victim\.yaml: is a symbolic link"):
        store.load("victim")
    (store.root / "other.yaml").symlink_to(precious)
    with pytest.raises(InvalidFileError, match="is a symbolic link"):
        store.save(specified("other"))
    assert precious.read_text(encoding="utf-8") == PRECIOUS
    assert store.exists("other")  # a planted name counts: create must not take it over


def test_list_shows_a_planted_link_with_its_reason(ktcli: Run, store_dir: Path) -> None:
    assert ktcli("create", "--title", "t", "--id", "good").code == 0
    (store_dir / "evil.yaml").symlink_to("/etc/passwd")
    entries = {e.id: e for e in Store(store_dir).entries()}
    assert entries["good"].analysis is not None
    assert entries["evil"].error is not None
    assert "is a symbolic link" in entries["evil"].error


def test_a_planted_temporary_name_is_skipped(
    tmp_path: Path, precious: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path / "s")
    store.save(specified("inc-1"))
    planted = store.root / ".inc-1.yaml.aaaaaaaa.tmp"
    planted.symlink_to(precious)
    names = iter(["aaaaaaaa", "bbbbbbbb"])
    monkeypatch.setattr(files, "_random_suffix", lambda: next(names))
    store.save(specified("inc-1"))
    assert precious.read_text(encoding="utf-8") == PRECIOUS
    assert planted.is_symlink()
    assert store.load("inc-1").id == "inc-1"


@pytest.mark.parametrize("kind", ["directory", "fifo"])
def test_a_directory_or_fifo_as_the_analysis_is_refused(tmp_path: Path, kind: str) -> None:
    store = Store(tmp_path / "s")
    store.root.mkdir()
    entry = store.root / "x.yaml"
    if kind == "directory":
        entry.mkdir()
        expected = "is a directory"
    else:
        os.mkfifo(entry)  # opening it for reading would block without O_NONBLOCK
        expected = "is a device or special file"
    with pytest.raises(InvalidFileError, match=expected):
        store.load("x")
    with pytest.raises(InvalidFileError, match=expected):
        store.save(specified("x"))


def test_a_directory_where_the_lock_belongs_is_one_clear_line(ktcli: Run, store_dir: Path) -> None:
    (store_dir / "d.lock").mkdir(parents=True)
    res = ktcli("create", "--title", "t", "--id", "d")
    assert res.code == 1
    assert "d.lock: is a directory, not a regular file" in res.err
    assert "internal error" not in res.err
    assert len(res.err.strip().splitlines()) <= 2


def test_the_holder_is_written_in_the_lock_file_and_cleared_after(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with store.lock("inc-1"):
        text = (tmp_path / "inc-1.lock").read_text(encoding="utf-8")
        assert f"pid {os.getpid()} since " in text
    assert (tmp_path / "inc-1.lock").read_text(encoding="utf-8") == ""
    assert not (tmp_path / "inc-1.owner").exists()


def test_a_hostile_holder_text_is_made_safe(tmp_path: Path) -> None:
    store = Store(tmp_path)
    with lock_held_elsewhere(tmp_path, "inc-1"):
        (tmp_path / "inc-1.lock").write_text("\x1b[2Jevil\n" + "x" * 5000, encoding="utf-8")
        with pytest.raises(LockedError) as info, store.lock("inc-1"):
            pass
    assert "\x1b" not in info.value.message
    assert "\\x1b[2Jevil" in info.value.message
    assert len(info.value.message) < 400


def test_leftovers_of_a_killed_process_are_cleaned_once_the_lock_is_ours(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.save(specified("inc-1"))
    stale = [tmp_path / ".inc-1.yaml.k1l2m3n4.tmp", tmp_path / "inc-1.owner"]
    other = tmp_path / ".inc-1.yaml.b.yaml.abcd1234.tmp"  # a temp of analysis "inc-1.yaml.b"
    with lock_held_elsewhere(tmp_path, "inc-1"):
        for path in stale:
            path.write_text("left by a killed process", encoding="utf-8")
        other.write_text("not ours", encoding="utf-8")
        with pytest.raises(LockedError), store.lock("inc-1"):
            pass
        assert all(p.exists() for p in stale), "never cleaned while someone holds the lock"
    with store.lock("inc-1"):
        pass
    assert not any(p.exists() for p in stale)
    assert other.exists()
    assert store.load("inc-1").id == "inc-1"
