"""The cause-test matrix: one full-screen prompt for every cause against every answered row.

Causes are lines, rows are columns. The arrow keys move; ``e`` explains, ``o``
explains only if, ``x`` does not explain; each opens the note line (a reason,
optional, Enter alone for none; an assumption, required for "only if"). Every
verdict is saved the moment its note is entered (``Board.mark``). After a
"does not explain", ``s`` skips that cause's other open rows: they are recorded
as skipped, not as tested. The counter and the ranking update in place; nothing
is reprinted between cells. ``q`` leaves, open cells waiting for resume; Enter
leaves too once every cell is decided. While cells are open, an Enter on the
grid only says so: the Enter that confirms a note is never taken twice (a
terminal sending CR LF, a key pressed twice) into leaving the screen.

prompt_toolkit is imported inside the functions that build the screen: importing
this module costs nothing until the matrix is shown.
"""

from __future__ import annotations

import gc
import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ktcli.core.analysis import answered_rows, rank_causes
from ktcli.core.text import clean
from ktcli.core.vocabulary import VERDICT_SYMBOLS
from ktcli.session.catalogue.tests import decided
from ktcli.session.items import PENDING, cell_text
from ktcli.session.questions import SKIP, Board, Command, Mark
from ktcli.session.words import Vocabulary, texts

if TYPE_CHECKING:
    from prompt_toolkit.application import Application
    from prompt_toolkit.formatted_text import StyleAndTextTuples
    from prompt_toolkit.input import Input
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.output import Output

    from ktcli.core.model import Cause, Row

KEYS = (
    "←↑↓→ move · e explains · o only if · x does not explain · Enter done · q leave · Ctrl-D quit"
)
VERDICT_KEYS = {"e": "explains", "o": "explains_only_if", "x": "does_not_explain"}
SKIPPED_SYMBOL = "-"
OPEN_SYMBOL = "·"
#: Lines of the screen outside the grid: title, keys, column numbers, detail, ranking, note.
_FIXED = 2 + 1 + 5 + 6 + 2
#: At most this many causes at once: the grid scrolls. Drawing a whole tall screen on
#: every key costs more than the eye gains (bench/bench_matrix.py).
GRID_LINES = 16
#: Lines a long note may wrap onto under the grid before it scrolls.
NOTE_LINES = 4


def cut(text: str, width: int) -> str:
    """One line of at most ``width`` characters, with an ellipsis where it was cut."""
    if width <= 0:
        return ""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


