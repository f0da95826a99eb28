"""Exports of files ktcli validated, remembered per user: unchanged bytes are not validated twice.

``ktcli export`` of a file first takes the full path (read, parse, validate, check
integrity, emit). Afterwards it records, under a key made of the file's exact
bytes, the id it must hold, the format, and a fingerprint of the code that did the
work, the digest of what it printed. The next export of the same bytes finds the
entry, and prints the file itself (when the export is the file, as for a YAML
file ktcli wrote) or the recorded export, without importing the model.

Safe by construction:

* a file edited by hand (or written by another version) has other bytes, so
  another key: it takes the full, validating path;
* any change to ktcli's code, another version of a library beside pydantic,
  or another Python changes the fingerprint: every old entry is then unused,
  whatever the version number says;
* entries live in the user's own state directory (created ``0700``), never in
  the store, which may be shared: nobody else can vouch for a file;
* an entry holds the digest of the export it stands for, and is used only when
  the bytes to print have that digest: a truncated entry is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
from pathlib import Path

#: Bumped when the key or the entry layout changes.
_LAYOUT = b"ktcli-validated-1"


def cache_dir() -> Path:
    """Where entries live: ``KTCLI_CACHE`` if set, else ``ktcli/validated`` in the state dir."""
    env = os.environ.get("KTCLI_CACHE")
    if env:
        return Path(env).expanduser()
    if sys.platform.startswith("linux"):
        # What platformdirs.user_state_dir says on Linux, without importing it on this path.
        base = os.environ.get("XDG_STATE_HOME", "").strip()
        return (Path(base) if base else Path("~/.local/state").expanduser()) / "ktcli" / "validated"
    from platformdirs import user_state_dir  # pragma: no cover - not Linux

    return Path(user_state_dir("ktcli", appauthor=False)) / "validated"  # pragma: no cover


def _fingerprint() -> bytes:
    """What the full path's result depends on besides the file: ktcli's code, its libraries, Python.

    Every module of ktcli by name, size and modification time (an edit or a
    reinstall changes them), the name of every installed distribution beside
    pydantic (names carry versions: ``pydantic-2.12.5.dist-info``), Python's version.
    """
    import ktcli

    digest = hashlib.sha256(_LAYOUT)
    package = Path(ktcli.__file__).parent
    for module in sorted(package.rglob("*.py")):
        st = module.stat()
        digest.update(f"{module}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    for name in _distributions():
        digest.update(f"{name}\n".encode())
    digest.update(sys.version.encode())
    return digest.digest()


def _distributions() -> list[str]:
    """The distributions (and versions) installed beside pydantic, found without importing it."""
    from importlib.util import find_spec

    spec = find_spec("pydantic")
    if spec is None or spec.origin is None:  # pragma: no cover - pydantic is a dependency
        return []
    site = Path(spec.origin).parent.parent
    try:
        return sorted(p.name for p in site.iterdir() if p.suffix in (".dist-info", ".egg-info"))
    except OSError:  # pragma: no cover
        return []


def _key(data: bytes, expected_id: str, fmt: str) -> str:
    digest = hashlib.sha256(_fingerprint())
    digest.update(f"\0{fmt}\0{expected_id}\0".encode())
    digest.update(data)
    return digest.hexdigest()


def lookup(data: bytes, expected_id: str, fmt: str) -> bytes | None:
    """The export of ``data`` recorded by an earlier full export, or None.

    ``expected_id`` is the id a store file must hold ("" for a handoff file).
    """
    try:
        entry = (cache_dir() / _key(data, expected_id, fmt)).read_bytes()
    except OSError:
        return None
    head, _, body = entry.partition(b"\n")
    out = body if body else data
    if head != b"sha256 " + hashlib.sha256(out).hexdigest().encode():
        return None
    return out


def remember(data: bytes, expected_id: str, fmt: str, export: bytes) -> None:
    """Record that ``data`` passed the full path and exported as ``export``; best effort."""
    folder = cache_dir()
    head = b"sha256 " + hashlib.sha256(export).hexdigest().encode() + b"\n"
    entry = head if export == data else head + export
    with contextlib.suppress(OSError):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = folder / f".{os.getpid()}.tmp"
        tmp.write_bytes(entry)
        tmp.replace(folder / _key(data, expected_id, fmt))
