"""The line a text answer is typed on: wrapped at words, and the word being typed completed.

prompt_toolkit wraps an input line at the last column, mid-word. :class:`WordWrap`
pads the line before a word that would cross the right edge, so the word starts
the next row, and hides the one space that a word ending exactly at the edge
would push to the start of the next row. Its position mappings keep the cursor
where the text is: Left, Right, Backspace, Home and End edit the answer as typed.

:class:`WordSuggest` proposes the rest of the word being typed from the
analysis's own words (``ktcli.session.words``), greyed after the cursor as fish
does; Tab takes it (:func:`take_suggestion`), as does Right at the end of the line.

Imported only when a prompt is drawn (by ``ktcli.ui.prompts``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from prompt_toolkit.auto_suggest import AutoSuggest, Suggestion
from prompt_toolkit.buffer import Buffer
from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import (
    AnyFormattedText,
    StyleAndTextTuples,
    fragment_list_width,
    to_formatted_text,
)
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.layout.processors import Processor, Transformation, TransformationInput
from prompt_toolkit.utils import get_cwidth

from ktcli.session.words import complete

TAKE_KEY = "tab"
ESCAPE = "[ZeroWidthEscape]"


class WordSuggest(AutoSuggest):
    """The rest of the word being typed, from the analysis's words; only at the end of the line."""

    def __init__(self, words: Sequence[str]) -> None:
        self.words = words

    def get_suggestion(self, buffer: Buffer, document: Document) -> Suggestion | None:
        """The proposal for the text before the cursor, or None."""
        if not document.is_cursor_at_the_end:
            return None
        rest = complete(self.words, document.text_before_cursor)
        return Suggestion(rest) if rest else None


def take_suggestion(suggest: WordSuggest) -> KeyBindings:
    """Tab takes the proposal, worked out again: typed-ahead keys may come before it is drawn."""
    kb = KeyBindings()

    @kb.add(TAKE_KEY, eager=True)
    def _take(event: KeyPressEvent) -> None:
        buffer = event.current_buffer
        proposal = suggest.get_suggestion(buffer, buffer.document)
        if proposal is not None:
            buffer.insert_text(proposal.text)

    return kb


@dataclass
class _Row:
    """Where the drawing of one input line stands: its row (wrap count) and column."""

    wraps: int
    x: int


class WordWrap(Processor):
    """Pad before a word that would cross the right edge, so that it starts the next row."""

    def apply_transformation(self, ti: TransformationInput) -> Transformation:
        """The line's fragments with padding; positions mapped both ways."""
        prefix = _prefix(ti)
        chars = [(style, c) for style, text, *_ in ti.fragments for c in text]
        out: StyleAndTextTuples = []
        to_display: list[int] = []  # per input position, the output position
        to_source: list[int] = []  # per output position, the input position
        row = _Row(0, prefix(0))
        n = 0  # input positions (zero-width escapes take none)
        for i, (style, c) in enumerate(chars):
            if ESCAPE in style:
                out.append((style, c))
                continue
            width = get_cwidth(c)
            if c != " " and (n == 0 or _space_before(chars, i)):
                pad = _padding(ti.width, row, _word_width(chars, i), prefix)
                out.extend((style, " ") for _ in range(pad))
                to_source.extend(n for _ in range(pad))
                row.x += pad
            if row.x + width > ti.width:
                # The window wraps here, as prompt_toolkit does.
                row.wraps += 1
                row.x = prefix(row.wraps)
                if c == " " and n > 0 and not _space_before(chars, i):
                    # The word before ended at the edge: its space is not drawn.
                    to_display.append(len(to_source))
                    n += 1
                    continue
            to_display.append(len(to_source))
            to_source.append(n)
            out.append((style, c))
            row.x += width
            n += 1
        to_display.append(len(to_source))
        to_source.append(n)
        return Transformation(
            out,
            source_to_display=lambda i: _at(to_display, i),
            display_to_source=lambda i: _at(to_source, i),
        )


def _at(table: list[int], i: int) -> int:
    """The table's entry, or past its end as far as ``i`` is past it."""
    if i < len(table):
        return table[max(i, 0)]
    return table[-1] + i - (len(table) - 1)


def _space_before(chars: list[tuple[str, str]], i: int) -> bool:
    j = i - 1
    while j >= 0 and ESCAPE in chars[j][0]:
        j -= 1
    return j >= 0 and chars[j][1] == " "


def _word_width(chars: list[tuple[str, str]], i: int) -> int:
    width = 0
    for style, c in chars[i:]:
        if ESCAPE in style:
            continue
        if c == " ":
            break
        width += get_cwidth(c)
    return width


def _padding(width: int, row: _Row, word: int, prefix: _Prefix) -> int:
    """Spaces that move a word to the next row: when it does not fit here and fits there."""
    start = prefix(row.wraps + 1)
    if row.x + word <= width or start + word > width or start >= row.x:
        return 0
    return width - row.x


class _Prefix:
    """The width of what the window draws before each row of one line (the prompt, or none)."""

    def __init__(self, get: Callable[[int, int], AnyFormattedText] | None, lineno: int) -> None:
        self.get = get
        self.lineno = lineno
        self.widths: dict[int, int] = {}

    def __call__(self, wraps: int) -> int:
        if wraps not in self.widths:
            prefix = self.get(self.lineno, wraps) if self.get is not None else ""
            self.widths[wraps] = fragment_list_width(to_formatted_text(prefix))
        return self.widths[wraps]


def _prefix(ti: TransformationInput) -> _Prefix:
    """The line prefix of the window that shows this buffer (a prompt's message is one)."""
    from prompt_toolkit.application.current import get_app

    for window in get_app().layout.find_all_windows():
        if window.content is ti.buffer_control:
            return _Prefix(window.get_line_prefix, ti.lineno)
    return _Prefix(None, ti.lineno)
