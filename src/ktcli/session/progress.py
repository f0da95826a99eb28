"""Where am I: the section, what is left in it and in the session, and a summary for resume.

Pure: computed from the analysis and the catalogue, like the questions themselves.
Counts are of the questions known now; loops ("anything else?") and new causes
may add some, so "left" is a lower bound and the estimate says "about".
"""

from __future__ import annotations

from collections import Counter

from ktcli.core.model import Analysis
from ktcli.session.catalogue import items
from ktcli.session.depth import mode
from ktcli.session.guide import NO_GUIDE, Guide
from ktcli.session.items import Item, answered
from ktcli.session.questions import SECTIONS, WALKED, Section

#: Seconds per prompt for the estimate: a fact typed with the customer on the line.
SECONDS_PER_PROMPT = 20


def _sections(a: Analysis) -> tuple[Section, ...]:
    m = mode(a)
    return tuple(s for s in WALKED if m in s.modes)


def _known(a: Analysis) -> tuple[Section, ...]:
    # Until the depth is chosen, only the appraisal's questions exist: the other
    # sections have none open, but are not finished either.
    secs = _sections(a)
    return secs if a.appraisal.depth is not None else secs[:1]


def open_counts(a: Analysis, guide: Guide = NO_GUIDE) -> tuple[Counter[str], frozenset[str]]:
    """Unanswered questions per section id, and the sections that have any question.

    One pass over the items serves both (the export offer is not counted as left).
    """
    left: Counter[str] = Counter()
    present: set[str] = set()
    for i in items(a, guide):
        present.add(i.question.section)
        if not answered(a, i) and i.id != "handoff.export":
            left[i.question.section] += 1
    return left, frozenset(present)


def estimate(left: int) -> str:
    """'about 12 min' for the prompts left."""
    minutes = max(1, round(left * SECONDS_PER_PROMPT / 60))
    return f"about {minutes} min"


def place(a: Analysis, item: Item, counts: Counter[str]) -> str:
    """The header of a prompt: 'Specification · section 3 of 10 · 12 left here · 40 in all'."""
    secs = _sections(a)
    ids = [s.id for s in secs]
    here = item.question.section
    title = next((s.title for s in SECTIONS if s.id == here), here)
    left_all = sum(counts.values())
    if here not in ids:  # a section asked on its own (decide, protect)
        return f"{title} · {counts.get(here, 0)} left here, {estimate(counts.get(here, 0))}"
    n = ids.index(here) + 1
    # Before the depth is chosen only the appraisal's questions exist: a total would
    # promise a five-question session. Say what the count is until then.
    whole = "in all" if a.appraisal.depth is not None else "until the depth is chosen"
    return (
        f"{title} · section {n} of {len(secs)} · {counts.get(here, 0)} left here"
        f" · {left_all} {whole}, {estimate(left_all)}"
    )


def finished(a: Analysis, counts: Counter[str], present: frozenset[str]) -> tuple[str, ...]:
    """The sections whose questions are all answered.

    A section with no question yet (verification before any cause) is not
    finished: it has not begun.
    """
    return tuple(s.id for s in _known(a) if s.id in present and not counts.get(s.id))


def summary(a: Analysis, guide: Guide = NO_GUIDE) -> list[str]:
    """Three lines for ``resume``: what is done, what is open, what comes next; [] when new."""
    counts, present = open_counts(a, guide)
    secs = _known(a)
    # A section after the last open one (the handoff, say) is not done: not reached yet.
    last = max((n for n, s in enumerate(secs) if counts.get(s.id)), default=len(secs))
    ended = set(finished(a, counts, present))
    done = [s.title for s in secs[:last] if s.id in ended]
    if not done:
        return []
    open_ = [f"{s.title} ({counts[s.id]})" for s in secs if counts.get(s.id)]
    nxt = next(
        (i for i in items(a, guide) if not answered(a, i) and i.id != "handoff.export"), None
    )
    return [
        "Done: " + ", ".join(done) + ".",
        "Open: " + (", ".join(open_) or "nothing") + f"; {estimate(sum(counts.values()))}.",
        "Next: " + (nxt.question.text if nxt else "the handoff"),
    ]
