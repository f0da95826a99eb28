"""The configuration file: archives and the archive URL, refused with file:line:col."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ktcli.archive.index import archive_paths
from ktcli.config import Config, config_path, load_config
from ktcli.errors import InvalidFileError, KtError
from ktcli.store.files import Store
from tests.conftest import Run
from tests.factories import specified


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ktcli.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_file_lives_in_the_user_config_dir_unless_ktcli_config_names_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert config_path() == tmp_path / "config" / "ktcli" / "config.yaml"
    monkeypatch.setenv("KTCLI_CONFIG", str(tmp_path / "elsewhere.yaml"))
    assert config_path() == tmp_path / "elsewhere.yaml"


def test_no_file_is_no_configuration(tmp_path: Path) -> None:
    assert load_config() == Config()
    assert load_config(write(tmp_path, "# nothing yet\n")) == Config()
    assert load_config().archive_url is None


def test_archives_and_the_archive_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    path = write(
        tmp_path,
        "archives:\n  - ~/support-archive\n  - handoffs\n  - /mnt/shared\n"
        "archive_url: postgresql://ktcli@db/ktcli\n",
    )
    monkeypatch.setenv("KTCLI_CONFIG", str(path))
    assert load_config().archives == (
        tmp_path / "home" / "support-archive",
        tmp_path / "handoffs",
        Path("/mnt/shared"),
    )
    assert load_config().archive_url == "postgresql://ktcli@db/ktcli"


def test_the_environment_wins_over_the_configured_archive_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ktcli.archive.index import archive_url

    monkeypatch.setenv("KTCLI_CONFIG", str(write(tmp_path, "archive_url: postgresql://db/a\n")))
    monkeypatch.delenv("KTCLI_ARCHIVE_URL", raising=False)
    assert archive_url() == "postgresql://db/a"
    monkeypatch.setenv("KTCLI_ARCHIVE_URL", "postgresql://other/b")
    assert archive_url() == "postgresql://other/b"
    monkeypatch.delenv("KTCLI_ARCHIVE_URL")
    monkeypatch.setenv("KTCLI_CONFIG", str(write(tmp_path, "archive_url: mysql://db/a\n")))
    with pytest.raises(KtError, match=r"archive_url \(configuration\): expected a postgresql"):
        archive_url()


@pytest.mark.parametrize(
    ("text", "where"),
    [
        (
            "archives: [a]\narchive_ulr: x\n",
            "ktcli.yaml:2:1: archive_ulr: unknown key 'archive_ulr'",
        ),
        ("archives: /mnt/shared\n", "ktcli.yaml:1:11: archives: expected a list of folders"),
        ("archives:\n  - a\n  - 42\n", "ktcli.yaml:3:5: archives.1: expected a folder (text)"),
        ("archive_url: [x]\n", "ktcli.yaml:1:14: archive_url: expected a URL (text)"),
        ("- a\n- b\n", "ktcli.yaml:1:1: expected a mapping"),
        ("archives: [a\n", "ktcli.yaml:2:1: "),
    ],
)
def test_a_bad_file_is_refused_with_file_line_and_column(
    tmp_path: Path, text: str, where: str
) -> None:
    with pytest.raises(InvalidFileError) as err:
        load_config(write(tmp_path, text))
    assert err.value.message.replace(str(tmp_path) + "/", "").startswith(where)


def test_ktcli_config_naming_a_missing_file_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KTCLI_CONFIG", str(tmp_path / "nope.yaml"))
    with pytest.raises(InvalidFileError, match="no such configuration file"):
        load_config()


def test_archive_paths_take_the_environment_then_the_file_each_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KTCLI_CONFIG", str(write(tmp_path, "archives: [/a, /b]\n")))
    assert archive_paths(f"/b{':'}/c") == [Path("/b"), Path("/c"), Path("/a")]


def test_archives_of_the_config_file_are_indexed(
    ktcli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "team-archive"
    Store(archive).save(specified("old-1"))
    monkeypatch.setenv("KTCLI_CONFIG", str(write(tmp_path, "archives: [team-archive]\n")))
    res = ktcli("list", "--json")
    assert res.code == 0, res.err
    assert [(d["id"], d["source"]) for d in json.loads(res.out)["items"]] == [
        ("old-1", str(archive))
    ]


def test_a_bad_config_file_is_one_line_and_exit_1(
    ktcli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KTCLI_CONFIG", str(write(tmp_path, "archive: [x]\n")))
    res = ktcli("list")
    assert res.code == 1
    assert res.err.splitlines()[0] == (
        f"error: {tmp_path}/ktcli.yaml:1:1: archive: unknown key 'archive'; "
        "known: archives, archive_url"
    )
    assert "Traceback" not in res.err
