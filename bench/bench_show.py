"""``ktcli show`` of large analyses: whole-process CPU time and wall time, by size.

Stores generated analyses (``--causes`` list, each x ``--rows`` rows, every cause
tested against every row) and prints, for each size, the median of --runs runs
of the child's CPU time (user + system, which moves little with the machine's
load) and of its wall time, then the CPU time per cause, which stays flat when
``show`` grows linearly. Target: 200 causes x 30 rows under 0.5 s of CPU.

Usage: python bench/bench_show.py [--runs N] [--rows N] [--causes N ...]
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import big_analysis
from ktcli.core.document import to_yaml

TARGET_CPU = 0.5


def ktcli_command() -> list[str]:
    """The console script next to this interpreter, as an analyst runs it."""
    script = Path(sys.executable).with_name("ktcli")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ktcli"]


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(CPU seconds of the child, wall seconds) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rows", type=int, default=30)
    parser.add_argument("--causes", type=int, nargs="+", default=[50, 200, 500])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Path(tmp) / "store"
        store.mkdir()
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(KTCLI_HOME=str(store), NO_COLOR="1", COLUMNS="100", TERM="dumb")
        print(f"ktcli show, {args.rows} rows, median of {args.runs} runs (stdout to /dev/null)")
        for causes in args.causes:
            name = f"big{causes}"
            a = big_analysis(causes, args.rows, analysis_id=name)
            (store / f"{name}.yaml").write_text(to_yaml(a), encoding="utf-8")
            argv = [*ktcli_command(), "show", name]
            run_once(argv, env)  # .pyc files written, page cache warm
            results = [run_once(argv, env) for _ in range(args.runs)]
            cpu = statistics.median(r[0] for r in results)
            wall = statistics.median(r[1] for r in results)
            verdict = ""
            if causes == 200 and args.rows == 30:
                ok = cpu < TARGET_CPU
                verdict = f"  target < {TARGET_CPU} s CPU  {'ok' if ok else 'OVER TARGET'}"
            print(
                f"  {causes:4d} causes  CPU {cpu:6.2f} s  wall {wall:6.2f} s  "
                f"{cpu / causes * 1000:5.1f} ms CPU per cause{verdict}"
            )


if __name__ == "__main__":
    main()
