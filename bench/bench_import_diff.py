"""Import and diff time for a handoff of about 1 MB.

Generates two versions of one analysis (the second extends the first's history
and changes a few rows, causes and requests, as backline would), writes them as
YAML handoffs, and prints their sizes and the median of --runs runs of:

* whole-process ``ktcli import FILE`` into an empty store (new);
* whole-process ``ktcli import FILE`` of the newer version over the older
  (load both, compare histories, diff, save, print what changed);
* whole-process ``ktcli diff OLD NEW`` of the two files;
* in-process pieces: parse and validate one file, compare the histories, diff
  the two analyses, format the diff.

ktcli is byte-compiled first (as a wheel install is), and each whole-process
line gives the child's CPU time (user + system, which moves little with the
machine's load) beside its wall time; the target is under 0.4 s each. With
--instructions each whole-process line is also run once under valgrind's
cachegrind (with a fixed hash seed), whose instruction count does not move with
the load at all.

Usage: python bench/bench_import_diff.py [--runs N] [--size BYTES] [--instructions]
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
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import T0, big_analysis
from ktcli import yamlio
from ktcli.core.analysis import record
from ktcli.core.document import parse_analysis, to_yaml
from ktcli.core.model import Analysis, DataRequest, Fact
from ktcli.handoff.versions import compare_versions, diff, format_diff
from startup import Side, compile_ktcli, instructions

ROWS = 30
TARGET = 0.4


def ktcli_command() -> list[str]:
    """The console script installed next to this interpreter, as a user runs it."""
    script = Path(sys.executable).with_name("ktcli")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ktcli"]


def sized(target: int) -> Analysis:
    """An analysis whose YAML is close to ``target`` bytes (causes scale it linearly)."""
    probe = len(to_yaml(big_analysis(100, ROWS)).encode("utf-8"))
    causes = max(1, round(100 * target / probe))
    return big_analysis(causes, ROWS, analysis_id="handoff-1mb")


def backline_edits(a: Analysis) -> Analysis:
    """A newer version: what backline adds after import, each change recorded."""
    b = a.model_copy(deep=True)
    for n, row in enumerate(b.specification[:5]):
        row.is_not = Fact(text=f"checked by backline {n}", source="backline", status="verified")
        record(b, "backline", f"{row.id} is_not: checked", T0 + timedelta(hours=1, minutes=n))
    for cause in b.causes[:10]:
        first = next(iter(cause.tests))
        cause.tests[first].note = "re-tested by backline against the new facts"
        record(b, "backline", f"re-tested {cause.id}", T0 + timedelta(hours=2))
    b.data_requests.append(DataRequest(id="r1", what="heap dump", requested_from="customer"))
    record(b, "backline", "data request: heap dump", T0 + timedelta(hours=3))
    return b


def cpu_and_wall(runs: int, fn: Callable[[], object]) -> tuple[float, float]:
    """Medians of the children's CPU seconds and of the wall seconds of ``fn``."""
    cpu: list[float] = []
    wall: list[float] = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        fn()
        wall.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(cpu), statistics.median(wall)


def median_of(runs: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--size", type=int, default=1_048_576, help="target size in bytes")
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions with cachegrind too"
    )
    args = parser.parse_args()

    old = sized(args.size)
    new = backline_edits(old)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        old_file, new_file = work / "old.yaml", work / "new.yaml"
        old_file.write_text(to_yaml(old), encoding="utf-8")
        new_file.write_text(to_yaml(new), encoding="utf-8")
        store = work / "store"
        env = {**os.environ, "KTCLI_HOME": str(store), "KTCLI_ANALYST": "bench", "NO_COLOR": "1"}
        env["KTCLI_CACHE"] = str(work / "validated")  # never the user's own record
        env.pop("KTCLI_NOW", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        compile_ktcli()
        ktcli = ktcli_command()

        def run(*argv: str) -> None:
            subprocess.run(
                [*ktcli, *argv],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=True,
            )

        stored = store / "handoff-1mb.yaml"

        def empty_store() -> None:
            stored.unlink(missing_ok=True)

        def older_stored() -> None:
            stored.write_bytes(old_file.read_bytes())

        def import_new() -> None:
            empty_store()
            run("import", str(old_file))

        def import_newer() -> None:
            older_stored()
            run("import", str(new_file))

        import_new()  # warm the page cache and the store directory
        t_new = cpu_and_wall(args.runs, import_new)
        t_newer = cpu_and_wall(args.runs, import_newer)
        t_diff = cpu_and_wall(args.runs, lambda: run("diff", str(old_file), str(new_file)))

        counts: list[int | None] = [None, None, None]
        if args.instructions:
            # One hash seed: string hashing moves dict and set layouts, and the count by ~3 %.
            seeded = {**env, "PYTHONHASHSEED": "0"}
            counts = [
                instructions(Side([*ktcli, *argv], prepare=prepare), seeded)
                for argv, prepare in (
                    (["import", str(old_file)], empty_store),
                    (["import", str(new_file)], older_stored),
                    (["diff", str(old_file), str(new_file)], None),
                )
            ]

        old_text = yamlio.read(old_file)
        t_parse = median_of(args.runs, lambda: parse_analysis(old_text, "old.yaml"))
        a = parse_analysis(old_text, "old.yaml")
        b = parse_analysis(yamlio.read(new_file), "new.yaml")
        t_compare = median_of(args.runs, lambda: compare_versions(a, b))
        t_diffcore = median_of(args.runs, lambda: diff(a, b))
        diffs = diff(a, b)
        t_format = median_of(args.runs, lambda: format_diff(diffs))
        assert compare_versions(a, b).relation == "newer"

        print(
            f"handoff sizes: old {old_file.stat().st_size:,} B, new {new_file.stat().st_size:,} B"
        )
        print(
            f"  {len(old.causes)} causes x {ROWS} rows, {len(new.history)} history entries; "
            f"{len(diffs)} differences"
        )
        print(f"median of {args.runs} runs:")
        for label, (cpu, wall), count in zip(
            (
                "ktcli import (new, whole process)      ",
                "ktcli import (newer, whole process)    ",
                "ktcli diff OLD NEW (whole process)     ",
            ),
            (t_new, t_newer, t_diff),
            counts,
            strict=True,
        ):
            verdict = "ok" if cpu < TARGET else "OVER TARGET"
            instr = "" if count is None else f"  {count / 1e6:7.1f} M instructions"
            print(
                f"  {label} {wall * 1000:8.1f} ms  CPU {cpu * 1000:6.0f} ms  "
                f"target < {TARGET * 1000:.0f} ms  {verdict}{instr}"
            )
        print(f"  parse + validate one file (in-process)  {t_parse * 1000:8.1f} ms")
        print(f"  compare histories (in-process)          {t_compare * 1000:8.1f} ms")
        print(f"  diff two analyses (in-process)          {t_diffcore * 1000:8.1f} ms")
        print(f"  format the diff (in-process)            {t_format * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
