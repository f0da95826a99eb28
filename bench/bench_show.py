"""``ktcli show`` of large analyses: whole-process CPU time and wall time, by size.

Stores generated analyses (``--causes`` list, each x ``--rows`` rows, every cause
tested against every row) and prints, for each size, the median of --runs runs
of the child's CPU time (user + system, which moves little with the machine's
load) and of its wall time, then the CPU time per cause. "per added cause" is
the CPU one more cause costs between two sizes: it stays flat when ``show``
grows linearly. Target: 200 causes x 30 rows under 0.5 s of CPU.

Every run is a first show: each gets an empty ``KTCLI_CACHE``, so no output
remembered by an earlier run can be printed instead of the real work (``--again``
adds the runs of a show of bytes shown before, which print the remembered text).

Piped (the default): stdout to /dev/null, ``NO_COLOR=1``, ``COLUMNS=100``.
``--pty COLS``: also at a terminal COLS wide (a pseudo-terminal, colour, the
pager path taken with ``PAGER=cat``). ``--instructions``: also the instructions
of one piped run per size under valgrind's cachegrind, which do not move with load.

Usage: python bench/bench_show.py [--runs N] [--rows N] [--causes N ...]
                                  [--pty COLS] [--instructions] [--again]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pexpect

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import big_analysis
from ktcli.core.document import to_yaml
from startup import Side, instructions, ktcli_command

TARGET_CPU = 0.5
SCREEN_LINES = 50


def piped(argv: list[str], env: dict[str, str]) -> None:
    """One run with stdout to /dev/null."""
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)


def at_terminal(columns: int) -> Callable[[list[str], dict[str, str]], None]:
    """One run in a pseudo-terminal ``columns`` wide, read to the end."""

    def run(argv: list[str], env: dict[str, str]) -> None:
        child = pexpect.spawn(
            argv[0], argv[1:], env=env, dimensions=(SCREEN_LINES, columns), timeout=120
        )
        child.expect(pexpect.EOF)
        child.close()
        if child.exitstatus != 0:
            raise SystemExit(f"{' '.join(argv)} failed at a terminal: {child.exitstatus}")

    return run


def measure(
    run: Callable[[list[str], dict[str, str]], None], argv: list[str], env: dict[str, str]
) -> tuple[float, float]:
    """(CPU seconds of the child and what it waited for, wall seconds) of one run."""
    if "KTCLI_CACHE" not in env:  # a first show: nothing remembered
        with tempfile.TemporaryDirectory() as cache:
            return measure(run, argv, {**env, "KTCLI_CACHE": cache})
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    run(argv, env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def report(
    title: str,
    run: Callable[[list[str], dict[str, str]], None],
    env: dict[str, str],
    sizes: dict[int, list[str]],
    args: argparse.Namespace,
    *,
    first: bool = True,
) -> None:
    """One line per size: CPU and wall medians, CPU per cause and per added cause.

    ``first``: these are first shows, which the target is for.
    """
    print(title)
    previous: tuple[int, float] | None = None
    for causes, argv in sizes.items():
        measure(run, argv, env)  # .pyc files written, page cache warm
        results = [measure(run, argv, env) for _ in range(args.runs)]
        cpu = statistics.median(r[0] for r in results)
        wall = statistics.median(r[1] for r in results)
        added = ""
        if previous is not None and causes > previous[0]:
            per_added = (cpu - previous[1]) / (causes - previous[0])
            added = f"  {per_added * 1000:5.2f} ms per added cause"
        verdict = ""
        if first and causes == 200 and args.rows == 30:
            verdict = f"  target < {TARGET_CPU} s CPU {'ok' if cpu < TARGET_CPU else 'OVER TARGET'}"
        print(
            f"  {causes:4d} causes  CPU {cpu:6.2f} s  wall {wall:6.2f} s  "
            f"{cpu / causes * 1000:5.1f} ms CPU per cause{added}{verdict}"
        )
        previous = (causes, cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=30)
    parser.add_argument("--causes", type=int, nargs="+", default=[50, 200, 500])
    parser.add_argument("--pty", type=int, metavar="COLS", help="also at a terminal this wide")
    parser.add_argument("--instructions", action="store_true", help="also cachegrind counts")
    parser.add_argument("--again", action="store_true", help="also a show of bytes shown before")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        store.mkdir()
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(KTCLI_HOME=str(store), NO_COLOR="1", COLUMNS="100", TERM="dumb")
        sizes: dict[int, list[str]] = {}
        for causes in args.causes:
            name = f"big{causes}"
            a = big_analysis(causes, args.rows, analysis_id=name)
            (store / f"{name}.yaml").write_text(to_yaml(a), encoding="utf-8")
            sizes[causes] = [*ktcli_command(), "show", name]
        head = f"ktcli show, {args.rows} rows, median of {args.runs} runs"
        report(f"{head}, piped (stdout to /dev/null, 100 columns)", piped, env, sizes, args)
        if args.pty:
            term = {k: v for k, v in env.items() if k not in ("NO_COLOR", "TERM")}
            term.update(TERM="xterm-256color", COLUMNS=str(args.pty), PAGER="cat")
            term["LINES"] = str(SCREEN_LINES)
            title = f"{head}, at a terminal {args.pty} columns wide (colour, PAGER=cat)"
            report(title, at_terminal(args.pty), term, sizes, args)
        if args.again:
            with tempfile.TemporaryDirectory() as cache:
                title = f"{head}, piped, shown before (the text remembered in KTCLI_CACHE)"
                report(title, piped, {**env, "KTCLI_CACHE": cache}, sizes, args, first=False)
        if args.instructions:
            print("instructions of one piped run (cachegrind)")
            for causes, argv in sizes.items():
                with tempfile.TemporaryDirectory() as cache:
                    count = instructions(Side(argv), {**env, "KTCLI_CACHE": cache})
                print(f"  {causes:4d} causes  {count / 1e6:9.1f} M instructions")


if __name__ == "__main__":
    main()