@dataclass
class MatrixScreen:
    """The screen's state: where the cursor is, what is being typed, what to say."""

    board: Board
    width: int = 100
    height: int = 30
    ci: int = 0
    ri: int = 0
    #: The verdict whose note is being typed, or None while moving.
    verdict: str | None = None
    message: str = ""
    #: A cause ruled out just now, whose other rows ``s`` would skip.
    offer: str | None = None
    rows: list[Row] = field(default_factory=list)
    #: What only a mark changes (the counter, the ranking), kept until the next mark:
    #: a move redraws in a fraction of the time.
    cache: dict[str, Any] = field(default_factory=dict)

    #: The analysis's words, for completing a note; each note entered adds its own.
    vocabulary: Vocabulary = field(default_factory=Vocabulary)

    def __post_init__(self) -> None:
        self.rows = answered_rows(self.board.analysis)
        self.vocabulary.add(*texts(self.board.analysis))
        self._to_open(0, 0)

    @property
    def causes(self) -> list[Cause]:
        """The causes, as the analysis lists them."""
        return self.board.analysis.causes

    # -- moving ------------------------------------------------------------------------------

    def _to_open(self, ci: int, ri: int) -> None:
        """The cursor to the first open cell at or after (ci, ri), else where it is."""
        n_rows = len(self.rows)
        total = len(self.causes) * n_rows
        start = ci * n_rows + ri
        for k in range(total):
            at = (start + k) % total if total else 0
            c, r = divmod(at, n_rows)
            if not decided(self.causes[c], self.rows[r].id):
                self.ci, self.ri = c, r
                return
        self.ci, self.ri = min(ci, len(self.causes) - 1), min(ri, n_rows - 1)

    def move(self, dc: int, dr: int) -> None:
        """Move the cursor by causes and rows, within the grid."""
        self.ci = max(0, min(len(self.causes) - 1, self.ci + dc))
        self.ri = max(0, min(len(self.rows) - 1, self.ri + dr))
        self.offer = None

    def choose(self, key: str) -> None:
        """A verdict key: open the note line for it."""
        self.verdict = VERDICT_KEYS[key]
        self.message = ""

    def enter_note(self, text: str) -> bool:
        """The note line was entered: record the mark; False when an assumption is missing."""
        assert self.verdict is not None
        if self.verdict == "explains_only_if" and not text.strip():
            self.message = "An assumption is needed for 'explains only if' (Esc: cancel)."
            return False
        cause, row = self.causes[self.ci], self.rows[self.ri]
        said = self._mark(Mark(cause.id, row.id, self.verdict, text.strip()))
        self.vocabulary.add(text)
        self.message = f"↳ {said}" if said else ""
        verdict, self.verdict = self.verdict, None
        left = self.open_rows(cause)
        if verdict == "does_not_explain" and left:
            self.offer = cause.id
            self.message = (
                f"{cause.id} is ruled out by this fact: s skips its {len(left)} other open rows "
                "(recorded as skipped, not tested); any other key goes on. " + self.message
            ).strip()
            self._to_open(self.ci, self.ri)
            return True
        self.offer = None
        self._to_open(self.ci, self.ri)
        return True

    def _mark(self, m: Mark) -> str:
        # A mark changes one cause's line only (a verdict may reopen its skipped rows):
        # count that line again rather than the whole grid.
        cause = next(c for c in self.causes if c.id == m.cause)
        was = self._tally(cause)
        said = self.board.mark(m)
        self.cache.pop("ranking", None)
        if "counts" in self.cache:
            done, skipped, total = self.cache["counts"]
            now = self._tally(cause)
            self.cache["counts"] = (done + now[0] - was[0], skipped + now[1] - was[1], total)
        return said

    def _tally(self, cause: Cause) -> tuple[int, int]:
        """A cause's decided cells, and of those the skipped ones."""
        done = sum(1 for r in self.rows if decided(cause, r.id))
        return done, sum(1 for r in self.rows if r.id in cause.skipped)

    def cancel_note(self) -> None:
        """Esc on the note line: no verdict taken."""
        self.verdict = None
        self.message = ""

    def done(self) -> bool:
        """Enter on the grid: True to leave (every cell decided); else say how to leave."""
        done, _, total = self.counts()
        if done >= total:
            return True
        self.offer = None
        self.message = (
            f"{total - done} cells are open: q leaves the matrix (they wait for ktcli resume)."
        )
        return False

    def open_rows(self, cause: Cause) -> list[str]:
        """The rows of a cause still to decide."""
        return [r.id for r in self.rows if not decided(cause, r.id)]

    def skip_rest(self) -> None:
        """Skip the open rows of the cause just ruled out; on to the next cause."""
        if self.offer is None:
            return
        cause = next(c for c in self.causes if c.id == self.offer)
        left = self.open_rows(cause)
        for row in left:
            self._mark(Mark(cause.id, row, SKIP))
        self.message = f"skipped {len(left)} rows of {cause.id}"
        self.offer = None
        self._to_open(self.ci, self.ri)

    # -- drawing -----------------------------------------------------------------------------

    def counts(self) -> tuple[int, int, int]:
        """Decided cells, of those the skipped ones (not tested), and all cells."""
        if "counts" not in self.cache:
            tallies = [self._tally(c) for c in self.causes]
            self.cache["counts"] = (
                sum(t[0] for t in tallies),
                sum(t[1] for t in tallies),
                len(self.causes) * len(self.rows),
            )
        return self.cache["counts"]  # type: ignore[no-any-return]

    def lines(self) -> list[tuple[str, str]]:
        """The whole screen, as (style, text) fragments, one line each (no trailing spaces)."""
        w = max(20, self.width)
        cause, row = self.causes[self.ci], self.rows[self.ri]
        done, skipped, total = self.counts()
        out: list[tuple[str, str]] = []
        head = f"Testing the causes · {cause.id} · {self.ri + 1}/{len(self.rows)} · "
        # Skipped cells are decided but not tested: the counter says which is which.
        tally = f"{done - skipped}/{total} tested" + (f" · {skipped} skipped" if skipped else "")
        out.append(("bold", cut(head + tally, w)))
        out += [("class:dim", line) for line in textwrap.wrap(KEYS, w)[:2]]
        out += self._grid(w)
        out += self._detail(cause, row, w)
        out += self._ranking(w)
        if self.message:
            out += [("class:warn", line) for line in textwrap.wrap(self.message, w)[:2]]
        return out

    def _columns(self, w: int) -> range:
        id_w = max(len(c.id) for c in self.causes) + 1
        fit = max(1, (w - id_w - 12) // 4)
        first = max(0, min(self.ri - fit // 2, len(self.rows) - fit))
        return range(first, min(len(self.rows), first + fit))

    def _grid(self, w: int) -> list[tuple[str, str]]:
        id_w = max(len(c.id) for c in self.causes) + 1
        cols = self._columns(w)
        room = max(1, min(GRID_LINES, self.height - _FIXED))
        first = max(0, min(self.ci - room // 2, len(self.causes) - room))
        numbers = "".join(f"{n + 1:^4}" for n in cols)
        out = [("class:dim", (" " * id_w + numbers).rstrip())]
        for ci in range(first, min(len(self.causes), first + room)):
            c = self.causes[ci]
            cells = "".join(
                (f"[{sym:^2}]" if (ci, n) == (self.ci, self.ri) else f" {sym:^2} ")
                for n in cols
                for sym in (self._symbol(c, self.rows[n].id),)
            )
            text = f"{c.id:<{id_w}}{cells} "
            line = text + cut(clean(c.text), w - len(text))
            out.append(("bold" if ci == self.ci else "", line.rstrip()))
        return out

    @staticmethod
    def _symbol(cause: Cause, row: str) -> str:
        if row in cause.skipped:
            return SKIPPED_SYMBOL
        test = cause.tests.get(row)
        if test is None or test.note == PENDING:
            return OPEN_SYMBOL
        return VERDICT_SYMBOLS[test.verdict]

    def _detail(self, cause: Cause, row: Row, w: int) -> list[tuple[str, str]]:
        test = cause.tests.get(row.id)
        now = "skipped" if row.id in cause.skipped else "not tested yet"
        if test is not None:
            now = f"{test.verdict.replace('_', ' ')}: {test.note}"
        lines = [
            f"{cause.id}: {cause.text}",
            f"{row.label} - IS: {cell_text(row.is_)}",
            f"{row.label} - IS NOT: {cell_text(row.is_not)}",
            f"now: {now}",
        ]
        return [("", "")] + [("", cut(clean(line), w)) for line in lines]

    def _ranking(self, w: int) -> list[tuple[str, str]]:
        if "ranking" not in self.cache:
            self.cache["ranking"] = rank_causes(self.board.analysis)[:4]
        out = [("class:dim", "Ranking so far:")]
        for n, r in enumerate(self.cache["ranking"], 1):
            extra = f", {len(r.assumptions)} assumptions" if r.assumptions else ""
            line = f"{n}. {r.cause.id} {r.standing}{extra} - {clean(r.cause.text)}"
            out.append(("", cut(line, w)))
        return out

    def note_prompt(self) -> str:
        """The words before the note line."""
        if self.verdict == "explains_only_if":
            return "Only if (the assumption): "
        if self.verdict == "explains":
            return "Explains because (Enter: no reason): "
        return "Cannot explain because (Enter: no reason): "


def matrix_app(
    screen: MatrixScreen, *, output: Output | None = None, input: Input | None = None
) -> Application[Any]:
    """The full-screen prompt_toolkit application drawing ``screen``."""
    from prompt_toolkit.application import Application
    from prompt_toolkit.buffer import Buffer
    from prompt_toolkit.filters import Condition
    from prompt_toolkit.key_binding import ConditionalKeyBindings, merge_key_bindings
    from prompt_toolkit.layout import Dimension, HSplit, Layout, Window
    from prompt_toolkit.layout.containers import ConditionalContainer
    from prompt_toolkit.layout.controls import BufferControl, FormattedTextControl
    from prompt_toolkit.layout.processors import AppendAutoSuggestion, BeforeInput
    from prompt_toolkit.styles import Style

    from ktcli.ui.answer_line import WordSuggest, WordWrap, take_suggestion
    from ktcli.ui.prompts import SUGGESTION_STYLE

    # The analysis is long-lived and large (200 x 30 tests): a full garbage collection
    # walking it paused a keypress by 100 ms. Frozen objects are not walked again;
    # the caller unfreezes when the screen is left (QuestionaryPrompter._matrix).
    gc.collect()
    gc.freeze()
    typing = Condition(lambda: screen.verdict is not None)
    suggest = WordSuggest(screen.vocabulary.words)
    buffer = Buffer(multiline=False, read_only=~typing, auto_suggest=suggest)

    def fragments() -> StyleAndTextTuples:
        size = app.output.get_size()
        screen.width, screen.height = size.columns, size.rows
        out: StyleAndTextTuples = []
        for style, text in screen.lines():
            out += [(style, text), ("", "\n")]
        return out[:-1]

    body = Window(FormattedTextControl(fragments), wrap_lines=False)
    note = ConditionalContainer(
        Window(
            BufferControl(
                buffer,
                input_processors=[
                    BeforeInput(screen.note_prompt),
                    AppendAutoSuggestion(),
                    WordWrap(),
                ],
            ),
            # A long note wraps at words under the grid, its label kept in view.
            height=Dimension(min=1, max=NOTE_LINES),
            wrap_lines=True,
        ),
        filter=typing,
    )
    style = Style.from_dict(
        {"dim": "ansibrightblack", "warn": "ansiyellow", "auto-suggestion": SUGGESTION_STYLE}
    )
    app: Application[Any] = Application(
        layout=Layout(HSplit([body, note]), focused_element=buffer),
        key_bindings=merge_key_bindings(
            [
                _bindings(screen, buffer, typing),
                ConditionalKeyBindings(take_suggestion(suggest), typing),
            ]
        ),
        style=style,
        full_screen=True,
        output=output,
        input=input,
    )
    return app


def _bindings(screen: MatrixScreen, buffer: Any, typing: Any) -> KeyBindings:
    from prompt_toolkit.document import Document
    from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent

    from ktcli.ui.answer_line import WordSuggest

    kb = KeyBindings()
    moving = ~typing

    def mover(dc: int, dr: int) -> Any:
        def handler(event: KeyPressEvent) -> None:
            screen.move(dc, dr)

        return handler

    for key, step in (("up", (-1, 0)), ("down", (1, 0)), ("left", (0, -1)), ("right", (0, 1))):
        kb.add(key, filter=moving)(mover(*step))

    for key in VERDICT_KEYS:

        @kb.add(key, filter=moving, eager=True)
        def _verdict(event: KeyPressEvent, key: str = key) -> None:
            screen.choose(key)
            test = screen.causes[screen.ci].tests.get(screen.rows[screen.ri].id)
            keep = test.note if test and test.verdict == screen.verdict else ""
            keep = keep if keep != PENDING else ""
            buffer.set_document(Document(keep, len(keep)), bypass_readonly=True)

    @kb.add("s", filter=moving, eager=True)
    def _skip(event: KeyPressEvent) -> None:
        screen.skip_rest()

    @kb.add("enter", filter=typing)
    def _note(event: KeyPressEvent) -> None:
        if screen.enter_note(buffer.text):
            buffer.reset()
            if isinstance(buffer.auto_suggest, WordSuggest):
                buffer.auto_suggest.words = screen.vocabulary.words

    @kb.add("escape", filter=typing, eager=True)
    def _cancel(event: KeyPressEvent) -> None:
        screen.cancel_note()
        buffer.reset()

    @kb.add("<any>", filter=moving)
    def _other(event: KeyPressEvent) -> None:
        # Any other key while a skip is offered: go on without skipping.
        screen.offer = None

    _leaving(kb, screen, moving)
    return kb


def _leaving(kb: KeyBindings, screen: MatrixScreen, moving: Any) -> None:
    """The keys that leave the screen: done, leave, quit, back, go to a section, Ctrl-C."""
    from prompt_toolkit.key_binding import KeyPressEvent

    def leave(result: Any) -> Any:
        def handler(event: KeyPressEvent) -> None:
            event.app.exit(result=result)

        return handler

    @kb.add("enter", filter=moving)
    def _done(event: KeyPressEvent) -> None:
        if screen.done():
            event.app.exit(result="")

    kb.add("q", filter=moving, eager=True)(leave(""))
    kb.add("c-d", eager=True)(leave(Command.QUIT))
    kb.add("c-p", filter=moving, eager=True)(leave(Command.BACK))
    kb.add("c-g", filter=moving, eager=True)(leave("goto"))

    @kb.add("c-c", eager=True)
    def _interrupt(event: KeyPressEvent) -> None:
        event.app.exit(exception=KeyboardInterrupt())
