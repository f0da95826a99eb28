"""The matrix screen: its state machine, its drawing at 60 and 160 columns, its keys."""

from __future__ import annotations

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from ktcli.core.model import Analysis
from ktcli.session.catalogue.tests import apply_mark
from ktcli.session.questions import Board, Command, Mark
from ktcli.ui.matrix import MatrixScreen, cut, matrix_app
from tests.session.scripts import drive, fresh, full_answers

RIGHT, DOWN = "\x1b[C", "\x1b[B"


def untested() -> tuple[Analysis, list[Mark]]:
    a = fresh(depth=None)
    drive(a, full_answers())
    for cause in a.causes:
        cause.tests.clear()
    a.causes[0].text = "DB connection pool too small in build 42, " * 4
    return a, []


def screen_of(a: Analysis, marks: list[Mark]) -> MatrixScreen:
    def mark(m: Mark) -> str:
        marks.append(m)
        apply_mark(a, m)
        return ""

    return MatrixScreen(Board(a, mark))


def run_keys(screen: MatrixScreen, keys: str) -> object:
    with create_pipe_input() as inp:
        inp.send_text(keys)
        return matrix_app(screen, input=inp, output=DummyOutput()).run()


@pytest.mark.parametrize("width", [60, 100, 160])
def test_every_line_fits_the_width_and_long_text_ends_in_an_ellipsis(width: int) -> None:
    a, marks = untested()
    screen = screen_of(a, marks)
    screen.width, screen.height = width, 30
    lines = [text for _, text in screen.lines()]
    assert lines[0] == "Testing the causes · c1 · 1/3 · 0/6 tested"[:width]
    assert all(len(line) <= width for line in lines)
    assert all(line == line.rstrip() for line in lines), "no trailing spaces"
    long = next(line for line in lines if line.startswith("c1 "))
    assert long.endswith("…")
    assert any("Ranking so far:" in line for line in lines)


def test_keys_move_take_verdicts_with_notes_and_leave() -> None:
    a, marks = untested()
    screen = screen_of(a, marks)
    result = run_keys(screen, "ebecause orders only\r" + DOWN + "x\r" + "q")
    assert result == ""
    assert marks == [
        Mark("c1", "what-object", "explains", "because orders only"),
        Mark("c2", "what-deviation", "does_not_explain", ""),
    ]


def test_enter_on_the_grid_leaves_only_once_every_cell_is_decided() -> None:
    a, marks = untested()
    screen = screen_of(a, marks)
    # The note's Enter, then another Enter and a CR LF: still on the grid, told how to leave.
    assert run_keys(screen, "ea\r\r" + "eb\r\n" + "\x04") is Command.QUIT
    assert [m.note for m in marks] == ["a", "b"]
    assert screen.message == "4 cells are open: q leaves the matrix (they wait for ktcli resume)."
    # The last open cells decided: Enter is done.
    assert run_keys(screen, "ec\red\ree\ref\r" + "\r" + "\x04") == ""
    assert len(marks) == 6


def test_skip_is_offered_after_does_not_explain_only() -> None:
    a, marks = untested()
    screen = screen_of(a, marks)
    run_keys(screen, "s" + "xno\r" + "s" + "q")
    assert [m.verdict for m in marks] == ["does_not_explain", "skip", "skip"]
    assert a.causes[0].skipped == ["what-deviation", "where-location"]
    # The counter tells tested cells from skipped ones: a skip is not a test.
    assert screen.lines()[0][1].endswith("1/6 tested · 2 skipped")


def test_only_if_refuses_an_empty_assumption_and_esc_takes_no_verdict() -> None:
    a, marks = untested()
    screen = screen_of(a, marks)
    run_keys(screen, "o\r\x1bq")
    assert marks == []
    assert screen.verdict is None


@pytest.mark.parametrize(("key", "expected"), [("\x04", Command.QUIT), ("\x10", Command.BACK)])
def test_special_keys_leave_with_their_command(key: str, expected: Command) -> None:
    a, marks = untested()
    assert run_keys(screen_of(a, marks), RIGHT + key) is expected


def test_ctrl_c_leaves_with_keyboard_interrupt_after_saving_what_was_marked() -> None:
    a, marks = untested()
    with pytest.raises(KeyboardInterrupt):
        run_keys(screen_of(a, marks), "ekept\r\x03")
    assert marks == [Mark("c1", "what-object", "explains", "kept")]


def test_cut() -> None:
    assert cut("abcdef", 4) == "abc…"
    assert cut("abc", 4) == "abc"


def test_a_note_completes_its_words_from_the_analysis_and_from_notes_just_entered() -> None:
    a, marks = untested()
    screen = screen_of(a, marks)
    assert "connection" in screen.vocabulary.words  # from the cause's text
    # "co" + Tab takes "connection"; a new word of a note is offered in the next one.
    run_keys(screen, "ethe co\t pool\r" + DOWN + "eafterwards\r" + "eaf\t\r" + "q")
    assert [m.note for m in marks] == ["the connection pool", "afterwards", "afterwards"]


def test_tab_while_moving_changes_nothing() -> None:
    a, marks = untested()
    screen = screen_of(a, marks)
    assert run_keys(screen, "\t\tq") == ""
    assert marks == []
