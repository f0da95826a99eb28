"""The index beside the store: derived from the files, kept after each save, never over them."""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from ktcli.archive.index import Filters, Index
from ktcli.archive.postgres import PostgresBackend
from ktcli.core.model import Closure, PlaybookRef, Statement
from ktcli.errors import UsageError
from ktcli.store.files import Store
from tests.factories import T0, blank, specified


def make(tmp_path: Path, url: str | None) -> tuple[Store, Index]:
    index = Index(tmp_path / "store", url=url)
    return Store(index.root, after_save=index.update), index


def age_checks(index: Index) -> None:
    """As if every last check were 10 s after the directory last changed."""
    sql = "UPDATE {} SET checked_ns = checked_ns + 10000000000"
    if isinstance(index.backend, PostgresBackend):
        index.backend.conn.execute(sql.format("ktcli_sources"))  # type: ignore[arg-type]
    else:
        index.sqlite.conn.execute(sql.format("sources"))


def ids(index: Index, filters: Filters | None = None) -> list[str]:
    return [i.id for i in index.listing(filters or Filters())[0]]


def test_a_save_is_in_the_index_at_once_and_a_fresh_index_reads_every_file(
    tmp_path: Path, url: str | None
) -> None:
    store, index = make(tmp_path, url)
    store.save(specified("inc-1"))
    # Straight from the after-save hook, before any check against the files.
    assert [i.id for i in index.search("Order API")] == ["inc-1"]
    index.backend.forget([name for name, _, _ in index.sources()])
    index.close()
    assert ids(Index(store.root, url=url)) == ["inc-1"]


def test_files_changed_behind_the_index_are_seen(tmp_path: Path, url: str | None) -> None:
    store, index = make(tmp_path, url)
    for n in (1, 2, 3):
        store.save(blank(f"inc-{n}"))
    assert sorted(ids(index)) == ["inc-1", "inc-2", "inc-3"]
    # Changed, removed and added by hand (or git pull): no hook ran.
    other = Store(store.root)
    edited = blank("inc-1")
    edited.title = "Renamed by hand"
    other.save(edited)
    (store.root / "inc-2.yaml").unlink()
    other.save(blank("inc-4"))
    items, total = index.listing(Filters())
    assert total == 3
    assert {i.id: i.title for i in items} == {
        "inc-1": "Renamed by hand",
        "inc-3": "Checkout slow",
        "inc-4": "Checkout slow",
    }


