"""Hostile inputs of 10 MiB in every shape: each is accepted or refused within 1 s CPU, 100 MB.

For each shape a file just under ``yamlio.MAX_BYTES`` is generated, then read
in a fresh child process exactly as ``ktcli import`` reads a handoff (size
check, UTF-8, the event walker, pydantic validation, the error list). The
child reports the CPU time of that work and its peak RSS (``resource.getrusage``;
the RSS includes the interpreter and its imports, about 40 MB).

Compile first (the workplace sets PYTHONDONTWRITEBYTECODE=1)::

    python -m compileall -q src && python bench/bench_hostile.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ktcli import yamlio

LIMIT = yamlio.MAX_BYTES - 1024  # just under the size limit: the walker must do the rest
CPU_BUDGET = 1.0
RSS_BUDGET_MB = 100.0

CHILD = """
import json, resource, sys, time
from pathlib import Path
from ktcli import yamlio
from ktcli.core.document import parse_analysis
from ktcli.errors import KtError
path = Path(sys.argv[1])
start = time.process_time()
try:
    parse_analysis(yamlio.read(path), str(path))
    outcome, lines = "accepted", 0
except KtError as exc:
    first = exc.message.splitlines()[0]
    outcome, lines = first[len(str(path)) + 1 :][:70], len(exc.message.splitlines())
cpu = time.process_time() - start
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
print(json.dumps({"cpu": cpu, "rss": rss, "outcome": outcome.strip(), "lines": lines}))
"""


def fill(head: str, item: Callable[[int], str], tail: str = "") -> str:
    """``head``, then items until the text reaches LIMIT bytes, then ``tail``."""
    parts, size, i = [head], len(head) + len(tail), 0
    while True:
        text = item(i)
        if size + len(text.encode("utf-8")) > LIMIT:
            break
        parts.append(text)
        size += len(text.encode("utf-8"))
        i += 1
    parts.append(tail)
    return "".join(parts)


def valid_big() -> str:
    from generate import big_analysis
    from ktcli.core.document import to_yaml

    return to_yaml(big_analysis(200, 30))


def deep(i: int) -> str:
    depth = yamlio.MAX_DEPTH - 2
    return "- " + "{a: " * depth + str(i) + "}" * depth + "\n"


SHAPES: dict[str, Callable[[], str]] = {
    "valid analysis 200x30": valid_big,
    "many top-level keys": lambda: fill("", lambda i: f"k{i}: {i}\n"),
    "long list": lambda: fill("analysts:\n", lambda i: "- a\n"),
    "many small mappings": lambda: fill(
        "history:\n", lambda i: f"- {{at: x, who: y, what: z{i}}}\n"
    ),
    "deep but allowed": lambda: fill("title:\n", deep),
    "one long string": lambda: "title: " + "x" * (LIMIT - 8) + "\n",
    "strings at the text limit": lambda: fill(
        "", lambda i: f"k{i}: " + "x" * (yamlio.MAX_STRING - 10) + "\n"
    ),
    "valid, near every limit": lambda: fill(
        "schema_version: 1\nid: x\ntitle: x\ncreated_at: '2026-11-24T09:00:00Z'\n"
        "updated_at: '2026-11-24T09:00:00Z'\nhistory:\n",
        lambda i: f"- {{at: '2026-11-24T09:00:00Z', who: ana, what: {i} " + "w" * 700 + "}\n",
    ),
    "wrongly typed items": lambda: fill(
        "schema_version: 1\nid: x\ntitle: x\ncreated_at: '2026-11-24T09:00:00Z'\n"
        "updated_at: '2026-11-24T09:00:00Z'\nhistory:\n",
        lambda i: f"- {{at: {i}, who: {i}, what: {i}, n: " + "x" * 200 + "}\n",
    ),
    "wrong items, capped list": lambda: fill(
        "schema_version: 1\nid: x\ntitle: x\ncreated_at: '2026-11-24T09:00:00Z'\n"
        "updated_at: '2026-11-24T09:00:00Z'\nanalysts: [",
        lambda i: f"{i}, ",
        "1]\n",
    ),
}


def generate(where: Path) -> None:
    """Write one file per shape (run in a child: ru_maxrss survives exec, so the parent that
    forks the measuring children must stay small)."""
    for n, (name, make) in enumerate(SHAPES.items()):
        (where / f"{n}-{name.replace(' ', '-')}.yaml").write_text(make(), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="write the generated files here")
    parser.add_argument("--generate", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate(args.generate)
        return
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {"PYTHONPATH": src, "PATH": "/usr/bin:/bin"}
    over = False
    with tempfile.TemporaryDirectory() as tmp:
        where = args.keep or Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, __file__, "--generate", str(where)], check=True, env=env)
        print(f"{'shape':28} {'MiB':>5} {'CPU s':>6} {'RSS MB':>7}  outcome")
        for n, name in enumerate(SHAPES):
            path = where / f"{n}-{name.replace(' ', '-')}.yaml"
            res = subprocess.run(
                [sys.executable, "-c", CHILD, str(path)],
                capture_output=True,
                text=True,
                check=True,
                env=env,
            )
            r = json.loads(res.stdout)
            mark = ""
            if r["cpu"] > CPU_BUDGET or r["rss"] > RSS_BUDGET_MB:
                mark, over = "  OVER BUDGET", True
            mib = path.stat().st_size / 2**20
            lines = f" ({r['lines']} lines)" if r["lines"] > 1 else ""
            outcome = r["outcome"]
            print(f"{name:28} {mib:5.1f} {r['cpu']:6.2f} {r['rss']:7.1f}  {outcome}{lines}{mark}")
    sys.exit(1 if over else 0)


if __name__ == "__main__":
    main()
