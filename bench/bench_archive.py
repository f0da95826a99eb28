"""The archive index at 1,000, 10,000 and 100,000 analyses, with grep -r on the same files.

For each size: a store of small, varied analyses is written (YAML files as the
store writes them), then, each in a fresh process so its peak memory is its
own: the index built from nothing, ``list`` (the newest 50, the default),
``search`` for a word and a phrase, ``similar`` (candidates from the index,
compared row by row, the best five), all warm; and ``grep -rl`` for the same
word timed in the same run. Last, a save with the index's after-save update
against a save without it. Times are p50 and p99 over --repeat runs, in ms.

With --postgresql the same build, queries and saves run again with the index in
PostgreSQL (``KTCLI_ARCHIVE_URL``): on the server in KTCLI_TEST_PG_URL, or on one
started here with .ci/postgres (a Unix socket, so no network in the figures).

Run ``python -m compileall -q src`` first: this workplace sets
PYTHONDONTWRITEBYTECODE=1, and uncompiled imports would be timed too.

Usage: python bench/bench_archive.py [--sizes 1000,10000,100000] [--repeat 30] [--postgresql]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import T0

WORDS = ("printer", "checkout", "login", "backup", "vpn", "mailbox", "invoice", "database")
DEVIATIONS = ("times out", "is slow", "fails with error 500", "drops the connection")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def write_store(root: Path, count: int) -> None:
    """``count`` small analyses, from one exported template per variant (fast to write)."""
    from datetime import timedelta

    from ktcli.core.analysis import new_analysis
    from ktcli.core.document import to_yaml
    from ktcli.core.model import Fact, Statement

    root.mkdir(parents=True)
    templates = []
    for w, word in enumerate(WORDS):
        for d, deviation in enumerate(DEVIATIONS):
            a = new_analysis("ID-0", f"TITLE-0 {word}", who="bench", now=T0, ticket="TICKET-0")
            a.statement = Statement(object=f"{word} service", deviation=deviation)
            a.specification[0].is_ = Fact(text=f"{word} in region {d}", source="monitoring")
            a.specification[0].is_not = Fact(text=f"{word} in region {d + 1}", source="ticket")
            a.analysts = [f"analyst-{(w + d) % 9}"]
            a.updated_at = T0 + timedelta(minutes=w * 7 + d)
            templates.append(to_yaml(a))
    for n in range(count):
        text = templates[n % len(templates)]
        text = text.replace("ID-0", f"kt-{n:06d}").replace("TITLE-0", f"Case {n}")
        text = text.replace("TICKET-0", f"INC-{n}")
        (root / f"kt-{n:06d}.yaml").write_text(text, encoding="utf-8")


def worker(op: str, root: str, repeat: int, url: str | None) -> None:
    """One operation, timed in this process; prints times and this process's peak memory."""
    from ktcli.archive.index import Filters, Index
    from ktcli.core.similarity import compare, profile
    from ktcli.store.files import Store

    times: list[float] = []
    index = Index(Path(root), url=url)
    mine = profile(Store(Path(root)).load("kt-000001"))
    for _ in range(1 if op == "build" else repeat):
        start = time.perf_counter()
        if op == "build":
            index.rebuild()
        elif op == "list":
            index.listing(Filters(), 50)
        elif op == "list-filtered":
            index.listing(Filters(analyst="analyst-3", status="open"), 50)
        elif op == "search-word":
            index.search("printer", 20)
        elif op == "search-phrase":
            index.search("checkout times out", 20)
        elif op == "similar":
            found = [compare(mine, past) for _, past in index.similar(mine.words(), mine.id)]
            sorted(found, key=lambda c: -c.score)[:5]
        times.append(time.perf_counter() - start)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"times": times, "peak_mib": peak}))


def run_worker(op: str, root: Path, repeat: int, url: str | None) -> dict[str, object]:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", op, str(root), "--repeat", str(repeat)]
        + (["--url", url] if url else []),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return dict(json.loads(out))


