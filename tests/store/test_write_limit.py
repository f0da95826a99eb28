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
