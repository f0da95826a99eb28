"""One archive for an organisation: many stores in one PostgreSQL database, kept apart."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ktcli.archive.index import Filters, Index, archive_url
from ktcli.errors import KtError
from ktcli.store.files import Store
from tests.conftest import ROOT
from tests.factories import blank, specified


def test_two_stores_in_one_database_never_forget_each_others_rows(
    tmp_path: Path, pg_url: str
) -> None:
    mine, theirs = Index(tmp_path / "ana", url=pg_url), Index(tmp_path / "bo", url=pg_url)
    Store(mine.root, after_save=mine.update).save(blank("inc-1"))
    Store(theirs.root, after_save=theirs.update).save(specified("inc-2"))
    # Each store's check sees only its own files; neither removes the other's row.
    assert mine.sync(thorough=True).removed == 0
    assert theirs.rebuild().read == 1
    listed = {(i.id, i.source) for i in mine.listing(Filters())[0]}
    assert listed == {("inc-1", "store"), ("inc-2", theirs.sources()[0][0])}
    assert theirs.sources()[0][0].endswith(":" + str((tmp_path / "bo").absolute()))
    assert [i.id for i in mine.search("Order API")] == ["inc-2"], "one archive for everyone"
    (mine.root / "inc-1.yaml").unlink()
    mine.sync(thorough=True)
    assert [i.id for i in theirs.listing(Filters())[0]] == ["inc-2"]


def test_an_unreachable_server_is_one_line_naming_the_host_not_the_password(
    tmp_path: Path,
) -> None:
    url = "postgresql://ana:s3cret@127.0.0.1:1/support?connect_timeout=2"
    index = Index(tmp_path, url=url)
    with pytest.raises(KtError) as caught:
        index.listing(Filters())
    message = caught.value.message
    assert message.startswith("cannot reach the case archive at 127.0.0.1:1/support: ")
    assert "\n" not in message
    assert "s3cret" not in message


def test_a_url_that_is_not_postgresql_is_refused() -> None:
    assert archive_url("") is None
    assert archive_url("postgresql://ana@db/ktcli") == "postgresql://ana@db/ktcli"
    with pytest.raises(KtError, match="expected a postgresql:// URL, got 'mysql'"):
        archive_url("mysql://ana:pw@db/ktcli")


def test_tables_of_a_newer_ktcli_are_refused_not_replaced(tmp_path: Path, pg_url: str) -> None:
    import psycopg

    Index(tmp_path, url=pg_url).counts()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("UPDATE ktcli_meta SET version = 99")
    with pytest.raises(KtError, match=r"made by a newer ktcli \(layout 99"):
        Index(tmp_path, url=pg_url).counts()


def test_without_psycopg_the_url_says_what_to_install(tmp_path: Path) -> None:
    # psycopg hidden from this one process, as on a machine without the extra.
    code = "import sys; sys.modules['psycopg'] = None; from ktcli.cli.app import run; run()"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "KTCLI_ARCHIVE_URL": "postgresql://ana@db.invalid/ktcli",
        "KTCLI_HOME": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "-c", code, "list"],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert done.returncode == 1
    assert "psycopg is not installed: pip install 'ktcli[postgresql]'" in done.stderr
    assert "Traceback" not in done.stderr
