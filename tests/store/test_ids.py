"""Ids are checked whole: a final newline is not part of a valid id, and nothing is left behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from ktcli.core.model import valid_id
from ktcli.errors import UsageError
from ktcli.store.files import Store
from tests.conftest import Run


@pytest.mark.parametrize("bad", ["abc\n", "zz\n", "a\nb", "\nabc", "abc\r", "abc "])
def test_a_newline_or_space_is_not_part_of_an_id(bad: str) -> None:
    assert not valid_id(bad)
    with pytest.raises(UsageError, match="not a valid analysis id"):
        Store(Path("/nonexistent")).path(bad)


def test_the_model_refuses_a_trailing_newline_in_an_id() -> None:
    from pydantic import ValidationError

    from tests.factories import blank

    data = blank("ok").model_dump(mode="json")
    data["id"] = "abc\n"
    from ktcli.core.model import Analysis

    with pytest.raises(ValidationError):
        Analysis.model_validate(data)


def _leftovers(store_dir: Path) -> list[str]:
    return sorted(p.name for p in store_dir.iterdir()) if store_dir.exists() else []


def test_create_refuses_an_id_with_a_newline_and_leaves_nothing(
    ktcli: Run, store_dir: Path
) -> None:
    res = ktcli("create", "--title", "t", "--id", "zz\n")
    assert res.code == 2
    assert "not a valid analysis id" in res.err
    assert _leftovers(store_dir) == []


def test_import_as_refuses_an_id_with_a_newline_and_leaves_nothing(
    ktcli: Run, store_dir: Path, tmp_path: Path
) -> None:
    assert ktcli("create", "--title", "t", "--id", "src").code == 0
    handoff = tmp_path / "handoff.yaml"
    handoff.write_bytes((store_dir / "src.yaml").read_bytes())
    before = _leftovers(store_dir)
    res = ktcli("import", str(handoff), "--as", "abc\n")
    assert res.code == 2
    assert "not a valid analysis id" in res.err
    assert _leftovers(store_dir) == before
