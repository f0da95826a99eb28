"""The ``Prompter`` protocol: the only way the session asks, tells and shows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ktcli.core.model import Analysis
    from ktcli.session.questions import NoteKind, Question, Reply, View


class Prompter(Protocol):
    """Where the session's questions, notes and views go."""

    def ask(self, question: Question) -> Reply:
        """Ask one question; return the answer, a special key's Command, or a GoTo.

        A typed question (text, IS / IS NOT) carries the analysis's own words in
        ``question.words``, plain data from ``session.words``: a prompter may offer
        them to complete the word being typed, as the terminal prompter does.
        """
        ...

    def note(self, text: str, kind: NoteKind) -> None:
        """Tell the analyst something: a section heading, a warning, a probing question."""
        ...

    def show(self, view: View, analysis: Analysis) -> None:
        """Show the matrix or the ranking as it stands."""
        ...
