"""The questionary prompter: the guided session's questions drawn in a terminal.

The session (``ktcli.session.engine``) asks only through a Prompter. The
questionary prompter draws every prompt on stderr, so ``ktcli new > file``
still shows its questions and the file holds only data.

One key model on every prompt: an answer is confirmed with Enter, whatever it
is (a text, ``y`` or ``n``, a list's digit, ``?`` need more data or ``-`` not
applicable alone on an IS / IS NOT line), so ``y`` and Enter typed together
answer one question, never two. Only the Ctrl keys act at once:

- Ctrl-P: back one question; Ctrl-G: go to a section; Ctrl-T: show the matrix
- Ctrl-D: save and quit (everything answered is already saved); Ctrl-C: the same, exit 130
- Ctrl-O: show the hint lines folded on this prompt, and these keys

A typed answer wraps at words as it is typed, and Tab takes the greyed rest
of the word being typed, from the analysis's own words (``ui.answer_line``).

Said once: a row's heading is printed on its first prompt, not again on the
IS NOT; a hint line (and the keys legend) is printed in full the first time
and folded into one line after, in this run of ktcli.

Keys typed ahead wait for the question they were typed for: prompt_toolkit
hands what one prompt did not use to the next. The one prompt nobody can
expect, the probing question after a pitfall, does not take them: they are
held while it is answered and handed to the next question after it.

questionary is imported inside the methods that draw prompts: importing this
module costs nothing until the first question.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ktcli.core.text import clean
from ktcli.session.questions import WALKED, Command, GoTo, NoteKind, Question, Reply, View
from ktcli.ui.terminal import color_enabled

if TYPE_CHECKING:
    from typing import TextIO

    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.output import Output

    from ktcli.core.model import Analysis

#: The completion of the word being typed (``ui.answer_line``), on every typed line and
#: the matrix's note line: greyed, and italic for terminals without colour.
SUGGESTION_STYLE = "fg:ansibrightblack italic"
KEYS_LEGEND = "Ctrl-P back · Ctrl-G go to section · Ctrl-T matrix · Ctrl-D save and quit"
CELL_KEYS = "? need more data · - not applicable (then Enter)"
UNFOLD_KEY = "c-o"
#: questionary's own instructions are longer than a 60-column line; these say the same.
INSTRUCTIONS = {
    "choice": "(digit or arrows, then Enter)",
    "checkbox": "(space ticks, then Enter)",
    "confirm": "(y/n, then Enter)",
}
FOLDED = "hint shown before: Ctrl-O shows it again"
#: A cell answered with one of these alone (and Enter) is that command, not a fact.
CELL_COMMANDS = {"?": Command.NEED_DATA, "-": Command.NOT_APPLICABLE}


# -- questionary ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Key:
    """What a special key makes the prompt return instead of an answer."""

    command: Command | None


_GOTO = _Key(None)

STYLE_RULES: tuple[tuple[str, str], ...] = (
    ("qmark", "fg:ansicyan bold"),
    ("question", "bold"),
    ("answer", "fg:ansicyan"),
    ("pointer", "fg:ansicyan bold"),
    ("highlighted", "fg:ansicyan bold"),
    ("selected", "fg:ansicyan"),
    ("instruction", "fg:ansibrightblack"),
    ("placeholder", "fg:ansibrightblack italic"),
    ("auto-suggestion", SUGGESTION_STYLE),
    ("validation-toolbar", "fg:ansiyellow bg:default noreverse"),
)


_SGR = {"bold": "1", "dim": "2", "dim italic": "2;3", "yellow": "33", "cyan": "36"}


class QuestionaryPrompter:
    """Real prompts with questionary; notes as plain styled lines, views with rich; on stderr.

    Notes and hints are written directly rather than through rich: they come
    before the first prompt, and importing rich would delay it. Only the matrix
    and ranking views need rich, and load it when first shown.
    """

    def __init__(self, stream: TextIO, *, output: Output | None = None) -> None:
        """``output`` is where prompt_toolkit draws; None keeps the current app session's."""
        self.stream = stream
        self._output = output
        #: Keys typed ahead, held while a probing question is answered (see the module).
        self._held: list[Any] | None = None
        #: Hint lines (and the keys legend) printed in full once; folded after.
        self._seen: set[str] = set()
        #: The heading last printed, so a row's IS NOT does not repeat it.
        self._heading = ""
        #: The lines the current prompt folded, for Ctrl-O.
        self._folded: list[str] = []

    @classmethod
    def on_stderr(cls) -> QuestionaryPrompter:
        """The prompter of a real session: prompts drawn on stderr."""
        from prompt_toolkit.output import create_output

        return cls(sys.stderr, output=create_output(stdout=sys.stderr))

    def _width(self) -> int:
        import shutil

        return max(40, shutil.get_terminal_size().columns)

    def _line(self, text: str = "", style: str = "", indent: int = 0) -> None:
        """One line (wrapped to the terminal, indented), styled when colour is on."""
        import textwrap

        pad = " " * indent
        lines = (
            textwrap.wrap(text, self._width() - indent, break_on_hyphens=False) or [""]
            if text
            else [""]
        )
        code = _SGR.get(style) if style and color_enabled(self.stream) else None
        for line in lines:
            self.stream.write(f"{pad}\x1b[{code}m{line}\x1b[0m\n" if code else f"{pad}{line}\n")
        self.stream.flush()

    # -- the protocol ---------------------------------------------------------------------

    def ask(self, question: Question) -> Reply:
        """Draw the question, wait for the answer or a special key."""
        if question.kind == "matrix":
            return self._matrix(question)
        self._preface(question)
        try:
            return self._answer(question)
        finally:
            self._release()

    def _answer(self, question: Question) -> Reply:
        if question.kind == "source":
            return self._source(question)
        while True:
            result = self._run(question)
            if result is _GOTO:
                section = self._choose_section(question.finished)
                if section is None:
                    continue
                return GoTo(section)
            if isinstance(result, _Key):
                assert result.command is not None
                return result.command
            if question.kind == "checkbox":
                return tuple(str(v) for v in result or ())
            if question.kind == "confirm":
                return bool(result)
            if question.kind == "cell" and str(result).strip() in CELL_COMMANDS:
                return CELL_COMMANDS[str(result).strip()]
            return str(result) if result is not None else ""

    def _hold(self) -> int:
        """Take the keys typed ahead (given to prompt_toolkit, or waiting on the terminal)."""
        from prompt_toolkit.application.current import get_app_session
        from prompt_toolkit.input.typeahead import get_typeahead

        def take() -> list[Any]:
            inp = get_app_session().input
            keys = list(get_typeahead(inp))
            with inp.raw_mode():
                keys += inp.read_keys()
                keys += inp.flush_keys()
            return keys

        held = self._session(take)
        self._held = [*(self._held or []), *held]
        return len(held)

    def _release(self) -> None:
        """Give the held keys to the next prompt, before any it was not given yet."""
        if self._held is None:
            return
        from prompt_toolkit.application.current import get_app_session
        from prompt_toolkit.input.typeahead import get_typeahead, store_typeahead

        held, self._held = self._held, None

        def give() -> None:
            inp = get_app_session().input
            store_typeahead(inp, [*held, *get_typeahead(inp)])

        self._session(give)

    def note(self, text: str, kind: NoteKind) -> None:
        """A section heading, a warning or a probing question, on stderr."""
        text = clean(text)
        if kind == "section":
            self._line()
            self._banner(text)
            self._heading = ""
            if KEYS_LEGEND not in self._seen:
                self._seen.add(KEYS_LEGEND)
                self._line(KEYS_LEGEND, "dim")
        elif kind == "probe":
            self._line("↳ " + text, "yellow", indent=2)
            if self._hold():
                self._line("(what you typed ahead waits for the next question)", "dim", indent=4)
        elif kind == "warning":
            self._line(text, "yellow")
        else:
            self._line(text, "dim")

    def _banner(self, text: str) -> None:
        """The section title, wrapped at words; a rule fills the last line (or one of its own)."""
        import textwrap

        width = self._width()
        lines = textwrap.wrap(text, width - 1, break_on_hyphens=False) or [""]
        color = color_enabled(self.stream)
        rule = "─" * (width - len(lines[-1]) - 1)
        if len(rule) < 3:
            lines.append("")
            rule = "─" * width
        for n, line in enumerate(lines):
            bold = f"\x1b[1m{line}\x1b[0m" if color and line else line
            tail = "" if n < len(lines) - 1 else (" " if line else "") + rule
            if color and tail:
                tail = f"\x1b[{_SGR['cyan']}m{tail}\x1b[0m"
            self.stream.write(f"{bold}{tail}\n")
        self.stream.flush()

    def _message(self, q: Question) -> str:
        """The question, wrapped at words; when long, the answer goes on the line below."""
        import textwrap

        text = clean(q.text)
        width = self._width()
        typed = q.kind in ("text", "cell", "source")
        # Room after the question: for the answer (typed), or for the list's instruction
        # and then the option chosen, which the prompt writes there once answered.
        room = 24 if typed else max([len(INSTRUCTIONS.get(q.kind, "")), *_labels(q)]) + 1
        if len(text) + 2 <= width - room:
            return text
        lines = textwrap.wrap(text, width - 3, break_on_hyphens=False)
        # The instruction and the choice, or the answer, on a line of their own when the
        # last line leaves too little room: never cut mid-word by the terminal.
        own_line = typed or len(lines[-1]) + 2 + room > width
        return "\n  ".join(lines) + ("\n " if own_line else "")

    def _label(self, label: str) -> str:
        """A list option on one line: cut with … when wider than the terminal."""
        room = self._width() - 8  # pointer, shortcut digit, checkbox mark
        label = clean(label)
        return label if len(label) <= room else label[: room - 1].rstrip() + "…"

    def show(self, view: View, analysis: Analysis) -> None:
        """The matrix or the ranking so far, with rich."""
        from rich.console import Console

        from ktcli.ui.render import render_matrix, render_ranking

        console = Console(file=self.stream, highlight=False)
        console.print()
        console.print(render_matrix(analysis) if view == "matrix" else render_ranking(analysis))

    # -- drawing --------------------------------------------------------------------------

    def _preface(self, q: Question) -> None:
        self._line()
        if q.place:
            self._line(clean(q.place), "dim")
        context = list(q.context)
        if context and context[0] == self._heading:
            context.pop(0)  # the row's heading, printed on its IS already
        elif context:
            self._heading = context[0]
            self._line(clean(context.pop(0)), "bold", indent=2)
        for line in context:
            self._line(clean(line), indent=2)
        hints = [h for h in q.hint.splitlines() if h]
        if q.kind == "cell":
            hints.append(CELL_KEYS)
        self._folded = [h for h in hints if h in self._seen]
        for line in hints:
            if line not in self._seen:
                self._line(clean(line), "dim italic", indent=2)
        self._seen.update(hints)
        if self._folded:
            self._line(FOLDED, "dim", indent=2)

    def unfold(self) -> None:
        """Ctrl-O: the hint lines this prompt folded, and the keys legend."""
        for line in [*self._folded, KEYS_LEGEND]:
            self._line(clean(line), "dim italic", indent=2)

    def _run(self, q: Question) -> Any:
        return self._session(lambda: self._build(q).unsafe_ask())

    def _build(self, q: Question) -> Any:
        import questionary
        from prompt_toolkit.formatted_text import FormattedText
        from prompt_toolkit.key_binding import merge_key_bindings

        style = questionary.Style(list(STYLE_RULES))
        text = self._message(q)
        if q.kind in ("text", "cell"):
            default = q.default if isinstance(q.default, str) else ""
            placeholder = (
                FormattedText([("class:placeholder", clean(q.suggested))]) if q.suggested else None
            )
            question = questionary.text(
                text,
                default=default,
                validate=_validator(q),
                style=style,
                placeholder=placeholder,
                **_answer_line(q),
            )
        elif q.kind == "confirm":
            question = questionary.confirm(
                text,
                default=bool(q.default),
                auto_enter=False,
                instruction=("(Y/n" if q.default else "(y/N") + ", then Enter) ",
                style=style,
            )
        elif q.kind == "checkbox":
            chosen = q.default if isinstance(q.default, tuple) else ()
            question = questionary.checkbox(
                text,
                choices=[
                    questionary.Choice(
                        self._label(c.label), value=c.value, checked=c.value in chosen
                    )
                    for c in q.choices
                ],
                instruction=INSTRUCTIONS["checkbox"],
                style=style,
            )
        else:
            choices = [questionary.Choice(self._label(c.label), value=c.value) for c in q.choices]
            pointed = next((c for c in choices if c.value == q.default), None)
            question = questionary.select(
                text,
                choices=choices,
                default=pointed,
                use_shortcuts=len(choices) <= 9,
                use_jk_keys=False,
                use_emacs_keys=False,
                instruction=INSTRUCTIONS["choice"],
                style=style,
            )
        app = question.application
        own = [app.key_bindings] if app.key_bindings is not None else []
        app.key_bindings = merge_key_bindings([*own, _bindings(q, self.unfold)])
        return question

    def _source(self, q: Question) -> Reply:
        """A fact's source and verified / reported, in one prompt."""
        from ktcli.ui.source import ask_source

        while True:
            result = self._session(lambda: ask_source(q, _bindings(q, self.unfold)))
            if result is not _GOTO:
                break
            section = self._choose_section(q.finished)
            if section is not None:
                return GoTo(section)
        if isinstance(result, _Key):
            assert result.command is not None
            return result.command
        return result  # type: ignore[no-any-return]

    def _session(self, run: Callable[[], Any]) -> Any:
        """Run a prompt in the prompter's output (stderr), or the current app session's."""
        if self._output is None:
            return run()
        from prompt_toolkit.application import create_app_session

        with create_app_session(output=self._output):
            return run()

    def _matrix(self, q: Question) -> Reply:
        """The cause-test matrix, full screen; a jump asks for its section after."""
        import gc

        from ktcli.ui.matrix import MatrixScreen, matrix_app

        assert q.board is not None
        screen = MatrixScreen(q.board)
        while True:
            try:
                result = matrix_app(screen, output=self._output).run()
            finally:
                # matrix_app froze the heap for the screen's life (see there).
                gc.unfreeze()
            if result != "goto":
                return result  # type: ignore[no-any-return]
            section = self._choose_section(q.finished)
            if section is not None:
                return GoTo(section)

    def _choose_section(self, finished: tuple[str, ...] = ()) -> str | None:
        import questionary

        choices = [
            questionary.Choice(f"{'✓' if s.id in finished else '·'} {s.title}", value=s.id)
            for s in WALKED
        ]
        choices.append(questionary.Choice("stay here", value=""))
        question = questionary.select(
            "Go to which section?", choices=choices, use_shortcuts=False, use_jk_keys=False
        )
        chosen = self._session(question.unsafe_ask)
        return str(chosen) if chosen else None


