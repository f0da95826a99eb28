"""The store loses nothing: atomic saves, one writer at a time, broken files left alone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from ktcli.core.document import to_yaml
from ktcli.errors import InvalidFileError, LockedError, NotFoundError, UsageError
from ktcli.store.files import Store, atomic_write, default_root
from tests.conftest import lock_held_elsewhere
from tests.factories import specified, with_cause

SRC = str(Path(__file__).resolve().parents[2] / "src")


def test_save_then_load_is_the_same_analysis(tmp_path: Path) -> None:
    store = Store(tmp_path)
    a = specified("inc-1")
    with_cause(a, "c1")
    path = store.save(a)
    assert path == tmp_path / "inc-1.yaml"
    assert store.load("inc-1") == a
    assert store.ids() == ["inc-1"]
    assert not list(tmp_path.glob(".*.tmp")), "no temporary file left behind"


def test_primed_saves_write_exactly_what_an_uncached_export_writes(tmp_path: Path) -> None:
    store = Store(tmp_path)
    a = specified("inc-1")
    store.prime(a)
    for i in range(3):
        with_cause(a, f"c{i + 1}")
        a.specification[i].is_ = None
        store.save(a)
        assert (tmp_path / "inc-1.yaml").read_text(encoding="utf-8") == to_yaml(a)


@pytest.mark.parametrize("bad", ["../x", "a/b", "..", "", "x" * 81, "/etc/passwd", "a..b"])
def test_ids_cannot_escape_the_store(tmp_path: Path, bad: str) -> None:
    with pytest.raises(UsageError, match="not a valid analysis id"):
        Store(tmp_path).path(bad)


def test_unknown_id_says_how_to_find_the_right_one(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError) as info:
        Store(tmp_path).load("nope")
    assert info.value.hint == "Run 'ktcli list' to see the stored analyses."


def test_a_file_holding_another_id_is_refused(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.save(specified("one"))
    (tmp_path / "one.yaml").rename(tmp_path / "two.yaml")
    with pytest.raises(InvalidFileError, match="holds analysis 'one', not 'two'"):
        store.load("two")


def test_entries_list_broken_files_with_their_error(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.save(specified("good"))
    (tmp_path / "bad.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    entries = {e.id: e for e in store.entries()}
    assert entries["good"].analysis is not None
    assert entries["bad"].analysis is None
    assert entries["bad"].error is not None
    assert "bad.yaml:2:1: not valid YAML" in entries["bad"].error


def test_default_root_honours_ktcli_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KTCLI_HOME", str(tmp_path / "h"))
    assert default_root() == tmp_path / "h"
    monkeypatch.delenv("KTCLI_HOME")
    assert default_root().name == "analyses"


def test_a_second_writer_is_refused_and_told_who_holds_the_lock(tmp_path: Path) -> None:
    store = Store(tmp_path)
    store.save(specified("inc-1"))
    with lock_held_elsewhere(tmp_path, "inc-1") as proc:
        with pytest.raises(LockedError) as info, store.lock("inc-1"):
            pass
        assert f"pid {proc.pid}" in info.value.message
        assert info.value.hint is not None
    with store.lock("inc-1"):  # the lock goes with the process, even when it is killed
        pass


def test_sigkill_during_saves_never_leaves_a_broken_file(tmp_path: Path) -> None:
    """Kill a process that saves in a loop, many times; the file always loads."""
    code = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
        from ktcli.store.files import Store
        from tests.factories import specified, with_cause
        store = Store(Path({str(tmp_path)!r}))
        a = specified("inc-1")
        print("ready", flush=True)
        n = 0
        while True:
            n += 1
            with_cause(a, f"c{{n}}")
            store.save(a)
        """
    )
    store = Store(tmp_path)
    for round_ in range(12):
        proc = subprocess.Popen(
            [sys.executable, "-c", code],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": SRC},
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(0.05 + 0.02 * round_)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if store.exists("inc-1"):
            loaded = store.load("inc-1")  # raises if the file were half-written
            assert loaded.id == "inc-1"


def test_atomic_write_replaces_the_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "f.txt"
    atomic_write(target, b"first version, long\n")
    atomic_write(target, b"second\n")
    assert target.read_bytes() == b"second\n"
    assert [p.name for p in target.parent.iterdir()] == ["f.txt"]


def test_the_cause_fingerprint_covers_every_field() -> None:
    """If Cause or CauseTest gains a field, the save cache must learn to compare it."""
    from ktcli.core.model import Cause, CauseTest

    assert set(Cause.model_fields) == {"id", "text", "origin", "origin_ref", "tests", "skipped"}
    assert set(CauseTest.model_fields) == {"verdict", "note"}


def test_in_place_edits_reach_the_disk_through_the_cache(tmp_path: Path) -> None:
    from ktcli.core.model import Cause

    store = Store(tmp_path)
    a = specified("inc-1")
    c1 = with_cause(a, "c1")
    with_cause(a, "c2")
    store.prime(a)
    c1.tests["what-object"].note = "edited in place"  # same objects, new content
    c1.text = "renamed"
    store.save(a)
    assert (tmp_path / "inc-1.yaml").read_text(encoding="utf-8") == to_yaml(a)
    a.causes.pop(0)  # the list shrinks: positions shift
    a.causes.append(Cause(id="c3", text="new"))
    store.save(a)
    assert (tmp_path / "inc-1.yaml").read_text(encoding="utf-8") == to_yaml(a)
