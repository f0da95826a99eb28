"""Pitfalls in what people say, and the probing question that answers each. Pure.

The one language module: the guided session's live probe, the quality gates
(KT102, KT103), the non-interactive commands and ``ktcli probe`` all call
:func:`find_pitfalls` and :func:`bundled_part`, so they never disagree.

The term lists are data: a playbook adds its own through :meth:`Terms.extended`.
Matching is on whole words, case-insensitive, with one compiled pattern per
kind, so checking an answer costs microseconds. A vague word that is negated
("nothing is slow", "no longer intermittent") is not a pitfall: it is what an
IS NOT sounds like.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from ktcli.core.vocabulary import NextStep

PitfallKind = Literal["vague", "causal", "bundled", "loaded"]

# Vague words by what they leave out; each group has its own probing question.
# Kept short on purpose: a probe on every sentence teaches analysts to ignore probes.
FREQUENCY_TERMS: tuple[str, ...] = (
    "sometimes", "occasionally", "intermittent", "intermittently", "randomly", "at random",
    "now and then", "from time to time", "every so often", "on and off", "off and on",
    "all the time", "always", "constantly", "often", "sporadic", "sporadically",
    "every now and then",
)  # fmt: skip
SCOPE_TERMS: tuple[str, ...] = (
    "everything", "everyone", "everybody", "all users", "all our users", "all customers",
    "all sites", "all the sites", "most sites", "most users", "most customers", "some users",
    "some customers", "many users", "many customers", "a lot of users", "lots of users",
    "nothing works", "nothing loads", "nothing is working", "nothing opens", "nothing responds",
    "nobody can", "no one can", "several", "many", "a lot", "lots of", "whole company",
    "entire company", "the whole system", "the entire system",
)  # fmt: skip
DEGREE_TERMS: tuple[str, ...] = (
    "slow", "slowly", "slower", "sluggish", "laggy", "lagging", "takes forever", "forever",
    "performance", "very long", "too long", "ages", "bad",
)  # fmt: skip
FAILURE_TERMS: tuple[str, ...] = (
    "broken", "doesn't work", "does not work", "don't work", "not working", "isn't working",
    "stopped working", "weird", "strange", "funny", "odd", "glitch", "glitchy", "went crazy",
    "goes crazy", "gone crazy", "acting up", "acts up", "messed up", "unstable", "flaky",
    "issue", "issues", "problem", "problems", "is down", "are down", "was down", "went down",
    "hangs", "freezes", "crashes", "is dead", "died",
)  # fmt: skip
VAGUE_TERMS: tuple[str, ...] = FREQUENCY_TERMS + SCOPE_TERMS + DEGREE_TERMS + FAILURE_TERMS

# Phrases that present a cause as a fact. "since" alone is left out: "since Monday" is a
# time. The change phrases ("since your update yesterday") are patterns, below.
CAUSAL_TERMS: tuple[str, ...] = (
    "caused by", "causes", "causing", "due to", "because", "because of", "result of",
    "resulting from", "triggered by", "thanks to", "led to", "leads to", "blame", "to blame",
    "the reason is", "must be the", "obviously", "owing to", "as a result of",
)  # fmt: skip
#: Guesses offered as knowledge: a probe for the evidence behind them.
ASSUMPTION_TERMS: tuple[str, ...] = (
    "probably", "must be", "it must be", "has to be", "surely", "i bet", "i'm sure",
    "i am sure", "definitely", "clearly", "i guess", "i assume", "presumably", "hackers",
    "a virus", "sabotage",
)  # fmt: skip
_CHANGE_NOUNS = (
    r"update|upgrade|patch|patching|change|changes|migration|release|rollout|roll-out|"
    r"deploy|deployment|install|installation|reinstall|reboot|restart|firmware|"
    r"new version|switch|cutover|cut-over|maintenance"
)
#: "since the firmware rollout", "after your update yesterday", "ever since they patched".
CHANGE_PATTERNS: tuple[str, ...] = (
    rf"(?:ever\s+)?(?:since|after)\s+(?:(?:the|your|our|their|this|that|last|its|his|her|"
    rf"yesterday's|today's|friday's|monday's|[a-z]+'s)\s+)?(?:[\w.-]+\s+){{0,2}}"
    rf"(?:{_CHANGE_NOUNS})(?!\w)",
    r"(?:ever\s+)?since\s+(?:you|they|we|someone|somebody|it)\s+(?:\w+\s+)?"
    r"(?:updated|upgraded|patched|changed|migrated|released|rolled|deployed|installed|"
    r"rebooted|restarted|switched)(?!\w)",
)
LOADED_TERMS: tuple[str, ...] = (
    "useless", "garbage", "rubbish", "ridiculous", "unacceptable", "disaster", "nightmare",
    "incompetent", "stupid", "idiots", "furious", "terrible", "horrible", "awful", "pathetic",
    "again!", "as usual", "always the same", "fed up", "joke", "sick of", "worst",
)  # fmt: skip
#: Words that join two things. Used by :func:`bundled_part` on an object or a deviation
#: only: "POST /orders" and "2026/11/20" are one thing, so a slash needs spaces around it.
BUNDLE_TERMS: tuple[str, ...] = ("and", "or", "as well as", "plus", "and also", "&", ";", " / ")

QUESTIONS: dict[str, str] = {
    "frequency": (
        "How often exactly is '{term}'? How many times, since when, at which hours; "
        "and when could it have happened but did not?"
    ),
    "scope": (
        "Which ones exactly are '{term}'? Name those affected, and the closest ones "
        "that could be affected but are not."
    ),
    "degree": ("How much is '{term}'? Measured how, and what is the normal value it departs from?"),
    "failure": (
        "What exactly is seen when you say '{term}'? Which error, which screen or step, "
        "and what should happen instead?"
    ),
    "vague": "What do you mean by '{term}'? What else do you mean by it? What exactly is seen?",
    "causal": (
        "How can we be sure that is the cause? What test or evidence showed it? "
        "Describe what is seen, and keep the cause for later."
    ),
    "assumption": (
        "What makes you think so ('{term}')? What evidence do you have, and who saw it? "
        "Record it as a possible cause, to be tested against the facts."
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

_GROUPS: dict[str, str] = {
    **dict.fromkeys(FREQUENCY_TERMS, "frequency"),
    **dict.fromkeys(SCOPE_TERMS, "scope"),
    **dict.fromkeys(DEGREE_TERMS, "degree"),
    **dict.fromkeys(FAILURE_TERMS, "failure"),
    **dict.fromkeys(ASSUMPTION_TERMS, "assumption"),
}

# A vague word right after one of these is negated: "nothing is slow", "not intermittent".
_NEGATED = re.compile(
    r"(?:\b(?:not|no|never|nothing|none|nobody|without|no longer|hardly)|n't)"
    r"(?:\s+(?:is|was|are|were|be|been|seems?|looks?|feels?|at all|any|longer|more|too|so|that|"
    r"very|really|even))*\s+$",
    re.IGNORECASE,
)
# Words for ticket trackers: "three open issues in Jira" is not a vague complaint.
_TRACKER = re.compile(
    r"(?:jira|github|gitlab|tracker|ticket|tickets|backlog|linked|open|closed|known)\s+$"
    r"|^\s+(?:#\d|[A-Z]+-\d|in\s+(?:jira|github|gitlab|the\s+tracker|the\s+backlog)"
    r"|tickets?\b|records?\b|management\b|numbers?\b)",
    re.IGNORECASE,
)
# Fixed phrases that contain a vague word but state a fact.
_FACT_PHRASES = re.compile(
    r"bad gateway|bad request|slow query log|slow log|slow-query|everything else|all other|"
    r"all of the other|performance test|performance counter|performance schema",
    re.IGNORECASE,
)


def _pattern(terms: tuple[str, ...], raw: tuple[str, ...] = ()) -> re.Pattern[str] | None:
    if not terms and not raw:
        return None
    # Longest first so "because of" wins over "because".
    parts = list(raw)
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
    causal: tuple[str, ...] = CAUSAL_TERMS + ASSUMPTION_TERMS
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
            "causal": _pattern(self.causal, CHANGE_PATTERNS),
            "loaded": _pattern(self.loaded),
            "bundled": _pattern(self.bundled),
        }


DEFAULT_TERMS = Terms()


def _question(kind: PitfallKind, term: str) -> str:
    group = _GROUPS.get(term.lower(), kind)
    if kind == "causal" and group != "assumption":
        group = "causal"
    return QUESTIONS[group].format(term=term)


def _ignored(kind: PitfallKind, text: str, match: re.Match[str]) -> bool:
    """A hit that is not a pitfall here: negated, a tracker's "issue", or a fixed phrase."""
    if kind != "vague":
        return False
    before, after = text[: match.start()], text[match.end() :]
    around = text[max(0, match.start() - 24) : match.end() + 24]
    for fact in _FACT_PHRASES.finditer(around):
        start = max(0, match.start() - 24) + fact.start()
        if start <= match.start() < start + len(fact.group(0)):
            return True
    term = match.group(0).lower()
    if term in ("issue", "issues", "problem", "problems") and (
        _TRACKER.search(before[-24:]) or _TRACKER.search(after[:32])
    ):
        return True
    starts_negated = term.startswith(("not ", "nothing", "no one", "nobody", "don't", "doesn't"))
    return not starts_negated and _NEGATED.search(before[-40:]) is not None