def test_a_directory_stamp_recorded_in_the_same_tick_is_not_trusted(
    tmp_path: Path, url: str | None
) -> None:
    store, index = make(tmp_path, url)
    store.save(blank("inc-1"))
    index.sync()
    before = store.root.stat()
    Store(store.root).save(blank("inc-2"))
    # The second file landed within the clock tick of the recorded stamp.
    os.utime(store.root, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert sorted(ids(index)) == ["inc-1", "inc-2"]


def test_a_broken_file_is_listed_first_with_its_error(tmp_path: Path, url: str | None) -> None:
    store, index = make(tmp_path, url)
    store.save(blank("inc-1"))
    (store.root / "bad.yaml").write_text("title: [\n", encoding="utf-8")
    (store.root / "moved.yaml").write_text(
        (store.root / "inc-1.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    items, _ = index.listing(Filters())
    assert [i.id for i in items] == ["bad", "moved", "inc-1"]
    assert items[0].error is not None
    assert "bad.yaml:" in items[0].error
    assert items[1].error is not None
    assert "holds analysis 'inc-1'" in items[1].error


def test_a_corrupt_index_is_rebuilt_from_the_files(tmp_path: Path) -> None:
    store, index = make(tmp_path, None)
    store.save(blank("inc-1"))
    index.close()
    index.path.write_bytes(b"not a database at all" * 100)
    fresh = Index(store.root)
    assert ids(fresh) == ["inc-1"]
    assert not fresh.bypassed
    with sqlite3.connect(fresh.path) as conn:
        assert conn.execute("SELECT count(*) FROM analyses").fetchone() == (1,)


def test_an_index_that_cannot_be_written_is_bypassed_and_the_files_answer(tmp_path: Path) -> None:
    store = Store(tmp_path / "store")
    store.save(blank("inc-1"))
    index = Index(store.root)
    index.path.mkdir(parents=True)  # neither a database nor removable as a file
    assert ids(index) == ["inc-1"]
    assert index.bypassed


def test_a_failing_index_never_loses_a_save(tmp_path: Path) -> None:
    def broken(path: Path, analysis: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    store = Store(tmp_path, after_save=broken)
    store.save(blank("inc-1"))
    assert store.load("inc-1") == blank("inc-1")


def test_an_index_of_another_schema_version_is_rebuilt(tmp_path: Path) -> None:
    store, index = make(tmp_path, None)
    store.save(blank("inc-1"))
    index.close()
    with sqlite3.connect(index.path) as conn:
        conn.execute("PRAGMA user_version = 99")
    assert ids(Index(store.root)) == ["inc-1"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(status="closed"), ["c"]),
        (Filters(product="web-shop"), ["b"]),
        (Filters(analyst="bo"), ["b"]),
        (Filters(analyst="b"), []),  # a whole name, not a part of one
        (Filters(ticket="INC-7"), ["c"]),
        (Filters(since=T0 + timedelta(days=2)), ["c", "b"]),
        (Filters(status="open", since=T0 + timedelta(days=2)), ["b"]),
    ],
)
def test_list_filters(
    tmp_path: Path, filters: Filters, expected: list[str], url: str | None
) -> None:
    store, index = make(tmp_path, url)
    a = specified("a")
    b = specified("b")
    b.analysts = ["ana", "bo"]
    b.updated_at = T0 + timedelta(days=2)
    b.playbook = PlaybookRef(id="web-shop", version="1", sha256="0" * 64)
    c = specified("c")
    c.ticket = "INC-7"
    c.status = "closed"
    c.updated_at = T0 + timedelta(days=3)
    c.closure = Closure(at=T0 + timedelta(days=3), by="ana")
    for x in (a, b, c):
        store.save(x)
    assert ids(index, filters) == expected


def test_list_is_newest_first_and_limited(tmp_path: Path, url: str | None) -> None:
    store, index = make(tmp_path, url)
    for n in range(5):
        a = blank(f"inc-{n}")
        a.updated_at = T0 + timedelta(hours=n)
        store.save(a)
    items, total = index.listing(Filters(), limit=2)
    assert [i.id for i in items] == ["inc-4", "inc-3"]
    assert total == 5
    assert items[0].updated_at == datetime(2026, 11, 24, 13, 0, tzinfo=timezone.utc)


def test_search_ranks_the_title_first_and_needs_every_word(tmp_path: Path, url: str | None) -> None:
    store, index = make(tmp_path, url)
    in_title = blank("in-title")
    in_title.title = "Printer jams on tray 2"
    in_body = blank("in-body")
    in_body.statement = Statement(object="Printer on floor 3", deviation="jams daily")
    only_one = blank("only-one")
    only_one.title = "Printer offline"
    for a in (in_body, only_one, in_title):
        store.save(a)
    found = index.search("printer JAMS")
    assert [i.id for i in found] == ["in-title", "in-body"]
    assert found[1].snippet is not None
    assert "\x02jams\x03" in found[1].snippet


@pytest.mark.parametrize("text", ['"unbalanced', "a OR", "NEAR(x", "-x", "col:umn", "*"])
def test_search_text_is_words_never_query_syntax(
    tmp_path: Path, text: str, url: str | None
) -> None:
    store, index = make(tmp_path, url)
    store.save(blank("inc-1"))
    if text == "*":
        with pytest.raises(UsageError, match="nothing to search for"):
            index.search(text)
    else:
        assert index.search(text) == []


def test_an_archive_folder_is_indexed_read_only_with_its_source(
    tmp_path: Path, url: str | None
) -> None:
    store, _ = make(tmp_path, url)
    store.save(blank("inc-1"))
    archive = tmp_path / "team-archive"
    (archive / "2026").mkdir(parents=True)
    Store(archive / "2026").save(specified("old-1"))
    (archive / "2026" / "old-1.yaml").rename(archive / "2026" / "old-1.handoff.yaml")
    before = sorted(p.name for p in archive.rglob("*"))
    index = Index(store.root, [archive], url=url)
    items, _ = index.listing(Filters())
    assert {(i.id, i.source) for i in items} == {("inc-1", "store"), ("old-1", str(archive))}
    assert [i.id for i in index.search("Order API")] == ["old-1"]
    assert sorted(p.name for p in archive.rglob("*")) == before, "nothing written to an archive"


def test_opening_the_index_leaves_the_store_directory_stamp_alone(
    tmp_path: Path, url: str | None
) -> None:
    store, index = make(tmp_path, url)
    store.save(blank("inc-1"))
    index.sync()
    index.close()
    before = store.root.stat().st_mtime_ns
    for _ in range(2):
        other = Index(store.root, url=url)
        other.listing(Filters())
        other.close()
    assert store.root.stat().st_mtime_ns == before


def test_a_file_rewritten_in_place_is_found_by_a_thorough_check(
    tmp_path: Path, url: str | None
) -> None:
    store, index = make(tmp_path, url)
    store.save(blank("inc-1"))
    index.sync()
    # As if the last check were long after the directory last changed.
    age_checks(index)
    path = store.root / "inc-1.yaml"
    text = path.read_text(encoding="utf-8").replace("title: Checkout slow", "title: Edited")
    with path.open("r+", encoding="utf-8") as fh:  # in place: the directory does not change
        fh.write(text)
        fh.truncate()
    assert index.listing(Filters())[0][0].title == "Checkout slow", "the directory says no change"
    assert index.sync(thorough=True).read == 1
    assert index.listing(Filters())[0][0].title == "Edited"


def test_a_large_check_folds_the_write_ahead_log_into_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ktcli.archive.sqlite as module

    monkeypatch.setattr(module, "CHECKPOINT_AFTER", 2)
    store = Store(tmp_path / "store")
    for n in range(3):
        store.save(blank(f"inc-{n}"))
    index = Index(store.root)
    index.sync()
    wal = index.path.with_name(index.path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_similar_looks_for_candidates_by_the_words_few_analyses_hold(
    tmp_path: Path, url: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ktcli.archive.index as module

    monkeypatch.setattr(module, "COMMON_FLOOR", 0)
    store, index = make(tmp_path, url)
    for n in range(9):
        store.save(blank(f"inc-{n}"))  # all "Checkout slow"
    rare = blank("rare")
    rare.statement = Statement(object="Connection pool", deviation="exhausted")
    store.save(rare)
    found = index.similar("Checkout slow pool", exclude="now")
    assert [item.id for item, _ in found] == ["rare"], "checkout and slow: held by 9 of 10"
    assert len(index.similar("Checkout slow", exclude="now")) == 10, "all common: all of them"


def test_the_first_check_records_the_store_stamp_after_the_index_folder_is_made(
    tmp_path: Path, url: str | None
) -> None:
    store = Store(tmp_path / "store")
    store.save(blank("inc-1"))
    index = Index(store.root, url=url)
    index.sync()
    st = store.root.stat()
    # Else the next read would compare every file's stamp again, for nothing.
    name = index.sources()[0][0]
    recorded = index.backend.guarded(lambda backend: backend.source_stamp(name))
    assert recorded is not None
    assert recorded[0] == f"{st.st_mtime_ns}:{st.st_ino}"
