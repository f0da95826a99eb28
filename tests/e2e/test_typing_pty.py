"""Typing an answer in a real terminal at 60 columns: wrapped at words, words completed.

The terminal's output is replayed on ``tests.e2e.screen`` to see the rows as
the analyst sees them, the cursor included.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from ktcli import yamlio
from tests.e2e import pty_env, wait_until
from tests.e2e.screen import Screen

pexpect = pytest.importorskip("pexpect")

pytestmark = pytest.mark.pty

ID = "inc-1"
TITLE = "connection-pool exhausted on checkout-svc"
ROWS, COLUMNS = 24, 60


def spawn(tmp_path: Path) -> tuple[pexpect.spawn, io.StringIO]:
    child = pexpect.spawn(
        sys.executable, ["-m", "ktcli", "new", "--title", TITLE, "--id", ID, "--depth", "quick"],
        env=pty_env(tmp_path / "store", columns=COLUMNS, lines=ROWS), cwd=str(tmp_path),
        encoding="utf-8", timeout=30, dimensions=(ROWS, COLUMNS),
    )  # fmt: skip
    seen = io.StringIO()
    child.logfile_read = seen
    return child, seen


def screen_of(child: pexpect.spawn, seen: io.StringIO) -> Screen:
    """The screen as the output so far leaves it (what is waiting is read first)."""
    try:
        while True:
            child.read_nonblocking(65536, timeout=0.05)
    except pexpect.TIMEOUT:
        pass
    screen = Screen(ROWS, COLUMNS)
    screen.feed(seen.getvalue())
    return screen


def test_an_answer_typed_at_60_columns_wraps_at_words_and_completes_words(
    tmp_path: Path,
) -> None:
    child, seen = spawn(tmp_path)
    child.expect_exact("What does this problem cost the customer's business?")
    child.sendline("EU orders fail at checkout")
    child.expect_exact("Which one object shows the problem?")
    child.sendline("checkout-svc in eu-1")
    child.expect_exact("What exactly is wrong with it?")
    # "conn" and Tab: the title's word; "exh" and Tab, "orde" and Tab: earlier answers'.
    child.send("its conn")

    def offered() -> bool:
        # The rest of the title's word after the cursor, in italic (NO_COLOR: no grey).
        screen_of(child, seen)
        return "\x1b[0;3mection-pool" in seen.getvalue()

    wait_until(offered)
    child.send("\t runs out: exh\t for ten minutes while the orde\t placed fail with errors")
    wanted = (
        "its connection-pool runs out: exhausted for ten minutes while the orders placed "
        "fail with errors"
    )

    def drawn() -> bool:
        return "with errors" in "".join(screen_of(child, seen).lines())

    wait_until(drawn)
    screen = screen_of(child, seen)
    rows = screen.lines()
    # The question is long: the answer has the line below it, after two spaces.
    start = next(n for n, row in enumerate(rows) if row.startswith("  its "))
    assert rows[start:] == [
        "  its connection-pool runs out: exhausted for ten minutes",
        "while the orders placed fail with errors",
    ]
    assert " ".join(rows[start:]).strip() == wanted
    assert all(len(row) <= COLUMNS for row in rows)
    # The cursor stands right after the last character typed.
    assert (screen.y, screen.x) == (start + 1, len("while the orders placed fail with errors"))
    child.send("\x1b[H")  # Home: the cursor back to the answer's start

    def home() -> bool:
        s = screen_of(child, seen)
        return (s.y, s.x) == (start, 2)

    wait_until(home)
    child.send("\r")
    child.expect_exact("Who or what told you this?")
    child.sendcontrol("d")
    child.expect(pexpect.EOF)
    child.close()
    data = yamlio.parse((tmp_path / "store" / f"{ID}.yaml").read_text("utf-8"), "saved")
    assert isinstance(data, dict)
    assert data["statement"]["deviation"] == wanted
