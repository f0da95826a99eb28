"""A fact's source, picked from those used already (or typed new), and verified / reported.

One prompt: the sources of this analysis are offered as completions while you
type (any part of the name matches; Tab moves through them, the first Tab picks the first),
Enter on an empty line takes the first (for an IS NOT: the source of its IS),
and Ctrl-V switches between verified (seen yourself) and reported (heard).

prompt_toolkit is imported inside :func:`ask_source`.
"""

from __future__ import annotations

import shutil
import textwrap
from typing import TYPE_CHECKING, Any

from ktcli.core.text import clean

if TYPE_CHECKING:
    from prompt_toolkit.key_binding import KeyBindings

    from ktcli.session.questions import Question

TOGGLE_KEY = "c-v"


def status_words(verified: bool) -> str:
    """The status as the prompt shows it."""
    return "verified (seen yourself)" if verified else "reported (heard or read)"


def ask_source(q: Question, special: KeyBindings) -> Any:
    """Ask; (source, "verified" | "reported"), or what a special key returned."""
    from prompt_toolkit import PromptSession
    from prompt_toolkit.completion import FuzzyWordCompleter
    from prompt_toolkit.formatted_text import FormattedText
    from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent, merge_key_bindings
    from prompt_toolkit.styles import Style

    from ktcli.ui.answer_line import WordWrap

    source0, status0 = q.default if isinstance(q.default, tuple) else ("", "reported")
    state = {"verified": status0 == "verified"}
    kb = KeyBindings()

    @kb.add(TOGGLE_KEY, eager=True)
    def _toggle(event: KeyPressEvent) -> None:
        state["verified"] = not state["verified"]

    width = max(40, shutil.get_terminal_size().columns)
    text = "\n  ".join(textwrap.wrap(clean(q.text), width - 3, break_on_hyphens=False))
    # The status and the answer on a line of their own when the question leaves no room.
    gap = "\n  " if len(text.rsplit("\n", 1)[-1]) + 30 + 24 > width else " "

    def message() -> FormattedText:
        return FormattedText(
            [
                ("class:qmark", "? "),
                ("class:question", text),
                ("class:status", f"{gap}[{status_words(state['verified'])}] "),
            ]
        )

    def toolbar() -> str:
        if width < 80:
            return "Tab: sources · Ctrl-V: verified / reported · Enter"
        return "Tab: sources used before · Ctrl-V: verified / reported · Enter: take it"

    sources = [clean(c.value) for c in q.choices]
    session: PromptSession[Any] = PromptSession(
        message,
        completer=FuzzyWordCompleter(sources),
        complete_while_typing=True,
        # A long source wraps at words as it is typed, as every typed answer does.
        input_processors=[WordWrap()],
        key_bindings=merge_key_bindings([kb, special]),
        placeholder=FormattedText([("class:placeholder", clean(q.suggested or ""))]),
        bottom_toolbar=toolbar,
        style=Style.from_dict(
            {
                "qmark": "fg:ansicyan bold",
                "question": "bold",
                "status": "fg:ansicyan",
                "placeholder": "fg:ansibrightblack italic",
                "bottom-toolbar": "noreverse fg:ansibrightblack",
            }
        ),
        erase_when_done=False,
    )

    def open_menu() -> None:
        # The sources used before are on screen from the start: Tab picks the first.
        session.default_buffer.start_completion(select_first=False)

    result = session.prompt(default=source0, pre_run=open_menu if sources else None)
    if not isinstance(result, str):
        return result
    source = result.strip() or q.suggested or ""
    return (source, "verified" if state["verified"] else "reported")
