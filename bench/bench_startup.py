"""Whole-process start-up of ktcli against its unavoidable libraries.

Prints, from one run on one machine (medians of --runs runs, interleaved so that
noise hits both sides alike):

* ``ktcli --help`` against ``--help`` of a minimal two-command typer app
  (target: at most 1.25x);
* ``ktcli export`` of the worked example against
  ``python -c "import typer, yaml; from pydantic import BaseModel"`` (target: at most 1.3x);
* ``ktcli show --json`` of the worked example and ``ktcli list --json`` of a store
  holding it, against the same baseline and target: the reads scripts run;
* for context, a minimal typer app *running* a command with three parameters
  against the same baseline: typer's own cost of dispatching a command.

With ``--instructions`` each side runs once under valgrind's cachegrind and the
instruction counts are compared instead: they do not move with the machine's load.

Usage: python bench/bench_startup.py [--runs N] [--instructions]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "checkout-latency.yaml"

MINIMAL_APP = '''
import typer

app = typer.Typer()


@app.command()
def hello(name: str) -> None:
    """Say hello."""
    print(f"hello {name}")


@app.command()
def bye() -> None:
    """Say bye."""
    print("bye")


app()
'''

# For context only: what typer itself costs to run one command with parameters.
# typer 0.29 builds a pydantic TypeAdapter per parameter (importing pydantic.types,
# annotated_types and the plugin machinery), which the import-only baseline omits.
MINIMAL_APP_RUN = """
from pathlib import Path
from typing import Optional

import typer

app = typer.Typer()


@app.callback()
def main(store: Optional[Path] = typer.Option(None), analyst: Optional[str] = typer.Option(None)):
    pass


@app.command()
def export(target: str, fmt: str = "yaml", output: Optional[Path] = None) -> None:
    print(target, fmt, output)


@app.command()
def bye() -> None:
    print("bye")


app()
"""


def ktcli_command() -> list[str]:
    """The console script installed next to this interpreter, as a user runs it."""
    script = Path(sys.executable).with_name("ktcli")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ktcli"]


def timed(argv: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def instructions(argv: list[str], env: dict[str, str]) -> int:
    """Instructions executed by the whole process (cachegrind's "I refs")."""
    res = subprocess.run(
        [
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
            *argv,
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", res.stderr)
    if found is None:
        raise SystemExit(f"no instruction count from valgrind:\n{res.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def compare_instructions(
    label: str, ours: list[str], base: list[str], env: dict[str, str], target: float
) -> None:
    for argv in (ours, base):  # .pyc files written, page cache warm
        subprocess.run(argv, env=env, capture_output=True, check=True)
    a, b = instructions(ours, env), instructions(base, env)
    verdict = "ok" if a / b <= target else "OVER TARGET"
    print(f"{label}")
    print(f"  command  {a / 1e6:9.1f} M instructions")
    print(f"  baseline {b / 1e6:9.1f} M instructions")
    print(f"  ratio    {a / b:.3f}  target <= {target}  {verdict}")


def compare(
    label: str, ours: list[str], base: list[str], runs: int, env: dict[str, str], target: float
) -> None:
    for argv in (ours, base):  # warm the page cache and .pyc files
        timed(argv, env)
    a: list[float] = []
    b: list[float] = []
    for _ in range(runs):
        a.append(timed(ours, env))
        b.append(timed(base, env))
    ma, mb = statistics.median(a), statistics.median(b)
    verdict = "ok" if ma / mb <= target else "OVER TARGET"
    print(f"{label}")
    print(f"  command  median {ma * 1000:7.1f} ms  (min {min(a) * 1000:.1f})")
    print(f"  baseline median {mb * 1000:7.1f} ms  (min {min(b) * 1000:.1f})")
    print(f"  ratio    {ma / mb:.3f}  target <= {target}  {verdict}")


def compile_ktcli() -> None:
    """Byte-compile ktcli as a wheel install would.

    An editable install (and PYTHONDONTWRITEBYTECODE=1) leaves ktcli without
    .pyc files while its dependencies have them; compiling on every start would
    be measured as ktcli's own cost.
    """
    import ktcli

    package = Path(ktcli.__file__).parent
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], env=env, check=True)


def _compare(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """Timing or instruction counts, with the same arguments for both."""
    if args.instructions:
        return compare_instructions
    return lambda label, ours, base, env, target: compare(label, ours, base, args.runs, env, target)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions with cachegrind"
    )
    args = parser.parse_args()
    compile_ktcli()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "KTCLI_HOME": str(Path(tmp) / "store"),
            "NO_COLOR": "1",
            "COLUMNS": "80",
        }
        mini = Path(tmp) / "mini.py"
        mini.write_text(MINIMAL_APP, encoding="utf-8")
        compare = _compare(args)
        compare(
            "ktcli --help  vs  minimal two-command typer app --help",
            [*ktcli_command(), "--help"],
            [sys.executable, str(mini), "--help"],
            env,
            1.25,
        )
        compare(
            f"ktcli export {EXAMPLE.relative_to(ROOT)}  vs  import typer, yaml, pydantic.BaseModel",
            [*ktcli_command(), "export", str(EXAMPLE)],
            [sys.executable, "-c", "import typer, yaml; from pydantic import BaseModel"],
            env,
            1.3,
        )
        baseline = [sys.executable, "-c", "import typer, yaml; from pydantic import BaseModel"]
        compare(
            f"ktcli show {EXAMPLE.relative_to(ROOT)} --json  vs  the same imports",
            [*ktcli_command(), "show", str(EXAMPLE), "--json"],
            baseline,
            env,
            1.3,
        )
        # A store holding the example, its index built by the first (warm-up) run.
        subprocess.run(
            [*ktcli_command(), "import", str(EXAMPLE)], env=env, capture_output=True, check=True
        )
        compare(
            "ktcli list --json (one analysis, index built)  vs  the same imports",
            [*ktcli_command(), "list", "--json"],
            baseline,
            env,
            1.3,
        )
        run_app = Path(tmp) / "mini_run.py"
        run_app.write_text(MINIMAL_APP_RUN, encoding="utf-8")
        compare(
            "for context: a minimal typer app running a 3-parameter command  vs  the same imports",
            [sys.executable, str(run_app), "export", str(EXAMPLE)],
            [sys.executable, "-c", "import typer, yaml; from pydantic import BaseModel"],
            env,
            1.3,
        )


if __name__ == "__main__":
    main()
