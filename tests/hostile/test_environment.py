"""A full disk, a read-only store, a long name: one clear line each, exit 1, never "a bug"."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest

from ktcli.errors import StorageError, from_os_error
from ktcli.store import files
from ktcli.store.files import Store
from tests.conftest import Run
from tests.factories import specified


def _raise(code: int) -> Any:
    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    return fail


def _one_clear_line(err: str) -> str:
    assert "internal error" not in err
    assert "bug in ktcli" not in err
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.mark.parametrize(
    ("code", "says", "todo"),
    [
        (errno.ENOSPC, "no space left on the device", "Free some space"),
        (errno.EROFS, "the file system is read-only", "Use a writable store"),
        (errno.EACCES, "permission denied", "Check the permissions"),
    ],
)
def test_a_failed_write_is_one_line_and_leaves_the_stored_file(
    ktcli: Run, store_dir: Path, monkeypatch: pytest.MonkeyPatch, code: int, says: str, todo: str
) -> None:
    assert ktcli("create", "--title", "t", "--id", "inc-1").code == 0
    before = (store_dir / "inc-1.yaml").read_bytes()
    monkeypatch.setattr(files.os, "fsync", _raise(code))
    res = ktcli("fact", "inc-1", "where-location", "eu-west", "--source", "Grafana")
    assert res.code == 1
    line = _one_clear_line(res.err)
    assert line == f"error: cannot save analysis 'inc-1': {store_dir / 'inc-1.yaml'}: {says}"
    assert todo in res.err
    monkeypatch.undo()
    assert (store_dir / "inc-1.yaml").read_bytes() == before
    assert not list(store_dir.glob(".*.tmp")), "the temporary file is removed"


def test_a_read_only_store_refuses_the_temporary_file_clearly(
    ktcli: Run, store_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def open_(path: Any, flags: int, mode: int = 0o777, **kw: Any) -> int:
        if str(path).endswith(".tmp"):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_open(path, flags, mode, **kw)

    monkeypatch.setattr(files.os, "open", open_)
    res = ktcli("create", "--title", "t", "--id", "inc-1")
    assert res.code == 1
    line = _one_clear_line(res.err)
    # The user's file is named, not the temporary one.
    assert line.endswith(f"{store_dir / 'inc-1.yaml'}: the file system is read-only")


def test_a_store_path_over_the_name_limit_is_one_line(ktcli: Run, tmp_path: Path) -> None:
    long_store = tmp_path / ("x" * 300)
    res = ktcli("--store", str(long_store), "create", "--title", "t", "--id", "inc-1")
    assert res.code == 1
    line = _one_clear_line(res.err)
    assert "the name is too long for the file system" in line
    assert "shorter" in res.err


def test_an_export_into_a_file_posing_as_a_directory_is_one_line(
    ktcli: Run, tmp_path: Path
) -> None:
    assert ktcli("create", "--title", "t", "--id", "inc-1").code == 0
    blocker = tmp_path / "notadir"
    blocker.write_text("", encoding="utf-8")
    res = ktcli("export", "inc-1", "--output", str(blocker / "sub" / "out.md"))
    assert res.code == 1
    line = _one_clear_line(res.err)
    assert "a file stands where a directory should be" in line


def test_an_unknown_errno_still_names_the_path_and_what_failed() -> None:
    exc = OSError(errno.ETXTBSY, os.strerror(errno.ETXTBSY), "/x/y")
    failure = from_os_error(exc, "save analysis 'a'")
    assert failure.message == f"cannot save analysis 'a': /x/y: {os.strerror(errno.ETXTBSY)}"
    assert failure.hint


def test_a_failed_save_leaves_no_stale_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path)
    a = specified("inc-1")
    store.prime(a)
    store.save(a)
    a.title = "changed while the disk was full"
    monkeypatch.setattr(files.os, "fsync", _raise(errno.ENOSPC))
    with pytest.raises(StorageError, match="no space left"):
        store.save(a)
    monkeypatch.undo()
    store.save(a)
    assert store.load("inc-1").title == "changed while the disk was full"
