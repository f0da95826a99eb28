"""Whole-process time from ``ktcli new`` to the first prompt drawn, against its libraries.

Baseline: ``import typer, questionary; from pydantic import BaseModel`` and then
the first prompt's question printed, the libraries a guided session cannot
avoid. Both sides run the same way (``bench/startup.py``): in a pseudo-terminal,
a run ends when the first prompt's question reaches it and the process is then
stopped; wall medians of --runs interleaved runs, and with ``--instructions``
the instruction counts of one run of each under cachegrind (target: at most 1.2x).
Every ktcli run starts a new analysis in a store of its own. The untimed first
run of each side records the session's first prompt in the user's state
directory (``cli/first.py``), as any earlier ``ktcli new`` with the same options
would: the timed runs draw it before the model is loaded.

Usage: python bench/bench_new_startup.py [--runs N] [--instructions] [--floor]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from startup import Side, compare, compile_ktcli, ktcli_command

FIRST_PROMPT = "What does this problem cost the customer's business?"
#: Without --title, the title is the first question, asked before the model is loaded.
TITLE_PROMPT = "A short title for this ticket?"


def baseline(question: str) -> str:
    """The libraries, then ``question`` printed; it waits, as a prompt does, until stopped."""
    return (
        "import sys, typer, questionary; from pydantic import BaseModel; "
        f"print({question!r}, flush=True); sys.stdin.read()"
    )


def floor(question: str) -> str:
    """What any typer command drawing a questionary prompt pays before ktcli's own code.

    typer imports its pydantic adapters (``typer._adapters``) to coerce the first
    option of any command, and a real prompt builds a prompt_toolkit application
    where the baseline prints; with ``--floor`` this is measured against the baseline.
    """
    return (
        "import typer, questionary; from pydantic import BaseModel; import typer._adapters; "
        f"questionary.text({question!r}).unsafe_ask()"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions with cachegrind too"
    )
    parser.add_argument(
        "--floor",
        action="store_true",
        help="also time typer's adapters and a real prompt, without ktcli, against the baseline",
    )
    args = parser.parse_args()
    compile_ktcli()
    with tempfile.TemporaryDirectory() as home:
        store = Path(home) / "store"
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(
            KTCLI_HOME=str(store),
            # The first prompt recorded by the warm-up run, in this run's own directory.
            KTCLI_CACHE=str(Path(home) / "validated"),
            TERM="xterm-256color",
            NO_COLOR="1",
            PROMPT_TOOLKIT_NO_CPR="1",
        )
        argv = [*ktcli_command(), "new", "--title", "bench", "--id", "b1", "--depth", "quick"]
        compare(
            "ktcli new -> first prompt  vs  import typer, questionary, BaseModel; print the prompt",
            Side(argv, FIRST_PROMPT, prepare=lambda: shutil.rmtree(store, ignore_errors=True)),
            Side([sys.executable, "-c", baseline(FIRST_PROMPT)], FIRST_PROMPT),
            env,
            1.2,
            runs=args.runs,
            count_instructions=args.instructions,
        )
        compare(
            "ktcli new (no --title) -> the title prompt  vs  the same, printing that question",
            Side(
                [*ktcli_command(), "new", "--id", "b1", "--depth", "quick"],
                TITLE_PROMPT,
                prepare=lambda: shutil.rmtree(store, ignore_errors=True),
            ),
            Side([sys.executable, "-c", baseline(TITLE_PROMPT)], TITLE_PROMPT),
            env,
            1.2,
            runs=args.runs,
            count_instructions=args.instructions,
        )
        if args.floor:
            compare(
                "floor: typer's adapters and a real prompt, no ktcli  vs  the same baseline",
                Side([sys.executable, "-c", floor(TITLE_PROMPT)], TITLE_PROMPT),
                Side([sys.executable, "-c", baseline(TITLE_PROMPT)], TITLE_PROMPT),
                env,
                1.2,
                runs=args.runs,
                count_instructions=args.instructions,
            )


if __name__ == "__main__":
    main()
