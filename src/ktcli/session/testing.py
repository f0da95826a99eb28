"""A scripted prompter: answers by question id, for tests and for counting questions.

A test double, kept here (not in tests/) because ``bench/count_questions.py``
drives whole sessions with it too; nothing in ktcli's commands uses it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ktcli.session.catalogue.tests import decided, open_cells
from ktcli.session.questions import SKIP, Command, GoTo, Mark, NoteKind, Question, Reply, View
from ktcli.session.wording import VERDICT_NOTE, VERDICTS

if TYPE_CHECKING:
    from ktcli.core.model import Analysis


class UnexpectedQuestion(AssertionError):
    """A scripted session met a question its script has no answer for."""


#: In a script: answer with the question's default (Enter).
DEFAULT = object()


@dataclass
class ScriptedPrompter:
    """Answers by question id. A list is consumed one answer per asking; anything else repeats.

    A question without a scripted answer fails the test, unless ``fallback``
    supplies one (used to drive a whole session from an existing analysis).
    """

    answers: Mapping[str, Any]
    fallback: Callable[[Question], Reply] | None = None
    limit: int = 5000
    asked: list[Question] = field(default_factory=list)
    notes: list[tuple[NoteKind, str]] = field(default_factory=list)
    shown: list[View] = field(default_factory=list)
    #: The cells of matrix screens, as questions: ``test.<cause>.<row>`` and ``....note``.
    cells: list[Question] = field(default_factory=list)
    #: The marks made on matrix screens, in order.
    marks: list[Mark] = field(default_factory=list)
    _used: dict[str, int] = field(default_factory=dict)

    def ask(self, question: Question) -> Reply:
        """The scripted answer for this question id."""
        self.asked.append(question)
        if len(self.asked) > self.limit:
            raise UnexpectedQuestion(f"more than {self.limit} questions; last {question.id}")
        if question.kind == "matrix" and question.id not in self.answers:
            return self._matrix(question)
        if question.kind == "source":
            return self._source(question)
        return self._answer(question)

    def _source(self, question: Question) -> Reply:
        """A fact's source and status: from ``<cell>.source`` and ``<cell>.verified``."""
        source = self._answer(question)
        if isinstance(source, (Command, GoTo, tuple)):
            return source
        status_id = question.id.removesuffix(".source") + ".verified"
        verified: Reply = False
        if status_id in self.answers or self.fallback is not None:
            verified = self._cell(Question(status_id, question.section, "confirm", "Verified?"))
        return (
            str(source) or question.suggested or "",
            "verified" if verified is True else "reported",
        )

    def _answer(self, question: Question) -> Reply:
        if question.id in self.answers:
            script = self.answers[question.id]
            if isinstance(script, list):
                n = self._used.get(question.id, 0)
                if n >= len(script):
                    raise UnexpectedQuestion(
                        f"{question.id} asked {n + 1} times; the script has {len(script)} answers"
                    )
                self._used[question.id] = n + 1
                script = script[n]
            return self._resolve(question, script)
        if self.fallback is not None:
            return self.fallback(question)
        raise UnexpectedQuestion(f"unexpected question {question.id}: {question.text}")

    def _matrix(self, question: Question) -> Reply:
        """A matrix screen, cell by cell, as its analyst would go through it.

        Each verdict comes from ``test.<cause>.<row>``, its note from
        ``test.<cause>.<row>.note`` (SKIP needs none); a Command or GoTo leaves.
        """
        board = question.board
        assert board is not None, "a matrix question is asked with its board"
        for cause, row in list(open_cells(board.analysis)):
            if decided(cause, row):
                continue
            verdict = self._cell(
                Question(
                    f"test.{cause.id}.{row}", "tests", "choice", question.text, choices=VERDICTS
                )
            )
            if isinstance(verdict, (Command, GoTo)):
                return verdict
            note = ""
            if verdict != SKIP:
                text = VERDICT_NOTE.get(str(verdict), "Why?")
                reply = self._cell(Question(f"test.{cause.id}.{row}.note", "tests", "text", text))
                note = reply if isinstance(reply, str) else ""
            mark = Mark(cause.id, row, str(verdict), note)
            self.marks.append(mark)
            board.mark(mark)
        return ""

    def _cell(self, question: Question) -> Reply:
        self.cells.append(question)
        return self._answer(question)

    @staticmethod
    def _resolve(question: Question, script: Any) -> Reply:
        if script is DEFAULT:
            # Enter: keeps the prefilled answer, or (when there is none) takes the suggestion.
            return question.default if question.default is not None else ""
        if isinstance(script, list):
            return tuple(script)
        return script  # type: ignore[no-any-return]

    def note(self, text: str, kind: NoteKind) -> None:
        """Remember the note for assertions."""
        self.notes.append((kind, text))

    def show(self, view: View, analysis: Analysis) -> None:
        """Remember which view was shown."""
        self.shown.append(view)

    @property
    def ids(self) -> list[str]:
        """The ids of the questions asked, in order."""
        return [q.id for q in self.asked]
