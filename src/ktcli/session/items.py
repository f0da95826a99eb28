"""Items: a question with its answered-test and how to apply an answer; shared helpers.

A question is answered when the analysis holds its answer. Where an answer
leaves nothing behind (an empty "anything else?", a rating that kept its
default) its id goes to ``analysis.progress``; when every question is
answered ``progress`` shrinks to ``["complete"]``. Two-part answers (a fact
and its source, a verdict and its reason) are stored at once with the visible
placeholder :data:`PENDING` in the second part, so the file is valid and
complete up to the last answer at every moment.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ktcli.core.model import Analysis, Fact, NeedData, NotApplicable
from ktcli.session.guide import NO_GUIDE, Guide
from ktcli.session.questions import Mark, Question, Value, View

#: The visible stand-in for the second half of a two-part answer not given yet.
PENDING = "(to be answered)"
#: ``progress`` holds only this once every question has been answered.
COMPLETE = "complete"


@dataclass
class Env:
    """What applying an answer needs from outside: the analyst, the time, the export wish."""

    who: str
    now: datetime
    guide: Guide = NO_GUIDE
    export: str | None = None


@dataclass(frozen=True)
class Checked:
    """A text answer checked before it is applied: as it is, refused, or to be confirmed."""

    #: What to apply (the answer, or the answer written out in full).
    value: str
    #: Why it is refused, with an example; "" when it is not.
    problem: str = ""
    #: A yes/no question to ask before applying ``value``; "" for none.
    confirm: str = ""
    #: Said when the confirmation is declined (then the question is asked again).
    declined: str = ""


@dataclass(frozen=True)
class Item:
    """A question and its behaviour; built fresh from the analysis before every question."""

    question: Question
    done: Callable[[Analysis], bool]
    apply: Callable[[Analysis, Value, Env], str]
    #: The answer may leave nothing in the analysis, so ``progress`` remembers it.
    tracked: bool = False
    #: For answers files: the analysis already holds what this question would ask for.
    given: Callable[[Analysis], bool] | None = None
    #: Something to show once this question is answered.
    after: View | None = None
    #: Asked again after every non-empty answer ("anything else?").
    loop: bool = False
    #: How a refined answer (after a probing question) replaces the first one; default: apply.
    refine: Callable[[Analysis, Value, Env], str] | None = None
    #: An empty answer means "later": skipped for the rest of this session, asked on resume.
    deferrable: bool = False
    #: An offer, not a question a complete analysis needs (the export, playbook evidence):
    #: a run without a terminal does not list it as missing.
    offer: bool = False
    #: A matrix question: how one mark of its screen is applied; the words for the history.
    mark: Callable[[Analysis, Mark], str] | None = None
    #: Checks a non-empty text answer (against the time it is given) before it is applied.
    check: Callable[[str, datetime], Checked] | None = None

    @property
    def id(self) -> str:
        """The question id."""
        return self.question.id


def answered(a: Analysis, item: Item) -> bool:
    """True when the analysis (or ``progress``) holds this question's answer."""
    if item.done(a):
        return True
    return item.tracked and (item.id in a.progress or COMPLETE in a.progress)


def answer_text(value: Value) -> str:
    """A text answer without surrounding blanks; anything else (a key, a tick list) as ""."""
    return value.strip() if isinstance(value, str) else ""


def last_source(a: Analysis) -> str | None:
    """The source of the most recent fact, offered as the default for the next one."""
    sources = [
        c.source
        for r in a.specification
        for c in (r.is_, r.is_not)
        if isinstance(c, Fact) and c.source != PENDING
    ]
    return sources[-1] if sources else None


def used_sources(a: Analysis, first: str | None = None) -> list[str]:
    """The sources of this analysis's facts, most recent first; ``first`` leads when given."""
    seen = [
        c.source
        for r in a.specification
        for c in (r.is_, r.is_not)
        if isinstance(c, Fact) and c.source != PENDING
    ]
    ordered = [first] if first and first != PENDING else []
    for s in reversed(seen):
        if s and s not in ordered:
            ordered.append(s)
    return ordered


def source_reply(v: Value) -> tuple[str, str]:
    """A source question's reply as (source, status); status "" where none was asked."""
    if isinstance(v, tuple) and len(v) == 2:
        return answer_text(v[0]), v[1]
    return answer_text(v), ""


def retext(of: Callable[[Analysis], list[Any]]) -> Callable[[Analysis, Value, Env], str]:
    """Refining an answer that added an item edits that item instead of adding another."""

    def refine(a: Analysis, v: Value, env: Env) -> str:
        last = of(a)[-1]
        last.text = answer_text(v)
        return f"refined {last.id}: {last.text}"

    return refine


def cell_text(cell: object) -> str:
    """An IS / IS NOT cell in a few words, for the context of a later question."""
    if isinstance(cell, Fact):
        return cell.text
    if isinstance(cell, NotApplicable):
        return f"not applicable ({cell.reason})"
    if isinstance(cell, NeedData):
        return f"need more data ({cell.who}: {cell.how})"
    return "-"
