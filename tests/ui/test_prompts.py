"""Adapter tests: the real questionary prompts, driven in-process through a pipe input."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from datetime import datetime, timezone

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput

from ktcli.session.questions import Choice, Command, GoTo, Question
from ktcli.ui.prompts import QuestionaryPrompter

DOWN = "\x1b[B"
CTRL = {"p": "\x10", "g": "\x07", "t": "\x14", "d": "\x04", "c": "\x03"}


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        yield inp


@pytest.fixture
def console() -> io.StringIO:
    """Where the prompter writes its notes and hints."""
    return io.StringIO()


def ask(pipe: PipeInput, console: io.StringIO, question: Question, keys: str) -> object:
    pipe.send_text(keys)
    return QuestionaryPrompter(console).ask(question)


def text(**kw: object) -> Question:
    fields: dict[str, object] = {"id": "q", "section": "statement", "kind": "text", "text": "Q?"}
    fields.update(kw)
    return Question(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("question", "keys", "expected"),
    [
        (text(), "Order API\r", "Order API"),
        (text(default="Order API"), "\r", "Order API"),
        (text(default="Order"), " API\r", "Order API"),
        (text(kind="cell"), "?\r", Command.NEED_DATA),
        (text(kind="cell"), "-\r", Command.NOT_APPLICABLE),
        (text(kind="cell"), " ? \r", Command.NEED_DATA),
        (text(kind="cell"), "x-?\r", "x-?"),
        (text(), "?\r", "?"),
        (text(suggested="customer"), "\r", ""),
        (text(required=False), "\r", ""),
        (text(), "\r\rsecond try\r", "second try"),
    ],
    ids=[
        "typed",
        "default-kept",
        "default-edited",
        "cell-need-data-key",
        "cell-not-applicable-key",
        "cell-key-with-spaces",
        "cell-keys-are-text-inside-an-answer",
        "question-mark-is-text-outside-cells",
        "enter-takes-the-suggestion",
        "optional-blank",
        "blank-refused-then-retry",
    ],
)
def test_text_prompts(
    pipe: PipeInput, console: io.StringIO, question: Question, keys: str, expected: object
) -> None:
    assert ask(pipe, console, question, keys) == expected


CHOICES = (Choice("high", "high"), Choice("medium", "medium"), Choice("low", "low"))


@pytest.mark.parametrize(
    ("question", "keys", "expected"),
    [
        (text(kind="choice", choices=CHOICES), "\r", "high"),
        (text(kind="choice", choices=CHOICES, default="low"), "\r", "low"),
        (text(kind="choice", choices=CHOICES), "2\r", "medium"),
        (text(kind="choice", choices=CHOICES), DOWN + DOWN + "\r", "low"),
        (text(kind="confirm", default=False), "y\r", True),
        (text(kind="confirm", default=True), "n\r", False),
        (text(kind="confirm", default=True), "ny\r", True),
        (text(kind="confirm", default=True), "\r", True),
        (text(kind="checkbox", choices=CHOICES), " " + DOWN + DOWN + " \r", ("high", "low")),
        (text(kind="checkbox", choices=CHOICES, default=("medium",)), "\r", ("medium",)),
    ],
)
def test_choice_confirm_and_checkbox(
    pipe: PipeInput, console: io.StringIO, question: Question, keys: str, expected: object
) -> None:
    assert ask(pipe, console, question, keys) == expected


@pytest.mark.parametrize("kind", ["text", "cell", "choice", "confirm", "checkbox"])
@pytest.mark.parametrize(
    ("key", "command"),
    [("p", Command.BACK), ("t", Command.MATRIX), ("d", Command.QUIT)],
)
def test_navigation_keys_work_in_every_kind_of_prompt(
    pipe: PipeInput, console: io.StringIO, kind: str, key: str, command: Command
) -> None:
    question = text(kind=kind, choices=CHOICES if kind in ("choice", "checkbox") else ())
    assert ask(pipe, console, question, CTRL[key]) == command


@pytest.mark.parametrize("kind", ["text", "choice", "confirm"])
def test_ctrl_c_reaches_the_caller(pipe: PipeInput, console: io.StringIO, kind: str) -> None:
    question = text(kind=kind, choices=CHOICES if kind == "choice" else ())
    with pytest.raises(KeyboardInterrupt):
        ask(pipe, console, question, CTRL["c"])


def test_go_to_asks_which_section(pipe: PipeInput, console: io.StringIO) -> None:
    # The section list is a second prompt: its keys must arrive after it is drawn.
    timer = threading.Timer(0.5, pipe.send_text, args=(DOWN + "\r",))
    timer.start()
    try:
        assert ask(pipe, console, text(), CTRL["g"]) == GoTo("statement")
    finally:
        timer.cancel()


def test_context_hint_and_cell_keys_are_printed_before_the_prompt(
    pipe: PipeInput, console: io.StringIO
) -> None:
    question = text(
        kind="cell",
        context=("WHERE: location", "IS: EU pool"),
        hint="e.g. 'US pool'\x1b[2J",
    )
    ask(pipe, console, question, "US pool\r")
    out = console.getvalue()
    assert "WHERE: location" in out
    assert "e.g. 'US pool'\\x1b[2J" in out, "control characters are shown, not obeyed"
    assert "? need more data · - not applicable" in out


def test_notes_and_views(console: io.StringIO) -> None:
    from ktcli.core.analysis import new_analysis

    a = new_analysis("x", "t", who="ana", now=datetime(2026, 11, 24, tzinfo=timezone.utc))
    prompter = QuestionaryPrompter(console)
    prompter.note("Specification - facts", "section")
    prompter.note("'slow': What do you mean by 'slow'?", "probe")
    prompter.show("matrix", a)
    prompter.show("ranking", a)
    out = console.getvalue()
    assert "Specification - facts" in out
    assert "Ctrl-P back" in out
    assert "↳ 'slow'" in out
    assert "IS NOT" in out
    assert "No possible causes yet." in out


def test_y_and_enter_answer_one_question_not_two(pipe: PipeInput, console: io.StringIO) -> None:
    # One key model: a one-key answer is confirmed with Enter like every other,
    # so the Enter typed with it cannot answer the next question (issue 10).
    prompter = QuestionaryPrompter(console)
    pipe.send_text("y\r?\rOrder API\r")
    assert prompter.ask(text(kind="confirm", default=False)) is True
    assert prompter.ask(text(kind="cell")) == Command.NEED_DATA
    assert prompter.ask(text()) == "Order API"


def test_keys_typed_ahead_are_held_while_a_probe_is_answered(
    pipe: PipeInput, console: io.StringIO
) -> None:
    prompter = QuestionaryPrompter(console)
    # The analyst types two answers in one go; the first raises a probing question.
    pipe.send_text("answers slowly\rEU pool\r")
    assert prompter.ask(text()) == "answers slowly"
    prompter.note("'slowly': How slow, in numbers?", "probe")
    assert "waits for the next question" in console.getvalue()
    # The probe saw none of what was typed ahead: it waits for its own Enter.
    timer = threading.Timer(0.3, pipe.send_text, args=("\r",))
    timer.start()
    try:
        refine = text(id="q.refine", default="answers slowly", required=False)
        assert prompter.ask(refine) == "answers slowly"
    finally:
        timer.cancel()
    assert prompter.ask(text(id="next")) == "EU pool"


def test_without_keys_typed_ahead_a_probe_says_nothing_of_them(
    pipe: PipeInput, console: io.StringIO
) -> None:
    prompter = QuestionaryPrompter(console)
    prompter.note("'slowly': How slow, in numbers?", "probe")
    pipe.send_text("2 s at p95\r")
    assert prompter.ask(text(id="q.refine", default="slowly", required=False)) == "slowly2 s at p95"
    assert "typed ahead" not in console.getvalue()


def test_a_rows_heading_once_and_a_hint_in_full_once_then_folded(
    pipe: PipeInput, console: io.StringIO
) -> None:
    prompter = QuestionaryPrompter(console)
    is_ = text(kind="cell", context=("WHERE: location",), hint="e.g. 'EU pool'")
    is_not = text(
        kind="cell", context=("WHERE: location", "IS: EU pool"), hint="a good IS NOT here: US"
    )
    pipe.send_text("EU pool\rUS pool\r")
    prompter.ask(is_)
    prompter.ask(is_not)
    out = console.getvalue()
    assert out.count("WHERE: location") == 1, "the heading once per row, not per side"
    assert out.count("? need more data") == 1, "the cell keys in full once"
    assert out.count("hint shown before: Ctrl-O") == 1
    # Asked again (Ctrl-P, resume): its own hint is folded, and Ctrl-O unfolds it.
    pipe.send_text("\x0fEU pool\r")
    prompter.ask(is_)
    out = console.getvalue()
    assert out.count("e.g. 'EU pool'") == 2, "once in full, once on Ctrl-O"
    assert out.count("hint shown before: Ctrl-O") == 2
    assert out.count("Ctrl-P back") == 1, "Ctrl-O shows the keys too"


def test_the_keys_legend_in_full_with_the_first_section_only(console: io.StringIO) -> None:
    prompter = QuestionaryPrompter(console)
    prompter.note("Appraisal - impact first", "section")
    prompter.note("Problem statement - one object", "section")
    assert console.getvalue().count("Ctrl-P back") == 1


@pytest.mark.parametrize("width", [60, 100, 160])
def test_banners_hints_and_long_questions_fit_every_width(
    pipe: PipeInput, console: io.StringIO, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    prompter = QuestionaryPrompter(console)
    prompter.note("Appraisal - Business impact and concerns first; then how deep to go.", "section")
    long_hint = "a good IS NOT here: " + "the same build in another region " * 4
    question = text(hint=long_hint, text="What does this problem cost the customer's business?")
    pipe.send_text("lost orders\r")
    prompter.ask(question)
    out = console.getvalue()
    lines = out.splitlines()
    assert all(len(line) <= width for line in lines), [ln for ln in lines if len(ln) > width]
    words = " ".join(out.split())
    assert "then how deep to go. ───" in words, "the banner wraps, never cut"
    assert "another region the same" in words, "the hint wraps at words"
    # At 60 columns the question leaves no room: the answer goes on the line below.
    assert prompter._message(question).endswith("\n ") == (width == 60)


def test_list_options_too_wide_end_in_an_ellipsis(
    pipe: PipeInput, console: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    prompter = QuestionaryPrompter(console)
    label = "Order creation holds one database connection for its whole transaction"
    cut = prompter._label(label)
    assert cut.endswith("…")
    assert len(cut) == 52
    assert prompter._label("short") == "short"
    question = text(kind="choice", choices=(Choice("d1", label), Choice("d2", "short")))
    assert ask(pipe, console, question, "\r") == "d1", "the value, whatever the label shows"


@pytest.mark.parametrize("width", [60, 160])
def test_a_list_question_leaves_room_for_its_instruction_and_the_option_chosen(
    monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    # questionary writes the instruction, then the option chosen, after the question: at 60
    # columns they would be cut mid-word by the terminal, so they go on a line of their own.
    monkeypatch.setenv("COLUMNS", str(width))
    prompter = QuestionaryPrompter(io.StringIO())
    steps = (Choice("p", "find the cause (Problem Analysis)"), Choice("d", "choose (Decision)"))
    question = text(kind="choice", text="What does this concern need next?", choices=steps)
    message = prompter._message(question)
    assert message.endswith("\n ") == (width == 60)
    # On one line at 160: question, instruction or choice, all within the width.
    longest = len("(digit or arrows, then Enter)") + len(" find the cause (Problem Analysis)")
    assert width == 60 or len(message) + 2 + longest <= width
