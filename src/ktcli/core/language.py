"""Pitfalls in what people say, and the probing question that answers each. Pure.

The term lists are data: a playbook adds its own through :meth:`Terms.extended`.
Matching is on whole words, case-insensitive, with one compiled pattern per kind,
so checking an answer costs microseconds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

PitfallKind = Literal["vague", "causal", "bundled", "loaded"]

# Words that only say something is wrong, or how often, without saying what or how much.
# Kept short on purpose: a probe on every sentence teaches analysts to ignore probes.
VAGUE_TERMS: tuple[str, ...] = (
    "slow", "slowly", "sluggish", "broken", "doesn't work", "does not work", "not working",
    "isn't working", "sometimes", "occasionally", "intermittent", "intermittently", "randomly",
    "everything", "everyone", "everybody", "all the time", "always", "weird", "strange", "funny",
    "bad", "down", "issue", "issues", "problem", "problems", "glitch", "a lot", "lots of", "many",
    "several", "some users", "performance", "unstable", "laggy", "flaky",
)  # fmt: skip
# Phrases that present a cause as a fact. "since" alone is left out: "since Monday" is a time.
CAUSAL_TERMS: tuple[str, ...] = (
    "caused by", "causes", "causing", "due to", "because", "because of", "since the update",
    "since the upgrade", "since the patch", "since the change", "since the migration",
    "since the release", "after the update", "after the upgrade", "after the patch",
    "after the migration", "after the release", "result of", "resulting from", "triggered by",
    "thanks to", "led to", "leads to", "blame", "the reason is", "must be the", "obviously",
)  # fmt: skip
LOADED_TERMS: tuple[str, ...] = (
    "useless", "garbage", "rubbish", "ridiculous", "unacceptable", "disaster", "nightmare",
    "incompetent", "stupid", "idiots", "furious", "terrible", "horrible", "awful", "pathetic",
    "again!", "as usual", "always the same", "fed up", "joke",
)  # fmt: skip
#: Words that join two objects or deviations into one statement. A slash only with spaces
#: around it: "POST /orders" and "2026/11/20" are one thing.
BUNDLE_TERMS: tuple[str, ...] = ("and", "or", "as well as", "plus", "and also", "&", ";", " / ")

QUESTIONS: dict[PitfallKind, str] = {
    "vague": "What do you mean by '{term}'? What else do you mean by it? What exactly is seen?",
    "causal": (
        "How can we be sure that is the cause? What test or evidence showed it? "
        "Describe what is seen, and keep the cause for later."
    ),
    "bundled": (
        "This names more than one thing ('{term}'). Which one object and which one deviation "
        "is this about? Split the others into their own concerns."
    ),
    "loaded": (
        "What evidence do you have? Acknowledge the feeling, then back to the facts: "
        "what exactly happened, where and when?"
    ),
}


def _pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    if not terms:
        return None
    # Longest first so "because of" wins over "because".
    parts = []
    for term in sorted(set(terms), key=len, reverse=True):
        escaped = re.escape(term)
        left = r"(?<!\w)" if term[:1].isalnum() else ""
        right = r"(?!\w)" if term[-1:].isalnum() else ""
        parts.append(f"{left}{escaped}{right}")
    return re.compile("|".join(parts), re.IGNORECASE)


@dataclass(frozen=True)
class Pitfall:
    """One hit: its kind, the words that triggered it, and the probing question."""

    kind: PitfallKind
    term: str
    question: str


@dataclass(frozen=True)
class Terms:
    """The term lists in force: the defaults, plus whatever a playbook adds."""

    vague: tuple[str, ...] = VAGUE_TERMS
    causal: tuple[str, ...] = CAUSAL_TERMS
    loaded: tuple[str, ...] = LOADED_TERMS
    bundled: tuple[str, ...] = BUNDLE_TERMS

    def extended(
        self,
        *,
        vague: tuple[str, ...] = (),
        causal: tuple[str, ...] = (),
        loaded: tuple[str, ...] = (),
    ) -> Terms:
        """These terms plus more, e.g. from a playbook."""
        return Terms(
            vague=self.vague + tuple(vague),
            causal=self.causal + tuple(causal),
            loaded=self.loaded + tuple(loaded),
            bundled=self.bundled,
        )

    @cached_property
    def patterns(self) -> dict[PitfallKind, re.Pattern[str] | None]:
        """One compiled pattern per kind, built on first use."""
        return {
            "vague": _pattern(self.vague),
            "causal": _pattern(self.causal),
            "loaded": _pattern(self.loaded),
            "bundled": _pattern(self.bundled),
        }


DEFAULT_TERMS = Terms()


def find_pitfalls(
    text: str,
    terms: Terms = DEFAULT_TERMS,
    *,
    kinds: tuple[PitfallKind, ...] = ("vague", "causal", "loaded"),
) -> list[Pitfall]:
    """Every pitfall in ``text``, at most one per kind and term, in the order of ``kinds``.

    ``bundled`` is only meaningful for a problem statement, so callers ask for it there.
    """
    hits: list[Pitfall] = []
    seen: set[tuple[str, str]] = set()
    for kind in kinds:
        pattern = terms.patterns[kind]
        if pattern is None:
            continue
        for match in pattern.finditer(text):
            term = match.group(0).lower()
            if (kind, term) in seen:
                continue
            seen.add((kind, term))
            hits.append(Pitfall(kind, match.group(0), QUESTIONS[kind].format(term=match.group(0))))
    return hits
