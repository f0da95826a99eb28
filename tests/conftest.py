"""Shared fixtures: an isolated store, a pinned clock, plain output, and a way to run ktcli."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every test gets its own store, a fixed analyst and clock, and colourless 80-column output."""
    monkeypatch.setenv("KTCLI_HOME", str(tmp_path / "store"))
    monkeypatch.setenv("KTCLI_ANALYST", "ana")
    monkeypatch.setenv("KTCLI_NOW", "2026-11-24T09:00:00Z")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LINES", "50")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.delenv("KTCLI_PLAYBOOK_PATH", raising=False)
    monkeypatch.delenv("KTCLI_DEBUG", raising=False)
    monkeypatch.delenv("CI", raising=False)  # CI makes ktcli non-interactive; tests choose
    monkeypatch.delenv("KTCLI_CONFIG", raising=False)
    monkeypatch.delenv("KTCLI_ARCHIVE_URL", raising=False)
    monkeypatch.delenv("KTCLI_ARCHIVE_PATH", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


@dataclass
class Result:
    """What one ktcli run did."""

    code: int
    out: str
    err: str


Run = Callable[..., Result]


@pytest.fixture
def ktcli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run ktcli in-process, exactly as the console script does; returns code, stdout, stderr."""
    from ktcli.cli.app import run

    def invoke(*args: str, stdin: str = "") -> Result:
        capsys.readouterr()
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = 0
        try:
            run(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


def run_in_child(*args: str) -> tuple[str, set[str]]:
    """Run ``ktcli ARGS`` in a fresh interpreter: its stdout, and the modules it loaded."""
    code = (
        "import sys\n"
        "from ktcli.cli.app import run\n"
        f"sys.argv = ['ktcli', *{args!r}]\n"
        "try:\n    run()\nexcept SystemExit:\n    pass\n"
        "sys.stdout.flush()\n"
        "print('\\n'.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        check=True,
    )
    return res.stdout, set(res.stderr.split())


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    """The isolated store directory set by the autouse fixture."""
    return tmp_path / "store"


@contextlib.contextmanager
def lock_held_elsewhere(store_dir: Path, analysis_id: str) -> Iterator[subprocess.Popen[str]]:
    """Another process holds the analysis's lock until the block ends (then it is killed)."""
    code = textwrap.dedent(
        f"""
        import time
        from pathlib import Path
        from ktcli.store.files import Store
        with Store(Path({str(store_dir)!r})).lock({analysis_id!r}):
            print("locked", flush=True)
            time.sleep(60)
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "locked"
        yield proc
    finally:
        proc.kill()
        proc.wait()


def _pg_bindir() -> Path | None:
    """Where initdb and pg_ctl are: PATH, ``pg_config --bindir``, /usr/lib/postgresql/*/bin."""
    import shutil

    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).parent
    config = shutil.which("pg_config")
    if config:
        out = subprocess.run([config, "--bindir"], capture_output=True, text=True, check=False)
        if (Path(out.stdout.strip()) / "pg_ctl").is_file():
            return Path(out.stdout.strip())
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "pg_ctl").is_file():
            return candidate
    return None


def _no_pg(reason: str) -> None:
    if os.environ.get("KTCLI_REQUIRE_PG") == "1":
        pytest.fail(f"KTCLI_REQUIRE_PG=1, but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A PostgreSQL database for the tests: ``KTCLI_TEST_PG_URL``'s server, or one started here.

    Started with .ci/postgres (initdb and pg_ctl on a temporary directory, a Unix socket
    only, as the postgres user when run as root) and stopped at the end. Without server
    binaries or psycopg the tests that need it are skipped, unless KTCLI_REQUIRE_PG=1.
    """
    import shutil
    import tempfile
    from urllib.parse import urlsplit

    try:
        import psycopg
    except ImportError:
        _no_pg("psycopg is not installed (pip install 'ktcli[postgresql]')")
    base = os.environ.get("KTCLI_TEST_PG_URL")
    folder = None
    if not base:
        if _pg_bindir() is None:
            _no_pg("no PostgreSQL server binaries (initdb, pg_ctl) found")
        # Short: a Unix socket's path must fit in about 100 characters.
        folder = tempfile.mkdtemp(prefix="ktpg-", dir="/tmp")
        env = {**os.environ, "PATH": f"{_pg_bindir()}:{os.environ.get('PATH', '')}"}
        started = subprocess.run(
            [str(ROOT / ".ci" / "postgres"), "start", folder],
            capture_output=True,
            text=True,
            check=False,
            env=env,
            stdin=subprocess.DEVNULL,
        )
        if started.returncode != 0:
            shutil.rmtree(folder, ignore_errors=True)
            pytest.fail(f"could not start PostgreSQL: {started.stderr.strip()}")
        base = started.stdout.strip()
    name = f"ktcli_test_{os.getpid()}"
    try:
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
        yield urlsplit(base)._replace(path="/" + name).geturl()
        with psycopg.connect(base, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        if folder is not None:
            subprocess.run(
                [str(ROOT / ".ci" / "postgres"), "stop", folder],
                capture_output=True,
                check=False,
                env={**os.environ, "PATH": f"{_pg_bindir()}:{os.environ.get('PATH', '')}"},
                stdin=subprocess.DEVNULL,
            )
            shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: str) -> str:
    """The test database, emptied of ktcli's tables: each test starts with no index."""
    import psycopg

    with psycopg.connect(pg_server, autocommit=True) as conn:
        for table in ("ktcli_analyses", "ktcli_sources", "ktcli_meta"):
            conn.execute(f"DROP TABLE IF EXISTS {table}")
    return pg_server
