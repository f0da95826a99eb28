"""The first prompt of ``ktcli new``, drawn before the model, YAML and playbooks are loaded.

Nothing is copied: what the session shows before its first question (the
section heading) and that question itself (wording, hint, the place header)
are recorded from the engine as it asks them, and kept per user beside the
remembered exports (``ktcli.store.validated``: a key that holds a fingerprint
of ktcli's code, so another version or an edited module uses no old entry).

The next ``ktcli new`` with the same options draws that prediction at once and
loads the rest while the analyst types. Its reply (an answer, a Ctrl key) is
then handed to the engine, which asks its real first question through
:class:`FirstPrompt`: when that is the question drawn, the reply answers it
(applied, probed and saved before the second question, as any answer), and
the notes already shown are not repeated. When the engine's first prompt
differs (a playbook edited since, say), the prediction is replaced, the
analyst is told, and the real question is asked with what was typed offered.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ktcli.session.questions import Choice, Question

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from datetime import datetime

    from ktcli.core.model import Analysis
    from ktcli.session.prompter import Prompter
    from ktcli.session.questions import NoteKind, Reply, View
    from ktcli.ui.terminal import Terminal

#: The kind of entry in the remembered-output store; bumped when the layout changes.
FORMAT = "new.first-prompt-1"
#: What the start of a session shows: its notes (text, kind), then its first question.
Notes = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Prediction:
    """The notes and the first question a new session showed with these options."""

    notes: Notes
    question: Question


def key(depth: str | None, playbook: str | None, ticket: bool) -> bytes:
    """What the start of a fresh session depends on besides ktcli's code.

    The working directory and ``KTCLI_PLAYBOOK_PATH`` say which playbooks are
    found; the engine checks the prediction anyway (see the module).
    """
    parts = {
        "depth": depth,
        "playbook": playbook,
        "ticket": ticket,
        "cwd": str(Path.cwd()),
        "playbook_path": os.environ.get("KTCLI_PLAYBOOK_PATH", ""),
    }
    return json.dumps(parts, sort_keys=True).encode()


def lookup(where: bytes) -> Prediction | None:
    """The start recorded for these options, or None (never recorded, or unreadable)."""
    from ktcli.store import validated

    entry = validated.lookup(where, "", FORMAT)
    if entry is None:
        return None
    try:
        data = json.loads(entry)
        notes = tuple((str(text), str(kind)) for text, kind in data["notes"])
        return Prediction(notes, _question(data["question"]))
    except (ValueError, KeyError, TypeError):
        return None


def remember(where: bytes, prediction: Prediction) -> None:
    """Record the start of a session for the next one; best effort."""
    from ktcli.store import validated

    data = {"notes": [list(n) for n in prediction.notes], "question": _plain(prediction.question)}
    validated.remember(where, "", FORMAT, json.dumps(data, sort_keys=True).encode())


def predictable(question: Question) -> bool:
    """A question that can be drawn before the analysis exists: nothing of it comes from one."""
    return question.board is None and question.default is None and question.kind != "matrix"


#: What the engine fills in from the analysis as it asks: neither recorded nor compared.
#: ``words`` (completion from the analysis's own words) is on main's Question, from the
#: typing work; a fresh analysis's words come from its title, which differs every time.
FROM_THE_ANALYSIS = frozenset({"default", "board", "words"})


def _plain(q: Question) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields(q):
        if f.name in FROM_THE_ANALYSIS:
            continue
        value = getattr(q, f.name)
        if f.name == "choices":
            value = [[c.value, c.label] for c in value]
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    return out


def _question(data: dict[str, Any]) -> Question:
    data = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items()}
    data["choices"] = tuple(Choice(str(v), str(label)) for v, label in data.get("choices", ()))
    return Question(**{k: v for k, v in data.items() if k not in FROM_THE_ANALYSIS})


def same(a: Prediction, b: Prediction) -> bool:
    """The same start, drawn the same way (notes, header and hint included)."""
    return a.notes == b.notes and _plain(a.question) == _plain(b.question)


class FirstPrompt:
    """The session's prompter around its first question.

    Records what the engine shows up to its first question, for the next
    ``ktcli new`` (:func:`remember`). After :meth:`draw` (the light path), that
    first question was already drawn and answered: when it is the engine's too,
    the reply answers it without asking again.

    A plain class, not a dataclass: it is created before the first prompt, where
    generating a dataclass's methods is a measurable part of the start-up.
    """

    def __init__(
        self,
        inner: Prompter,
        where: bytes,
        drawn: Prediction | None = None,
        reply: Reply | None = None,
    ) -> None:
        self.inner = inner
        self.where = where
        self.drawn = drawn
        self.reply = reply
        #: Ctrl-C at the drawn question: raised again where the engine asks it, which saves.
        self.interrupted = False
        #: When the drawn question appeared: the session's active time counts from there.
        self.started: datetime | None = None
        self.notes: list[tuple[str, str]] = []
        self.asked = False

    def draw(
        self, greet: Callable[[], None], clock: Callable[[], datetime], title: str = ""
    ) -> None:
        """Draw the recorded first question, if any (after ``greet``), and take its reply.

        A fresh analysis's only words are its title's: the drawn question completes
        from them, as the engine's would.
        """
        drawn = lookup(self.where)
        if drawn is None:
            return
        self.drawn = drawn
        greet()
        for text, kind in drawn.notes:
            self.inner.note(text, kind)  # type: ignore[arg-type]
        self.started = clock()
        question = drawn.question
        if question.kind in ("text", "cell"):
            from ktcli.session.words import ranked

            question = replace(question, words=ranked([title]))
        try:
            self.reply = self.inner.ask(question)
        except KeyboardInterrupt:
            self.interrupted = True

    @contextlib.contextmanager
    def kept(self, terminal: Terminal) -> Iterator[None]:
        """Loading after the drawn question failed: say what was typed, so that it is not lost."""
        from ktcli.errors import KtError

        try:
            yield
        except KtError:
            if isinstance(self.reply, str) and self.reply.strip():
                terminal.warn(f"not saved, the answer typed: {self.reply.strip()}")
            raise

    def ask(self, question: Question) -> Reply:
        """The first question: answered by the reply when it was drawn; then the inner prompter."""
        if self.asked:
            return self.inner.ask(question)
        self.asked = True
        start = Prediction(tuple(self.notes), question)
        drawn = self.drawn
        if (drawn is None or not same(start, drawn)) and predictable(question):
            remember(self.where, start)
        if self.interrupted:
            raise KeyboardInterrupt
        if drawn is not None and drawn.question.id == question.id:
            # Answered where it was drawn: its notes are on the screen already.
            assert self.reply is not None
            return self.reply
        if drawn is not None:
            # Held (see note): the screen shows the drawn start, not this one.
            for text, kind in self.notes:
                self.inner.note(text, kind)  # type: ignore[arg-type]
            self.inner.note(
                "The first question has changed since it was drawn: answer it again.", "warning"
            )
            if isinstance(self.reply, str) and self.reply.strip():
                question = replace(question, default=self.reply)
        return self.inner.ask(question)

    def note(self, text: str, kind: NoteKind) -> None:
        """Before the first question, held: they may already be on the screen."""
        if self.asked:
            self.inner.note(text, kind)
            return
        self.notes.append((text, kind))
        if self.drawn is None:
            self.inner.note(text, kind)

    def show(self, view: View, analysis: Analysis) -> None:
        """As the inner prompter shows it."""
        self.inner.show(view, analysis)
