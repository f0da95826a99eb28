"""Time to discover, load, merge and validate playbooks: the built-ins, and 500 generated ones.

Run: .venv/bin/python bench/bench_playbooks.py

Each figure is the median of several runs in this process (imports already
warm), so it is the cost of the work itself. The 500 generated playbooks are
spread over three directories (user, team, KTCLI_PLAYBOOK_PATH-like); every
fifth one extends another, and each carries rows, evidence and causes like a
real one. Sessions read only the chain they use (playbooks are found by file
name), timed separately. A last figure times the whole process of
``ktcli playbook list``.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from ktcli.playbooks.adapter import guide
from ktcli.playbooks.discovery import builtin_dir, discover, index
from ktcli.playbooks.files import Source, load_file
from ktcli.playbooks.hashing import make_ref

RUNS = 7


def median_ms(fn: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def everything(sources: list[Source]) -> int:
    """Discover, load, validate, merge every playbook and hash it, as a session start would."""
    catalog = discover(sources)
    assert not catalog.problems, catalog.problems[:3]
    for pid in catalog.files:
        make_ref(catalog.merged(pid))
    return len(catalog.files)


def generated(i: int) -> str:
    parent = f"extends: gen-{i - 1:03d}\n" if i % 5 == 0 and i > 0 else ""
    causes = "".join(
        f"  - id: cause-{i}-{k}\n"
        f"    text: Cause {k} of playbook {i}, a sentence of realistic length\n"
        "    explains: [when-first, where-location]\n"
        f"    confirm: Check the thing {k} with a command\n"
        for k in range(6)
    )
    evidence = "".join(
        f"  - id: ev-{i}-{k}\n    what: Evidence {k}\n    why: Gone after a restart\n"
        f"    before_restart: true\n    commands:\n      - ss -tan state time-wait | wc -l\n"
        f"      - journalctl -u svc --since today\n    row: when-pattern\n"
        for k in range(4)
    )
    return (
        f'schema_version: 1\nid: gen-{i:03d}\nname: Generated {i}\nversion: "1.{i}"\n'
        f"description: A generated playbook for the benchmark.\ntags: [bench, gen]\n{parent}"
        "rows:\n"
        "  where-location:\n    questions: [Which sites?]\n    hint: Compare twins.\n"
        "    is_not: [Another host in the same pool]\n"
        "  when-first:\n    questions: [When did it last work?]\n"
        f"evidence:\n{evidence}causes:\n{causes}"
        "terms:\n  vague: [laggy, choppy]\n"
        "data_requests:\n  - id: req\n    what: The exact error\n    row: what-deviation\n"
    )


def main() -> None:
    builtin = [Source("builtin", builtin_dir())]
    n_builtin = everything(builtin)
    total = median_ms(lambda: everything(builtin))
    print(
        f"built-in: {n_builtin} playbooks, discover+load+validate+merge+hash all: "
        f"{total:.1f} ms, {total / n_builtin:.2f} ms per playbook (median of {RUNS})"
    )
    print("  per built-in playbook (read+validate, then merge chain+hash):")
    catalog = discover(builtin)
    for pid, item in sorted(catalog.files.items()):
        read_ms = median_ms(lambda item=item: load_file(item.path, item.source))
        merge_ms = median_ms(lambda pid=pid: make_ref(catalog.merged(pid)))
        size = item.path.stat().st_size
        print(
            f"    {pid:22} {size:6,d} bytes  read+validate {read_ms:6.2f} ms"
            f"  merge+hash {merge_ms:5.2f} ms"
        )

    with tempfile.TemporaryDirectory() as tmp:
        dirs = [Path(tmp) / name for name in ("user", "team", "path")]
        for d in dirs:
            d.mkdir()
        for i in range(500):
            (dirs[i % 3] / f"gen-{i:03d}.yaml").write_text(generated(i))
        sources = [Source("user", dirs[0]), Source("team", dirs[1]), Source("path", dirs[2])]
        count = everything(sources)
        size = sum(p.stat().st_size for d in dirs for p in d.iterdir()) / count
        total = median_ms(lambda: everything(sources), runs=3)
        print(
            f"generated: {count} playbooks in 3 directories (mean {size:,.0f} bytes), "
            f"all of it: {total:.0f} ms, {total / count:.2f} ms per playbook (median of 3)"
        )
        # What a session start pays: list the directories, read one chain, build the guide.
        one = median_ms(lambda: guide(index(sources).merged("gen-250")))
        print(
            f"  session start among them (index, read gen-250 and its parent, guide): {one:.1f} ms"
        )

    cmd = [str(Path(sys.executable).with_name("ktcli")), "playbook", "list"]
    proc = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True, stdin=subprocess.DEVNULL)
        proc.append(time.perf_counter() - start)
    print(
        f"whole process 'ktcli playbook list': {statistics.median(proc) * 1000:.0f} ms "
        "(median of 5)"
    )


if __name__ == "__main__":
    main()