def find_pitfalls(
    text: str,
    terms: Terms = DEFAULT_TERMS,
    *,
    kinds: tuple[PitfallKind, ...] = ("vague", "causal", "loaded"),
) -> list[Pitfall]:
    """Every pitfall in ``text``, at most one per kind and term, in the order of ``kinds``.

    ``bundled`` is only meaningful for an object or a deviation: ask
    :func:`bundled_part` for those.
    """
    hits: list[Pitfall] = []
    seen: set[tuple[str, str]] = set()
    for kind in kinds:
        if kind == "bundled":
            term = bundled_part(text, terms)
            if term is not None:
                hits.append(Pitfall("bundled", term, QUESTIONS["bundled"].format(term=term)))
            continue
        pattern = terms.patterns[kind]
        if pattern is None:
            continue
        for match in pattern.finditer(text):
            term = match.group(0).lower()
            if (kind, term) in seen or _ignored(kind, text, match):
                continue
            seen.add((kind, term))
            hits.append(Pitfall(kind, match.group(0), _question(kind, match.group(0))))
    return hits


# After "and" / "or", words that go on about the same state ("stay pending and are never
# shipped"); anything else after them (a new subject, or a new action: "answers in 5 s and
# drops 2 % of requests") is a second object or a second deviation.
_SAME_STATE = re.compile(
    r"(?:is|are|was|were|stays?|remains?|never|not|still|gets?|becomes?)\b", re.IGNORECASE
)


