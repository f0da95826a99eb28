"""Per-answer save time of a guided session on a large analysis (200 causes x 30 rows).

Each "answer" changes one cause test, appends a history line and saves through
``Store.save`` (atomic: temporary file, fsync, rename, fsync of the directory),
exactly as a session does after every answer. Prints p50 and p99 of the save
alone (target: p99 under 20 ms), of the YAML emission inside it, and of the
interview's own per-answer work (recomputing the questions and finding the next).

Usage: python bench/bench_save.py [--answers N] [--causes N] [--rows N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import T0, big_analysis
from ktcli.core.analysis import record
from ktcli.core.document import to_yaml
from ktcli.core.model import CauseTest, Statement
from ktcli.session.engine import first_unanswered
from ktcli.store.files import Store


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=300)
    parser.add_argument("--causes", type=int, default=200)
    parser.add_argument("--rows", type=int, default=30)
    args = parser.parse_args()
    a = big_analysis(args.causes, args.rows)
    # Everything before the cause tests answered, so finding the next question walks the grid.
    a.appraisal.depth, a.appraisal.depth_reason = "full", "large"
    a.business_impact = "generated"
    a.statement = Statement(object="generated object", deviation="generated deviation")
    a.progress = ["complete"]
    row_ids = [r.id for r in a.specification]
    saves: list[float] = []
    emits: list[float] = []
    flow: list[float] = []
    with tempfile.TemporaryDirectory() as root:
        store = Store(Path(root))
        with store.lock(a.id):
            store.prime(a)
            store.save(a)
            size = store.path(a.id).stat().st_size
            for n in range(args.answers):
                cause = a.causes[(n * 7) % len(a.causes)]
                row = row_ids[(n * 3) % len(row_ids)]
                # The last test of the grid is the one still open.
                a.causes[-1].tests.pop(row_ids[-1], None)
                cause.tests[row] = CauseTest(verdict="explains", note=f"answer {n}")
                record(a, "bench", f"tested {cause.id} against {row}", T0)
                start = time.perf_counter()
                store.save(a)
                saves.append(time.perf_counter() - start)
                start = time.perf_counter()
                to_yaml(a)  # no cache: what a save would cost without Store.prime
                emits.append(time.perf_counter() - start)
                start = time.perf_counter()
                first_unanswered(a)
                flow.append(time.perf_counter() - start)
    print(f"analysis: {args.causes} causes x {args.rows} rows, {size / 1024:.0f} KiB on disk")
    print(
        f"save per answer (Store.save, with fsync): p50 {pct(saves, 0.5):.1f} ms, "
        f"p99 {pct(saves, 0.99):.1f} ms over {len(saves)} answers (target p99 < 20 ms)"
    )
    print(
        f"uncached YAML emission, for comparison: p50 {pct(emits, 0.5):.1f} ms, "
        f"p99 {pct(emits, 0.99):.1f} ms"
    )
    print(
        f"interview per answer (finding the next question, last cell of the grid): "
        f"p50 {pct(flow, 0.5):.1f} ms, p99 {pct(flow, 0.99):.1f} ms"
    )


if __name__ == "__main__":
    main()