def _labels(q: Question) -> list[int]:
    """The widths of a list's options, as the answer line shows the one chosen."""
    return [len(clean(c.label)) for c in q.choices] if q.kind == "choice" else []


def _answer_line(q: Question) -> dict[str, Any]:
    """A typed answer wraps at words; the word being typed is completed from the analysis's."""
    from ktcli.ui.answer_line import WordSuggest, WordWrap, take_suggestion

    suggest = WordSuggest(q.words)
    return {
        "input_processors": [WordWrap()],
        "auto_suggest": suggest,
        "key_bindings": take_suggestion(suggest),
    }


def _validator(q: Question) -> Callable[[str], bool | str]:
    def validate(text: str) -> bool | str:
        if q.required and not text.strip() and not q.suggested:
            if q.kind == "cell":
                return "An answer is needed: the fact, or ? (need more data) or - (not applicable)"
            return "An answer is needed here."
        return True

    return validate


def _bindings(q: Question, unfold: Callable[[], None] | None = None) -> KeyBindings:
    """The special keys; eager, so they win over the prompt's own bindings of the same key."""
    from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent

    kb = KeyBindings()

    def leave(result: _Key) -> Callable[[KeyPressEvent], None]:
        def handler(event: KeyPressEvent) -> None:
            event.app.exit(result=result)

        return handler

    kb.add("c-p", eager=True)(leave(_Key(Command.BACK)))
    kb.add("c-g", eager=True)(leave(_GOTO))
    kb.add("c-t", eager=True)(leave(_Key(Command.MATRIX)))
    kb.add("c-d", eager=True)(leave(_Key(Command.QUIT)))
    if unfold is not None:
        from prompt_toolkit.application import run_in_terminal

        @kb.add(UNFOLD_KEY, eager=True)
        def _unfold(event: KeyPressEvent) -> None:
            run_in_terminal(unfold)

    return kb