def bundled_part(text: str, terms: Terms = DEFAULT_TERMS) -> str | None:
    """The joining word when ``text`` (an object or a deviation) names more than one thing.

    Judged on what is joined, not on the word: ";", " / ", "as well as", "plus" and
    "and also" always join two things; "and" / "or" / "&" join two things unless what
    follows goes on about the same state ("orders stay pending and are never shipped").
    """
    pattern = terms.patterns["bundled"]
    if pattern is None:
        return None
    for match in pattern.finditer(text):
        word = match.group(0).strip().lower()
        if word not in ("and", "or", "&"):
            return match.group(0)
        rest = text[match.end() :].lstrip()
        if rest and not _SAME_STATE.match(rest):
            return match.group(0)
    return None


def bundled_object(text: str, terms: Terms = DEFAULT_TERMS) -> str | None:
    """The joining word when an object names two things: any "and", "or", "&" or ";"."""
    pattern = terms.patterns["bundled"]
    match = pattern.search(text) if pattern is not None else None
    return match.group(0).strip() if match else None


StatementPart = Literal["", "object", "deviation"]


def probe(
    text: str, part: StatementPart = "", terms: Terms = DEFAULT_TERMS, *, causal: bool = True
) -> list[Pitfall]:
    """Every pitfall in what someone said, as the session, the gates and the commands see it.

    ``part`` names a statement's object or deviation, where one thing joined to
    another is a pitfall too; any other text is checked for vague, causal and
    loaded words only. ``causal=False`` leaves out assumed causes, for texts that
    state requirements ("p99 must be below 1 s").
    """
    kinds: tuple[PitfallKind, ...] = (
        ("vague", "causal", "loaded") if causal else ("vague", "loaded")
    )
    hits = find_pitfalls(text, terms, kinds=kinds)
    joined = {"object": bundled_object, "deviation": bundled_part}.get(part)
    term = joined(text, terms) if joined is not None else None
    if term:
        hits.append(Pitfall("bundled", term, QUESTIONS["bundled"].format(term=term.strip())))
    return hits


#: A concern that weighs options: "whether to roll back or ...", "choose between ...".
_CHOOSING = re.compile(
    r"\bwhether\b.*\bor\b|\bwhether to\b|\b(?:choose|decide|pick)\b"
    r"|\bwhich (?:one|option|fix|way|approach)\b",
    re.IGNORECASE,
)
#: A concern about what could still go wrong: "could hit", "might fail", "the risk of".
_AT_RISK = re.compile(
    r"\b(?:could|might|risks?|risky|at risk|what if|in case|danger|threat)\b", re.IGNORECASE
)


def suggest_next_step(text: str) -> NextStep:
    """The next step a concern's wording suggests, to preselect when it is asked.

    Weighing options ("whether to ... or ...") suggests a decision; what could go
    wrong ("could", "might", "risk") suggests protecting a plan; anything else
    is something wrong now, whose cause is to be found. A suggestion only: the
    analyst confirms it or picks another.
    """
    if _CHOOSING.search(text):
        return "decision_analysis"
    if _AT_RISK.search(text):
        return "potential_problem_analysis"
    return "problem_analysis"
