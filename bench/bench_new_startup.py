"""Whole-process time from ``ktcli new`` to the first prompt drawn, against its libraries.

Baseline: ``python -c "import typer, questionary; from pydantic import BaseModel"``,
the libraries a guided session cannot avoid. Both are measured in the same run,
interleaved, median of --runs runs each (target: at most 1.2x).

The first prompt counts as drawn when its text reaches the pseudo-terminal
(pexpect); the process is then killed. Each run uses a fresh store.

Usage: python bench/bench_new_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pexpect

BASELINE = "import typer, questionary; from pydantic import BaseModel"
FIRST_PROMPT = "What does this problem cost the customer's business?"


def ktcli_command() -> list[str]:
    """The console script next to this interpreter, as an analyst runs it."""
    script = Path(sys.executable).with_name("ktcli")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ktcli"]


def env_for(home: str) -> dict[str, str]:
    env = dict(os.environ)
    # An installed ktcli has compiled bytecode; without it every run recompiles the sources.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(KTCLI_HOME=home, TERM="xterm-256color", NO_COLOR="1", PROMPT_TOOLKIT_NO_CPR="1")
    return env


def time_new(n: int) -> float:
    with tempfile.TemporaryDirectory() as home:
        argv = [*ktcli_command(), "new", "--title", "bench", "--id", f"b{n}", "--depth", "quick"]
        start = time.perf_counter()
        child = pexpect.spawn(argv[0], argv[1:], env=env_for(home), encoding="utf-8", timeout=30)
        child.expect_exact(FIRST_PROMPT)
        elapsed = time.perf_counter() - start
        child.kill(9)
        child.close()
        return elapsed


def time_baseline() -> float:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", BASELINE], env=env, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    time_new(0)  # warm the file cache for both sides
    time_baseline()
    new: list[float] = []
    base: list[float] = []
    for n in range(args.runs):
        new.append(time_new(n + 1))
        base.append(time_baseline())
    m_new, m_base = statistics.median(new), statistics.median(base)
    print(f"ktcli new -> first prompt: median {m_new * 1000:.0f} ms over {args.runs} runs")
    print(f"python -c {BASELINE!r}: median {m_base * 1000:.0f} ms")
    print(f"ratio: {m_new / m_base:.2f}x (target <= 1.2x)")


if __name__ == "__main__":
    main()
