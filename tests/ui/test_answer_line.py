"""The line a typed answer is written on: word wrap and completion, through pipe input.

The prompt is drawn by prompt_toolkit into a VT100 stream of a fixed size;
``tests.e2e.screen`` turns that stream into the rows a terminal would show.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.buffer import Buffer
from prompt_toolkit.data_structures import Size
from prompt_toolkit.document import Document
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.layout.controls import BufferControl
from prompt_toolkit.layout.processors import Transformation, TransformationInput
from prompt_toolkit.output.vt100 import Vt100_Output

from ktcli.session.questions import Question
from ktcli.ui.answer_line import WordWrap
from ktcli.ui.prompts import QuestionaryPrompter
from tests.e2e.screen import Screen

LEFT, RIGHT, HOME, END, BACKSPACE, TAB = "\x1b[D", "\x1b[C", "\x1b[H", "\x1b[F", "\x7f", "\t"
LONG = (
    "the connection-pool of checkout-svc ran out of connections after the deploy of "
    "release 4.2 at 14:02 yesterday afternoon, for every order placed in the EU shop"
)
WORDS = ("connection-pool", "checkout-svc", "connections", "yesterday")


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    with create_pipe_input() as inp:
        yield inp


def drawn(pipe: PipeInput, keys: str, width: int, words: tuple[str, ...] = WORDS) -> tuple:
    """The answer, and the rows on the screen once it is entered."""
    stream = io.StringIO()
    output = Vt100_Output(stream, lambda: Size(rows=30, columns=width), term="xterm")
    question = Question("q", "statement", "text", "What exactly is wrong with it?", words=words)
    with create_app_session(input=pipe, output=output):
        pipe.send_text(keys)
        answer = QuestionaryPrompter(io.StringIO(), output=output).ask(question)
    screen = Screen(30, width)
    screen.feed(stream.getvalue())
    rows = screen.lines()
    start = next(n for n, row in enumerate(rows) if row.startswith("? What exactly"))
    return answer, rows[start:]


@pytest.mark.parametrize("width", [60, 160])
def test_a_long_answer_wraps_at_words(pipe: PipeInput, width: int) -> None:
    answer, rows = drawn(pipe, LONG + "\r", width)
    assert answer == LONG
    assert all(len(row) <= width for row in rows)
    typed = [row.removeprefix("? What exactly is wrong with it? ") for row in rows]
    # Every row ends at a word's end and the next starts a word: joined by one space.
    assert " ".join(typed) == LONG
    if width == 60:
        assert rows == [
            "? What exactly is wrong with it? the connection-pool of",
            "checkout-svc ran out of connections after the deploy of",
            "release 4.2 at 14:02 yesterday afternoon, for every order",
            "placed in the EU shop",
        ]
    else:
        assert len(rows) == 2


def test_a_word_ending_at_the_edge_does_not_push_its_space_to_the_next_row(
    pipe: PipeInput,
) -> None:
    # The prompt is 33 columns: the third word ends at column 60 exactly.
    text = "abcdefghij abcdefghij abcde next word"
    answer, rows = drawn(pipe, text + "\r", 60)
    assert answer == text
    assert rows == ["? What exactly is wrong with it? abcdefghij abcdefghij abcde", "next word"]


def test_editing_keys_work_on_the_text_as_typed_across_rows(pipe: PipeInput) -> None:
    keys = LONG + LEFT * 6 + BACKSPACE + "X" + HOME + "Y" + END + BACKSPACE + RIGHT + "!\r"
    answer, rows = drawn(pipe, keys, 60)
    assert answer == "Y" + LONG[:-7] + "X" + LONG[-6:-1] + "!"
    assert " ".join(r.removeprefix("? What exactly is wrong with it? ") for r in rows) == answer


def test_tab_takes_the_completion_of_the_word_being_typed(pipe: PipeInput) -> None:
    keys = "the co" + TAB + " of ch" + TAB + " ran out " + "Yes" + TAB + "\r"
    answer, _ = drawn(pipe, keys, 60)
    # The first word that fits, in any case when none has the case typed.
    assert answer == "the connection-pool of checkout-svc ran out Yesterday"


def test_tab_without_a_completion_changes_nothing(pipe: PipeInput) -> None:
    # One character is not enough; "zz" starts no word of the analysis.
    answer, _ = drawn(pipe, "c" + TAB + " zz" + TAB + "\r", 60)
    assert answer == "c zz"


def test_the_completion_is_drawn_greyed_after_the_cursor(pipe: PipeInput) -> None:
    # Right at the end of the line takes it too (prompt_toolkit's own key, as in fish).
    stream = io.StringIO()
    output = Vt100_Output(stream, lambda: Size(rows=30, columns=60), term="xterm")
    question = Question("q", "statement", "text", "What exactly is wrong?", words=WORDS)
    done: list[object] = []

    def ask() -> None:
        with create_app_session(input=pipe, output=output):
            done.append(QuestionaryPrompter(io.StringIO(), output=output).ask(question))

    worker = threading.Thread(target=ask)
    worker.start()
    pipe.send_text("yest")
    for _ in range(200):
        if "erday" in stream.getvalue():
            break
        worker.join(0.05)
    shown = stream.getvalue()
    pipe.send_text(RIGHT + "\r")
    worker.join(10)
    assert "erday" in shown
    assert done == ["yesterday"]


def transform(text: str, width: int) -> tuple[str, Transformation]:
    """The processor alone on one line, no prompt before it."""
    buffer = Buffer(document=Document(text))
    ti = TransformationInput(
        BufferControl(buffer), buffer.document, 0, lambda i: i, [("", text)], width, 5
    )
    tx = WordWrap().apply_transformation(ti)
    return "".join(t for _, t, *_ in tx.fragments), tx


def test_positions_map_both_ways_through_the_padding() -> None:
    text = "alpha bravo charlie delta echo foxtrot"
    shown, tx = transform(text, 12)
    rows = [shown[i : i + 12] for i in range(0, len(shown), 12)]
    assert rows == ["alpha bravo ", "charlie     ", "delta echo  ", "foxtrot"]
    for i in range(len(text) + 1):
        d = tx.source_to_display(i)
        assert tx.display_to_source(d) == i
        if i < len(text):
            assert shown[d] == text[i]
    # A click on the padding lands at the start of the word after it.
    assert tx.display_to_source(shown.index("     ") + 1) == text.index("delta")


def test_a_word_wider_than_a_row_is_left_to_wrap_at_characters() -> None:
    shown, _ = transform("ab abcdefghijklmnop", 8)
    assert shown == "ab abcdefghijklmnop"
