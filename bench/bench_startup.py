"""Whole-process start-up of ktcli against its unavoidable libraries.

Prints, from one run on one machine, wall medians of --runs interleaved runs and,
with ``--instructions``, the instruction counts of one run of each side under
valgrind's cachegrind (which do not move with the machine's load); both sides
of a row are run the same way (``bench/startup.py``):

* ``ktcli --help`` against ``--help`` of a minimal two-command typer app
  (target: at most 1.15x);
* ``ktcli export ID`` of the worked example, stored and exported once before,
  against ``python -c "import typer, yaml; from pydantic import BaseModel"``
  (target: at most 1.3x);
* ``ktcli show ID --json`` and ``ktcli list --json`` of a store holding the
  example, against the same baseline and target: the reads scripts run;
* for context, the same export when nothing was validated before (the full
  path: parse, validate, emit), and a minimal typer app *running* a command
  with three parameters against the same baseline: typer's own cost of
  dispatching a command.

Usage: python bench/bench_startup.py [--runs N] [--instructions]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from startup import Side, compare, compile_ktcli, ktcli_command

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


BASELINE = "import typer, yaml; from pydantic import BaseModel"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions with cachegrind too"
    )
    args = parser.parse_args()
    compile_ktcli()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "KTCLI_HOME": str(Path(tmp) / "store"),
            "KTCLI_CACHE": str(Path(tmp) / "validated"),
            "NO_COLOR": "1",
            "COLUMNS": "80",
        }
        subprocess.run(
            [*ktcli_command(), "import", str(EXAMPLE)], env=env, capture_output=True, check=True
        )
        # A cache folder that cannot be created: every export takes the full path.
        cold = {**env, "KTCLI_CACHE": str(EXAMPLE / "no-cache")}
        mini = Path(tmp) / "mini.py"
        mini.write_text(MINIMAL_APP, encoding="utf-8")
        run_app = Path(tmp) / "mini_run.py"
        run_app.write_text(MINIMAL_APP_RUN, encoding="utf-8")
        baseline = Side([sys.executable, "-c", BASELINE])
        export = Side([*ktcli_command(), "export", EXAMPLE.stem])
        rows = (
            (
                "ktcli --help  vs  minimal two-command typer app --help",
                Side([*ktcli_command(), "--help"]),
                Side([sys.executable, str(mini), "--help"]),
                env,
                1.15,
            ),
            (
                f"ktcli export {EXAMPLE.stem} (exported before)  vs  {BASELINE}",
                export,
                baseline,
                env,
                1.3,
            ),
            (
                f"ktcli show {EXAMPLE.stem} --json  vs  the same",
                Side([*ktcli_command(), "show", EXAMPLE.stem, "--json"]),
                baseline,
                env,
                1.3,
            ),
            (
                "ktcli list --json (one analysis, index built)  vs  the same",
                Side([*ktcli_command(), "list", "--json"]),
                baseline,
                env,
                1.3,
            ),
            (
                f"for context: ktcli export {EXAMPLE.stem}, nothing validated before  vs  the same",
                export,
                baseline,
                cold,
                1.3,
            ),
            (
                "for context: a minimal typer app running a 3-parameter command  vs  the same",
                Side([sys.executable, str(run_app), "export", str(EXAMPLE)]),
                baseline,
                env,
                1.3,
            ),
        )
        for label, ours, base, row_env, target in rows:
            compare(
                label,
                ours,
                base,
                row_env,
                target,
                runs=args.runs,
                count_instructions=args.instructions,
            )


if __name__ == "__main__":
    main()
