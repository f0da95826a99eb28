"""Time from a keypress in the cause-test matrix to the screen redrawn, on 200 causes x 30 rows.

The real screen (``ktcli.ui.matrix``) runs as a prompt_toolkit application with
a pipe for its keyboard and a VT100 output into memory at 160 x 50; each key is
sent alone, and the time runs until the application has finished drawing the
result (its ``after_render`` event). Verdicts are applied to the analysis as in
a session (the save callback is left out: bench/bench_save.py times saving).

Usage: python -m compileall -q src && python bench/bench_matrix.py
"""

from __future__ import annotations

import asyncio
import io
import statistics
import time

from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output

from generate import big_analysis
from ktcli.session.catalogue.tests import apply_mark
from ktcli.session.questions import Board, Mark
from ktcli.ui.matrix import MatrixScreen, matrix_app

DOWN, RIGHT = "\x1b[B", "\x1b[C"
#: Moves, verdicts with a short note, and a skip offer: what an analyst's keys do most.
KEYS = [RIGHT, DOWN, "e", "x", "r", "o", "a", "\r"] * 60


async def _measure(columns: int, rows: int) -> list[float]:
    a = big_analysis(200, 30)
    for cause in a.causes[100:]:
        cause.tests.clear()

    def mark(m: Mark) -> str:
        apply_mark(a, m)
        return ""

    screen = MatrixScreen(Board(a, mark))
    out = Vt100_Output(io.StringIO(), lambda: Size(rows=rows, columns=columns), term="xterm")
    times: list[float] = []
    with create_pipe_input() as inp:
        app = matrix_app(screen, input=inp, output=out)
        drawn = asyncio.Event()
        app.after_render += lambda _: drawn.set()
        task = asyncio.ensure_future(app.run_async())
        await drawn.wait()
        for key in KEYS:
            drawn.clear()
            start = time.perf_counter()
            inp.send_text(key)
            await drawn.wait()
            times.append(time.perf_counter() - start)
        inp.send_text("q")
        await task
    return times


def main() -> None:
    for columns, rows in ((160, 50), (60, 24)):
        times = sorted(asyncio.run(_measure(columns, rows)))
        p99 = times[int(len(times) * 0.99) - 1]
        print(
            f"matrix 200 causes x 30 rows at {columns}x{rows}: keypress to screen drawn, "
            f"{len(times)} keys: median {statistics.median(times) * 1e3:.1f} ms, "
            f"p99 {p99 * 1e3:.1f} ms, max {times[-1] * 1e3:.1f} ms"
        )


if __name__ == "__main__":
    main()