def time_grep(root: Path, word: str, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(["grep", "-rli", word, str(root)], capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return times


def time_cli(root: Path, repeat: int) -> list[float]:
    """The whole ``ktcli list`` process: start-up, index check, query, rendering 50 lines."""
    ktcli = Path(sys.executable).with_name("ktcli")
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([str(ktcli), "--store", str(root), "list"], capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return times


def time_saves(root: Path, repeat: int, url: str | None) -> tuple[list[float], list[float]]:
    """Saving one analysis into the big store, with the after-save index update and without."""
    from ktcli.archive.index import Index
    from ktcli.core.analysis import new_analysis
    from ktcli.store.files import Store

    index = Index(root, url=url)
    index.sync()
    with_index, without = Store(root, after_save=index.update), Store(root)
    a = new_analysis("bench-save", "Saved by the bench", who="bench", now=T0)
    results: tuple[list[float], list[float]] = ([], [])
    for n in range(repeat * 2):
        store = (with_index, without)[n % 2]
        a.title = f"Saved by the bench {n}"
        start = time.perf_counter()
        store.save(a)
        results[n % 2].append(time.perf_counter() - start)
    return results


def line(name: str, times: list[float], peak: object = None) -> str:
    mem = f"  peak {float(str(peak)):.0f} MiB" if peak is not None else ""
    return f"  {name:<16} p50 {pct(times, 0.5):8.1f} ms  p99 {pct(times, 0.99):8.1f} ms{mem}"


def bench(count: int, repeat: int, url: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "store"
        start = time.perf_counter()
        write_store(root, count)
        print(f"{count:,} analyses (written in {time.perf_counter() - start:.1f} s)")
        # A store whose directory changed in the last 2 s is re-checked file by file on
        # every read (the racy-stamp rule); in use, the last change is seconds or days old.
        time.sleep(2.1)
        grep = time_grep(root, "printer", max(3, repeat // 10))
        print(line("grep -rli", grep))
        print(" SQLite")
        queries(root, repeat, None, grep)
        if url:
            empty(url)
            print(" PostgreSQL")
            queries(root, repeat, url, grep)


def queries(root: Path, repeat: int, url: str | None, grep: list[float]) -> None:
    """Build, list, search, similar and save with the index in one backend."""
    build = run_worker("build", root, 1, url)
    times = build["times"]
    assert isinstance(times, list)
    print(f"  {'index build':<16} {times[0]:8.1f} s{'':22}peak {build['peak_mib']:.0f} MiB")
    figures: dict[str, float] = {}
    for op in ("list", "list-filtered", "search-word", "search-phrase", "similar"):
        got = run_worker(op, root, repeat, url)
        op_times = got["times"]
        assert isinstance(op_times, list)
        figures[op] = pct(op_times, 0.5)
        print(line(op, op_times, got["peak_mib"]))
    if url is None:
        cli = time_cli(root, max(3, repeat // 5))
        print(line("ktcli list (cli)", cli))
    for op in ("search-word", "similar"):
        print(f"  {op} vs grep {pct(grep, 0.5) / max(figures[op], 1e-6):6.1f}x faster (p50)")
    with_index, without = time_saves(root, repeat, url)
    print(line("save + index", with_index))
    print(line("save alone", without))
    after = run_worker("list", root, 1, url)["times"]
    assert isinstance(after, list)
    print(f"  list after save  {after[0] * 1000:8.1f} ms (every file's stamp compared once)")
    print(f"  index cost/save  {pct(with_index, 0.5) - pct(without, 0.5):8.1f} ms (p50)")


def empty(url: str) -> None:
    """Drop ktcli's tables: each size starts from an empty database."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        for table in ("ktcli_analyses", "ktcli_sources", "ktcli_meta"):
            conn.execute(f"DROP TABLE IF EXISTS {table}")


@contextlib.contextmanager
def postgresql() -> Iterator[str]:
    """The server in KTCLI_TEST_PG_URL, or one started with .ci/postgres and stopped after."""
    given = os.environ.get("KTCLI_TEST_PG_URL")
    if given:
        yield given
        return
    script = Path(__file__).resolve().parents[1] / ".ci" / "postgres"
    folder = tempfile.mkdtemp(prefix="ktpg-", dir="/tmp")
    try:
        url = subprocess.run(
            [str(script), "start", folder], capture_output=True, text=True, check=True
        ).stdout.strip()
        yield url
    finally:
        subprocess.run([str(script), "stop", folder], capture_output=True, check=False)
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--postgresql", action="store_true", help="time PostgreSQL too")
    parser.add_argument("--worker", nargs=2, metavar=("OP", "ROOT"))
    parser.add_argument("--url")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], args.worker[1], args.repeat, args.url)
        return
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(postgresql()) if args.postgresql else None
        for size in (int(s) for s in args.sizes.split(",")):
            bench(size, args.repeat, url)


if __name__ == "__main__":
    main()
