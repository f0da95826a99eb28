"""The analysis's own words, offered to complete the word being typed in a text answer.

Pure: the engine gives every text question the words of the analysis as it
stands (``Question.words``); the terminal prompt shows :func:`complete`'s
proposal after the cursor, and one key takes it. ``bench/count_questions.py``
counts keys with the same function, so the figure is what the prompt offers.

A word is a run of letters and digits, joined by ``-``, ``.``, ``/``, ``:`` or
``_`` (``connection-pool``, ``db-3.eu``); only words of :data:`MIN_LENGTH`
characters or more are offered, the most frequent first, then the most recent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ktcli.core.model import Analysis

#: Shorter words are quicker typed than read: not offered.
MIN_LENGTH = 5
#: Characters typed before a proposal is shown.
MIN_TYPED = 2
WORD = re.compile(r"\w+(?:[-./:]\w+)*")
#: The word being typed: what stands before the cursor, a joiner at its end included.
TYPING = re.compile(r"\w[\w\-./:]*$")
#: Kept so that completion stays quick however long the analysis.
LIMIT = 2000


def texts(a: Analysis) -> Iterator[str]:
    """The texts people wrote into the analysis, in the order the session asks them."""
    yield a.title
    yield from _optional(a.business_impact)
    for k in a.appraisal.concerns:
        yield k.text
        yield from _optional(k.owner)
    yield from _optional(a.appraisal.depth_reason)
    if a.statement is not None:
        yield a.statement.object
        yield a.statement.deviation
    for row in a.specification:
        for cell in (row.is_, row.is_not):
            yield from _cell(cell)
    yield from (d.text for d in a.distinctions)
    yield from (x.text for x in a.changes)
    for c in a.causes:
        yield c.text
        yield from (t.note for t in c.tests.values())
    for v in a.verifications:
        yield v.checks
        yield v.method
        yield from _optional(v.result)
    for x in a.actions:
        yield x.text
        yield from _optional(x.owner)
    yield from _decision(a)
    yield from _protection(a)


def _optional(text: str | None) -> Iterator[str]:
    if text:
        yield text


def _cell(cell: object) -> Iterator[str]:
    # The fields of a fact, a not-applicable or a need-data cell that people type.
    for name in ("text", "source", "reason", "who", "how"):
        value = getattr(cell, name, None)
        if isinstance(value, str):
            yield value


def _decision(a: Analysis) -> Iterator[str]:
    d = a.decision
    if d is None:
        return
    yield from _optional(d.statement)
    yield from (m.text for m in d.musts)
    yield from (w.text for w in d.wants)
    for o in d.options:
        yield o.text
        yield from (r.text for r in o.risks)
        yield from (s.fact for s in o.screens.values() if s.fact)
        yield from (s.fact for s in o.scores.values() if s.fact)


def _protection(a: Analysis) -> Iterator[str]:
    p = a.protection
    if p is None:
        return
    yield from _optional(p.plan)
    for step in p.steps:
        yield step.text
        for pp in step.problems:
            yield pp.text
            yield from pp.causes


class Vocabulary:
    """Words ranked as :func:`ranked` ranks them, kept up to date as texts are added.

    The matrix screen builds one when it opens and adds each note as it is
    entered: ranking the whole analysis again at a keypress would be too slow.
    """

    def __init__(self, written: Iterable[str] = ()) -> None:
        self._count: dict[str, int] = {}
        self._last: dict[str, int] = {}
        self._n = 0
        self._words: tuple[str, ...] | None = None
        self.add(*written)

    def add(self, *written: str) -> None:
        """Count the words of these texts, the most recent last."""
        for text in written:
            for match in WORD.finditer(text):
                word = match.group()
                if len(word) >= MIN_LENGTH:
                    self._count[word] = self._count.get(word, 0) + 1
                    self._last[word] = self._n
                    self._n += 1
        self._words = None

    @property
    def words(self) -> tuple[str, ...]:
        """Most frequent first, then most recent; at most :data:`LIMIT`."""
        if self._words is None:
            count, last = self._count, self._last
            order = sorted(count, key=lambda w: (-count[w], -last[w]))
            self._words = tuple(order[:LIMIT])
        return self._words


def ranked(written: Iterable[str]) -> tuple[str, ...]:
    """The words of these texts worth offering: most frequent first, then most recent."""
    return Vocabulary(written).words


def vocabulary(a: Analysis) -> tuple[str, ...]:
    """The words of this analysis, as a text question offers them."""
    return ranked(texts(a))


def words_for(kind: str, a: Analysis) -> tuple[str, ...]:
    """The words a question of this kind offers: the analysis's for a typed text, else none."""
    return vocabulary(a) if kind in ("text", "cell") else ()


def complete(words: Sequence[str], before: str) -> str:
    """What completes the word typed at the end of ``before``: the rest of a known word, or "".

    The first word (in ``words``' order) that starts with what is typed, in the
    same case if one does, else in any case; nothing before :data:`MIN_TYPED`
    characters, and nothing for a word already whole.
    """
    match = TYPING.search(before)
    if match is None or len(match.group()) < MIN_TYPED:
        return ""
    typed = match.group()
    folded = typed.casefold()
    other = ""
    for word in words:
        if len(word) <= len(typed):
            continue
        if word.startswith(typed):
            return word[len(typed) :]
        if not other and word[: len(typed)].casefold() == folded:
            other = word[len(typed) :]
    return other
