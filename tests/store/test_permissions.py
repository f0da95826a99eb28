"""Files for other people honour the umask; the store directory ktcli creates is the user's own."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Run


@pytest.fixture(params=[0o022, 0o027, 0o077], ids=["022", "027", "077"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _analysis(ktcli: Run) -> str:
    res = ktcli("create", "--title", "Checkout slow", "--ticket", "INC-4711")
    assert res.code == 0, res.err
    return res.out.strip()


def test_every_file_written_with_output_honours_the_umask(
    ktcli: Run, tmp_path: Path, umask: int
) -> None:
    aid = _analysis(ktcli)
    out = tmp_path / "out"
    out.mkdir()
    written = [out / "export.yaml", out / "export.md", out / "update.txt", out / "acme.yaml"]
    assert ktcli("export", aid, "-o", str(written[0])).code == 0
    assert ktcli("export", aid, "-f", "markdown", "-o", str(written[1])).code == 0
    assert ktcli("update", aid, "-o", str(written[2])).code == 0
    assert ktcli("playbook", "new", "acme", "-o", str(written[3])).code == 0
    res = ktcli("escalate", aid, "--to", "backline", "--reason", "needs a DBA", "-o", str(out))
    assert res.code == 0, res.err
    written += [out / f"{aid}.yaml", out / f"{aid}.md"]
    assert {p.name: mode(p) for p in written} == {p.name: 0o666 & ~umask for p in written}


def test_the_store_directory_ktcli_creates_is_private(
    ktcli: Run, store_dir: Path, umask: int
) -> None:
    assert not store_dir.exists()
    aid = _analysis(ktcli)
    assert mode(store_dir) == 0o700, "customer data: only the user enters a store ktcli made"
    assert mode(store_dir / f"{aid}.yaml") == 0o666 & ~umask


def test_an_existing_shared_store_keeps_its_mode(ktcli: Run, store_dir: Path, umask: int) -> None:
    store_dir.mkdir()
    store_dir.chmod(0o2775)  # a team's store: group-writable, new files in the group
    aid = _analysis(ktcli)
    assert stat.S_IMODE(store_dir.stat().st_mode) == 0o2775
    assert mode(store_dir / f"{aid}.yaml") == 0o666 & ~umask
