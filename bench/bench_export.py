"""Export time of a generated analysis with 200 causes x 30 rows, in every format.

Prints the median and the best of --runs runs of each export, in-process (the
work of exporting, without interpreter start-up), then the whole-process time of
``ktcli export`` on the same analysis stored as a file.

Usage: python bench/bench_export.py [--causes N] [--rows N] [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import big_analysis
from ktcli.core.document import parse_analysis, to_json, to_yaml
from ktcli.handoff.markdown import to_markdown


def measure(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--causes", type=int, default=200)
    parser.add_argument("--rows", type=int, default=30)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    a = big_analysis(args.causes, args.rows)
    yaml_text = to_yaml(a)
    print(f"analysis: {args.causes} causes x {args.rows} rows, {len(a.causes) * args.rows} tests")
    print(f"YAML size {len(yaml_text.encode()) / 1024:.0f} KiB")
    for label, fn in (
        ("export yaml", lambda: to_yaml(a)),
        ("export json", lambda: to_json(a)),
        ("export markdown", lambda: to_markdown(a)),
        ("import yaml (parse + validate)", lambda: parse_analysis(yaml_text, "big.yaml")),
    ):
        median, best = measure(fn, args.runs)
        print(f"{label:32s} median {median * 1000:8.1f} ms   best {best * 1000:8.1f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.yaml"
        path.write_text(yaml_text, encoding="utf-8")
        script = Path(sys.executable).with_name("ktcli")
        argv = [str(script)] if script.exists() else [sys.executable, "-m", "ktcli"]
        for fmt in ("yaml", "markdown"):
            times = []
            for _ in range(max(3, args.runs // 3)):
                start = time.perf_counter()
                subprocess.run(
                    [*argv, "export", str(path), "-f", fmt], stdout=subprocess.DEVNULL, check=True
                )
                times.append(time.perf_counter() - start)
            print(
                f"whole process: ktcli export -f {fmt:8s} median "
                f"{statistics.median(times) * 1000:8.1f} ms"
            )


if __name__ == "__main__":
    main()
