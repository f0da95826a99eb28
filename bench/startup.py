"""What every start-up bench shares: both sides timed the same way, wall medians and instructions.

A side is an argv and, optionally, an end marker. Without a marker a run ends
when the process exits (stdout and stderr to /dev/null). With one, both sides
run in a pseudo-terminal (pexpect) and a run ends when the marker reaches it;
the process is then stopped with SIGTERM. Wall times are medians of interleaved
runs, so that noise hits both sides alike; instruction counts come from one run
of each side under valgrind's cachegrind (the same argv, the same end), which do
not move with the machine's load.
"""

from __future__ import annotations

import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pexpect


@dataclass(frozen=True)
class Side:
    """One side of a comparison: what runs, and what ends a run (None: the exit)."""

    argv: list[str]
    marker: str | None = None
    #: Run before each run, untimed (a fresh store for ``ktcli new``).
    prepare: Callable[[], None] | None = None


def ktcli_command() -> list[str]:
    """The console script installed next to this interpreter, as a user runs it."""
    script = Path(sys.executable).with_name("ktcli")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ktcli"]


def compile_ktcli() -> None:
    """Byte-compile ktcli as a wheel install would.

    An editable install (and PYTHONDONTWRITEBYTECODE=1) leaves ktcli without
    .pyc files while its dependencies have them; compiling on every start would
    be measured as ktcli's own cost.
    """
    import ktcli

    package = Path(ktcli.__file__).parent
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], env=env, check=True)


def _until_marker(argv: list[str], env: dict[str, str], marker: str) -> None:
    child = pexpect.spawn(argv[0], argv[1:], env=env, encoding="utf-8", timeout=120)
    try:
        child.expect_exact(marker)
    finally:
        child.kill(signal.SIGTERM)
        child.expect(pexpect.EOF)
        child.close()


def run(side: Side, env: dict[str, str]) -> float:
    """Wall seconds of one run of ``side``."""
    if side.prepare is not None:
        side.prepare()
    start = time.perf_counter()
    if side.marker is None:
        subprocess.run(
            side.argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
        )
    else:
        _until_marker(side.argv, env, side.marker)
    return time.perf_counter() - start


def instructions(side: Side, env: dict[str, str]) -> int:
    """Instructions executed by the whole process up to its end (cachegrind's "I refs")."""
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "valgrind.log"
        argv = [
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
            f"--log-file={log}",
            *side.argv,
        ]
        run(Side(argv, side.marker, side.prepare), env)
        text = log.read_text(encoding="utf-8", errors="replace")
    found = re.search(r"I\s+refs:\s+([\d,]+)", text)
    if found is None:
        raise SystemExit(f"no instruction count from valgrind:\n{text[-2000:]}")
    return int(found.group(1).replace(",", ""))


def compare(
    label: str,
    ours: Side,
    base: Side,
    env: dict[str, str],
    target: float,
    *,
    runs: int,
    count_instructions: bool,
) -> None:
    """Print wall medians of both sides and their ratio, and instruction counts if asked."""
    for side in (ours, base):  # .pyc files written, page cache warm, caches filled
        run(side, env)
    a: list[float] = []
    b: list[float] = []
    for _ in range(runs):
        a.append(run(ours, env))
        b.append(run(base, env))
    ma, mb = statistics.median(a), statistics.median(b)
    print(label)
    print(f"  wall     command  median {ma * 1000:7.1f} ms  (min {min(a) * 1000:.1f})")
    print(f"  wall     baseline median {mb * 1000:7.1f} ms  (min {min(b) * 1000:.1f})")
    print(f"  wall     ratio    {ma / mb:.3f}  target <= {target}  {_verdict(ma / mb, target)}")
    if count_instructions:
        ia, ib = instructions(ours, env), instructions(base, env)
        print(f"  instr    command  {ia / 1e6:9.1f} M")
        print(f"  instr    baseline {ib / 1e6:9.1f} M")
        print(f"  instr    ratio    {ia / ib:.3f}  target <= {target}  {_verdict(ia / ib, target)}")


def _verdict(ratio: float, target: float) -> str:
    return "ok" if ratio <= target else "OVER TARGET"
