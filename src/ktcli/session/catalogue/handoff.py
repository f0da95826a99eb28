"""The handoff: the offer to export it at the end of the session."""

from __future__ import annotations

from collections.abc import Iterator

from ktcli.core.model import Analysis
from ktcli.session.items import Env, Item, answer_text
from ktcli.session.questions import Question, Value
from ktcli.session.wording import EXPORTS


def iter_items(a: Analysis) -> Iterator[Item]:
    """The offer to export the handoff."""

    def choose(a: Analysis, v: Value, env: Env) -> str:
        env.export = None if answer_text(v) == "none" else answer_text(v)
        return ""

    yield Item(
        Question(
            "handoff.export",
            "handoff",
            "choice",
            "Export the handoff now?",
            field="",
            hint=f"later, any time: ktcli export {a.id} --format markdown",
            default="markdown",
            choices=EXPORTS,
        ),
        lambda a: False,
        choose,
        tracked=True,
        given=lambda a: False,
        offer=True,
    )
