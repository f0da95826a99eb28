"""The user's configuration file: the archives to index and the organisation's archive URL.

``config.yaml`` in the user config directory (``~/.config/ktcli/config.yaml``
on Linux), or the file ``KTCLI_CONFIG`` names. Read with the project's safe
reader; a bad file is refused with file:line:column. A missing file is no
configuration, not an error. Everything in it is optional::

    archives:
      - ~/src/support-archive
      - /mnt/shared/handoffs
    archive_url: postgresql://ktcli@db.example/ktcli
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

#: Points at another configuration file than the one in the user config directory.
CONFIG_ENV = "KTCLI_CONFIG"


@dataclass(frozen=True)
class Config:
    """What the configuration file says; empty when there is none."""

    archives: tuple[Path, ...] = ()
    archive_url: str | None = None


def config_path() -> Path:
    """``KTCLI_CONFIG``, else ``config.yaml`` in the user config directory."""
    named = os.environ.get(CONFIG_ENV, "").strip()
    if named:
        return Path(named).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("ktcli", appauthor=False)) / "config.yaml"


def load_config(path: Path | None = None) -> Config:
    """The configuration in ``path`` (default :func:`config_path`); refused with file:line:col.

    Archive folders may start with ``~``; a relative one is relative to the file's folder.
    """
    from ktcli import yamlio
    from ktcli.errors import InvalidFileError

    named = path is None and bool(os.environ.get(CONFIG_ENV, "").strip())
    path = config_path() if path is None else path
    if not path.is_file():
        if named:
            raise InvalidFileError(
                str(path), "no such configuration file", hint=f"Fix or unset {CONFIG_ENV}."
            )
        return Config()
    source = str(path)
    text = yamlio.read(path)
    data = yamlio.parse(text, source)
    if data is None:
        return Config()  # an empty file, or comments only
    refuse = _Refuse(text, source)
    if not isinstance(data, dict):
        raise refuse((), "expected a mapping (archives:, archive_url:) at the top")
    for key in data:
        if key not in KEYS:
            raise refuse((key,), f"unknown key {key!r}; known: {', '.join(KEYS)}", key=True)
    archives = data.get("archives", [])
    if not isinstance(archives, list):
        raise refuse(("archives",), "expected a list of folders")
    for n, folder in enumerate(archives):
        if not isinstance(folder, str) or not folder.strip():
            raise refuse(("archives", n), "expected a folder (text)")
    url = data.get("archive_url")
    if url is not None and (not isinstance(url, str) or not url.strip()):
        raise refuse(("archive_url",), "expected a URL (text), e.g. postgresql://host/ktcli")
    return Config(
        archives=tuple(path.parent / Path(p).expanduser() for p in archives),
        archive_url=url,
    )


#: The keys a configuration file may have.
KEYS = ("archives", "archive_url")


@dataclass(frozen=True)
class _Refuse:
    """Builds the refusal of one value, at its line and column."""

    text: str
    source: str

    def __call__(
        self, where: tuple[str | int, ...], message: str, *, key: bool = False
    ) -> Exception:
        from ktcli import yamlio
        from ktcli.errors import InvalidFileError

        marks: dict[tuple[str | int, ...], tuple[int, int]] = {}
        key_marks: dict[tuple[str | int, ...], tuple[int, int]] = {}
        yamlio.parse(self.text, self.source, marks=marks, key_marks=key_marks)
        mark = (key_marks if key else marks).get(where) or yamlio.nearest_mark(where, marks)
        line, column = mark if mark else (1, 1)
        field = ".".join(str(p) for p in where) or None
        return InvalidFileError(self.source, message, line=line, column=column, field=field)
