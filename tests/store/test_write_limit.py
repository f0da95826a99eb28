"""One size rule on write as on read: ktcli never stores a file it would then refuse."""

from __future__ import annotations

from pathlib import Path

import pytest

from ktcli import yamlio
from ktcli.core.model import Fact
from ktcli.errors import InvalidFileError
from ktcli.store.files import Store
from tests.factories import blank


def test_an_analysis_over_the_read_limit_is_refused_before_the_replace(tmp_path: Path) -> None:
    store = Store(tmp_path)
    a = blank("big")
    store.save(a)
    before = (tmp_path / "big.yaml").read_bytes()
    # Each text is under the per-text limit; together they pass the file limit.
    per_row = yamlio.MAX_BYTES // 10
    for row in a.specification:
        row.is_ = Fact(text="x" * per_row, source="log")
    with pytest.raises(InvalidFileError) as info:
        store.save(a)
    assert "would be" in info.value.detail
    assert f"the limit is {yamlio.MAX_BYTES:,} bytes" in info.value.detail
    assert info.value.hint is not None
    assert (tmp_path / "big.yaml").read_bytes() == before
    assert not list(tmp_path.glob(".*.tmp"))
    assert store.load("big") is not None


def test_an_analysis_over_the_value_limit_is_refused_on_write(tmp_path: Path) -> None:
    from datetime import datetime, timezone

    from ktcli.core.model import HistoryEntry

    store = Store(tmp_path)
    a = blank("long")
    store.save(a)
    before = (tmp_path / "long.yaml").read_bytes()
    at = datetime(2026, 11, 24, tzinfo=timezone.utc)
    # Seven values per entry: the history alone passes the 100,000 a read accepts.
    a.history = [HistoryEntry(at=at, who="ana", what=f"step {i}") for i in range(15_000)]
    with pytest.raises(InvalidFileError) as info:
        store.save(a)
    assert "ktcli would refuse to read it back" in info.value.detail
    assert f"more than {yamlio.MAX_NODES:,} values" in info.value.detail
    assert (tmp_path / "long.yaml").read_bytes() == before


def test_an_analysis_just_under_the_limits_is_written_and_read_back(tmp_path: Path) -> None:
    from datetime import datetime, timezone

    from ktcli.core.model import HistoryEntry

    store = Store(tmp_path)
    a = blank("long")
    at = datetime(2026, 11, 24, tzinfo=timezone.utc)
    a.history = [HistoryEntry(at=at, who="ana", what=f"step {i}") for i in range(13_000)]
    store.save(a)
    assert len(store.load("long").history) == 13_000


def test_the_benchmark_analysis_passes_the_write_check_by_its_cheap_bounds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A save of the 200 x 30 benchmark analysis must not pay for a parse."""
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2] / "bench"))
    from generate import big_analysis
    from ktcli.core.document import to_yaml

    data = to_yaml(big_analysis(200, 30)).encode("utf-8")
    monkeypatch.setattr(yamlio, "parse", None)  # would fail if the exact check ran
    yamlio.check_writable(data, "big.yaml")
    assert 1 + 2 * data.count(b":") + data.count(b"-") <= yamlio.MAX_NODES
    assert data.count(b"\n") <= yamlio.MAX_ITEMS
