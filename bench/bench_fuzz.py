"""Mutated handoffs and playbooks through the readers: refused cleanly, never a traceback.

Starts from ``examples/checkout-latency.yaml`` and ``playbooks/*.yaml``, applies
random byte and line mutations (flips, deletions, duplicated lines, YAML tags,
anchors and aliases, deep nesting, NUL, invalid UTF-8, huge numbers, wrong
types) and feeds each to ``parse_analysis`` or ``parse_playbook`` in-process; a
sample also goes through ``ktcli import FILE`` in a subprocess::

    python bench/bench_fuzz.py [--count 10000] [--seed 16] [--cli 200]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ktcli import yamlio
from ktcli.core.document import parse_analysis
from ktcli.errors import KtError
from ktcli.playbooks.files import parse_playbook

ROOT = Path(__file__).resolve().parent.parent
LOCATED = re.compile(r"^[^:]+:\d+:\d+: ")
# A long error list ends with one summary line, which has no place of its own to name.
SUMMARY = re.compile(r"^[^:]+: \.\.\. and \d+ more problems?$")


def is_located(message: str) -> bool:
    """Every line of a refusal names file:line:col (the closing summary line excepted)."""
    lines = message.splitlines()
    if lines and SUMMARY.match(lines[-1]):
        lines = lines[:-1]
    return bool(lines) and all(LOCATED.match(line) for line in lines)


INSERTS = [
    b"!!python/object:os.system ",
    b"!!python/object/apply:os.system ['true'] ",
    b"!!binary ",
    b"!!set ",
    b"&a ",
    b"*a ",
    b"*undefined ",
    b"<<: *a\n",
    b"\x00",
    b"\xff\xfe",
    b"\xc3\x28",
    b"\xed\xa0\x80",
    b"9" * 400,
    b"1e999999",
    b"-.inf",
    b".nan",
    b"0x" + b"f" * 64,
    b"[" * 200 + b"]" * 200,
    b"{" * 200 + b"}" * 200,
    b"- " * 120 + b"x",
    b"[]",
    b"{}",
    b"null",
    b"true",
    b"~",
    b"? complex\n: key\n",
    b"---\n",
    b"...\n",
    b"%YAML 1.1\n",
    b"%TAG ! tag:evil:\n",
    b"\t",
    b'"unterminated',
    b"'x''",
    b"|-\n",
    b">\n",
    b"\r",
    "\u2028".encode(),  # LINE SEPARATOR
    b"\xef\xbb\xbf",
]


def _flip(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    i = rng.randrange(len(data))
    return data[:i] + bytes([data[i] ^ (1 << rng.randrange(8))]) + data[i + 1 :]


def _delete(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    i = rng.randrange(len(data))
    return data[:i] + data[i + rng.randint(1, 64) :]


def _insert(data: bytes, rng: random.Random) -> bytes:
    i = rng.randrange(len(data) + 1)
    return data[:i] + rng.choice(INSERTS) + data[i:]


def _lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    i = rng.randrange(len(lines))
    op = rng.randrange(4)
    if op == 0:
        lines.insert(i, lines[rng.randrange(len(lines))])  # duplicate a line elsewhere
    elif op == 1:
        del lines[i]
    elif op == 2:
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    else:
        lines[i] = b"  " * rng.randint(0, 8) + lines[i].lstrip()  # re-indent
    return b"\n".join(lines)


def _value(data: bytes, rng: random.Random) -> bytes:
    """Replace one scalar value with a value of the wrong type or an alias bomb."""
    lines = data.split(b"\n")
    candidates = [i for i, ln in enumerate(lines) if b": " in ln]
    if not candidates:
        return data
    i = rng.choice(candidates)
    key = lines[i].split(b": ", 1)[0]
    wrong = rng.choice(
        [b"[1, 2]", b"{a: 1}", b"12345678901234567890123456789", b"true", b"null", b"3.5",
         b"&x [*x]", b"!!int abc", b"2026-13-45", b'"' + b"A" * 5000 + b'"', b"*nowhere"]
    )  # fmt: skip
    lines[i] = key + b": " + wrong
    return b"\n".join(lines)


def _nest(data: bytes, rng: random.Random) -> bytes:
    depth = rng.choice([50, 500, 5000])
    return data + b"\nextra: " + b"[" * depth + b"]" * depth + b"\n"


def _billion(data: bytes, rng: random.Random) -> bytes:
    bomb = [b"a: &a [x, x, x, x, x, x, x, x, x]"]
    for k in range(1, 9):
        prev = chr(ord("a") + k - 1).encode()
        cur = chr(ord("a") + k).encode()
        bomb.append(cur + b": &" + cur + b" [" + b", ".join([b"*" + prev] * 9) + b"]")
    return data + b"\n" + b"\n".join(bomb) + b"\n"


MUTATIONS: list[Callable[[bytes, random.Random], bytes]] = [
    _flip, _delete, _insert, _lines, _value, _nest, _billion,
]  # fmt: skip


def mutate(data: bytes, rng: random.Random) -> bytes:
    for _ in range(rng.choice([1, 1, 1, 2, 3, 5])):
        data = rng.choice(MUTATIONS[:5] if rng.random() < 0.9 else MUTATIONS)(data, rng)
    return data


def seeds() -> list[tuple[str, bytes]]:
    """(kind, bytes) of each starting file: 'handoff' or 'playbook'."""
    out = [("handoff", (ROOT / "examples" / "checkout-latency.yaml").read_bytes())]
    out += [("playbook", p.read_bytes()) for p in sorted((ROOT / "playbooks").glob("*.yaml"))]
    return out


@dataclass
class Tally:
    accepted: int = 0
    located: int = 0
    unlocated: int = 0
    tracebacks: list[tuple[str, bytes, str]] = field(default_factory=list)
    unlocated_samples: list[tuple[bytes, str]] = field(default_factory=list)
    slowest: tuple[float, str, int] = (0.0, "", 0)


def feed(kind: str, data: bytes, tally: Tally) -> None:
    """One input through its reader, counted in ``tally``."""
    name = "fuzz.yaml"
    started = time.perf_counter()
    try:
        text = yamlio.decode(data, name)  # as ``ktcli import`` reads a file's bytes
        if kind == "handoff":
            parse_analysis(text, name)
        else:
            parse_playbook(text, name)
    except KtError as exc:
        if is_located(str(exc)):
            tally.located += 1
        else:
            tally.unlocated += 1
            if len(tally.unlocated_samples) < 5:
                tally.unlocated_samples.append((data, str(exc)))
    except Exception:
        tally.tracebacks.append((kind, data, traceback.format_exc()))
    else:
        tally.accepted += 1
    took = time.perf_counter() - started
    if took > tally.slowest[0]:
        shape = f"{kind}, {len(data)} bytes, starts {data[:40]!r}"
        tally.slowest = (took, shape, len(data))


def run(count: int, seed: int) -> tuple[Tally, list[tuple[str, bytes]]]:
    rng = random.Random(seed)
    base = seeds()
    tally = Tally()
    inputs: list[tuple[str, bytes]] = []
    for _ in range(count):
        kind, data = rng.choice(base)
        mutated = mutate(data, rng)
        inputs.append((kind, mutated))
        feed(kind, mutated, tally)
    return tally, inputs


def through_cli(inputs: list[tuple[str, bytes]], workdir: Path) -> tuple[int, list[str]]:
    """Each input to ``ktcli import FILE``; the stderr of any run that shows a traceback."""
    bad: list[str] = []
    env = {k: v for k, v in os.environ.items() if not k.startswith("KTCLI_")}
    env.update(NO_COLOR="1", KTCLI_HOME=str(workdir / "store"), KTCLI_ANALYST="fuzz")
    env["KTCLI_CACHE"] = str(workdir / "validated")
    for n, (_kind, data) in enumerate(inputs):
        path = workdir / f"in-{n}.yaml"
        path.write_bytes(data)
        res = subprocess.run(
            [sys.executable, "-m", "ktcli", "import", str(path)],
            env=env, capture_output=True, text=True, errors="replace", timeout=60, check=False,
        )  # fmt: skip
        if "Traceback" in res.stderr or res.returncode not in (0, 1, 2):
            bad.append(f"{path}: exit {res.returncode}\n{res.stderr[-2000:]}")
    return len(inputs), bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--cli", type=int, default=200, help="inputs also run through ktcli")
    args = parser.parse_args()
    started = time.perf_counter()
    tally, inputs = run(args.count, args.seed)
    elapsed = time.perf_counter() - started
    print(f"inputs                         {args.count} (seed {args.seed}, {elapsed:.1f} s)")
    print(f"accepted                       {tally.accepted}")
    print(f"refused, file:line:col         {tally.located}")
    print(f"refused, no line/column        {tally.unlocated}")
    print(f"tracebacks                     {len(tally.tracebacks)}")
    took, shape, _ = tally.slowest
    print(f"slowest                        {took * 1000:.1f} ms ({shape})")
    for data, message in tally.unlocated_samples:
        print(f"  unlocated: {message[:300]!r} <- {data[:60]!r}")
    keep = Path(tempfile.mkdtemp(prefix="ktcli-fuzz-"))
    for n, (kind, data, tb) in enumerate(tally.tracebacks[:5]):
        (keep / f"tb-{n}.{kind}.yaml").write_bytes(data)
        print(f"  traceback {n} ({keep}/tb-{n}.{kind}.yaml):\n{tb}")
    sample = random.Random(args.seed).sample(inputs, min(args.cli, len(inputs)))
    ran, bad = through_cli(sample, keep)
    print(f"through ktcli import           {ran}, tracebacks on stderr: {len(bad)}")
    for text in bad[:3]:
        print(text)


if __name__ == "__main__":
    main()
