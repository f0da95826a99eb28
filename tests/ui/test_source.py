"""The one-step source prompt: pick a source used before or type one, verified or reported."""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput

from ktcli.session.questions import Choice, Command, Question
from ktcli.ui.prompts import QuestionaryPrompter


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    with create_pipe_input() as inp, create_app_session(input=inp, output=DummyOutput()):
        yield inp


def source_q(**kw: object) -> Question:
    fields: dict[str, object] = {
        "id": "spec.where-location.is_not.source",
        "section": "specification",
        "kind": "source",
        "text": "Source of this fact?",
        "suggested": "Grafana",
        "choices": (Choice("Grafana", "Grafana"), Choice("customer call", "customer call")),
    }
    fields.update(kw)
    return Question(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ("\r", ("Grafana", "reported")),
        ("\x16\r", ("Grafana", "verified")),
        ("\x16\x16\r", ("Grafana", "reported")),
        ("access logs\x16\r", ("access logs", "verified")),
        ("\t\r", ("Grafana", "reported")),
        ("call\t\r", ("customer call", "reported")),
        ("\x04", Command.QUIT),
    ],
)
def test_source_and_status_in_one_prompt(pipe: PipeInput, keys: str, expected: object) -> None:
    # Keys one by one, a little apart: completions are computed between keystrokes, as a
    # person types; all at once, Enter would arrive before the menu had its entries.
    def typist() -> None:
        for key in keys:
            time.sleep(0.05)
            pipe.send_text(key)

    threading.Thread(target=typist, daemon=True).start()
    assert QuestionaryPrompter(io.StringIO()).ask(source_q()) == expected


def test_an_answer_asked_again_keeps_source_and_status(pipe: PipeInput) -> None:
    pipe.send_text("\r")
    q = source_q(default=("customer call", "verified"))
    assert QuestionaryPrompter(io.StringIO()).ask(q) == ("customer call", "verified")


def test_a_long_source_wraps_at_words_as_it_is_typed(monkeypatch: pytest.MonkeyPatch) -> None:
    from prompt_toolkit.data_structures import Size
    from prompt_toolkit.output.vt100 import Vt100_Output

    from tests.e2e.screen import Screen

    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setenv("TERM", "xterm")  # a dumb terminal gets prompt_toolkit's plain line
    typed = "the access logs from checkout-svc on eu-west-1 hosts 3 to 7, pulled by Priya"
    stream = io.StringIO()
    output = Vt100_Output(stream, lambda: Size(rows=30, columns=60), term="xterm")
    with create_pipe_input() as inp, create_app_session(input=inp, output=output):
        inp.send_text(typed + "\r")
        answer = QuestionaryPrompter(io.StringIO(), output=output).ask(source_q(choices=()))
    assert answer == (typed, "reported")
    screen = Screen(30, 60)
    screen.feed(stream.getvalue())
    rows = [row for row in screen.lines() if row.strip()]
    start = next(n for n, row in enumerate(rows) if row.startswith("? Source of this fact?"))
    shown = [row.removeprefix("  [reported (heard or read)] ") for row in rows[start + 1 :]]
    # Each row ends at a word's end and the next starts a word: joined by one space.
    assert " ".join(shown) == typed
    assert len(shown) == 2
