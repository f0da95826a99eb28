"""Same problem? Two analyses compared by their specifications, not their titles (pure).

A fact that is IS now and was IS NOT then (or the reverse) is evidence that it
is *not* the same problem, however alike the titles; matching facts, and most
of all matching distinctions and changes, are evidence that it is. Texts are
alike when most of their words are shared and every number or identifier in
them (a word with a digit: ``eu-2``, ``500``, ``v3.1``) is the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ktcli.core.model import Analysis

#: Share of words two texts must have in common to be alike.
ALIKE = 0.7

SAME = "likely the same problem"
NOT_SAME = "not the same problem"
DIFFERENT = "probably not the same problem"
UNKNOWN = "cannot tell yet"


@dataclass(frozen=True)
class Profile:
    """What a comparison needs of an analysis: its statement, facts, distinctions and fix."""

    id: str
    title: str
    object: str | None = None
    deviation: str | None = None
    #: Row id to (label, IS fact, IS NOT fact); a side is None when it holds no fact.
    rows: dict[str, tuple[str, str | None, str | None]] = field(default_factory=dict)
    distinctions: tuple[str, ...] = ()
    changes: tuple[str, ...] = ()
    true_cause: str | None = None
    verified_by: tuple[str, ...] = ()
    fix: tuple[str, ...] = ()

    def as_data(self) -> dict[str, Any]:
        """Plain data, for storing the profile as JSON."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.__dict__.items()}

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Profile:
        """The profile back from :meth:`as_data`."""
        rows = {k: (v[0], v[1], v[2]) for k, v in data.get("rows", {}).items()}
        return cls(
            id=data["id"],
            title=data["title"],
            object=data.get("object"),
            deviation=data.get("deviation"),
            rows=rows,
            distinctions=tuple(data.get("distinctions", ())),
            changes=tuple(data.get("changes", ())),
            true_cause=data.get("true_cause"),
            verified_by=tuple(data.get("verified_by", ())),
            fix=tuple(data.get("fix", ())),
        )

    def words(self) -> str:
        """The text a search for similar analyses starts from: title, statement, IS facts."""
        parts = [self.title, self.object or "", self.deviation or ""]
        parts += [is_ for _, is_, _ in self.rows.values() if is_]
        return " ".join(parts)


def profile(a: Analysis) -> Profile:
    """The comparable part of an analysis."""
    from ktcli.core.model import Fact

    rows = {}
    for row in a.specification:
        is_ = row.is_.text if isinstance(row.is_, Fact) else None
        is_not = row.is_not.text if isinstance(row.is_not, Fact) else None
        if is_ or is_not:
            rows[row.id] = (row.label, is_, is_not)
    true_cause: str | None = None
    verified: tuple[str, ...] = ()
    if a.true_cause is not None:
        cause = a.cause(a.true_cause.cause)
        true_cause = cause.text if cause else a.true_cause.cause
        verified = tuple(
            f"{v.method}: {v.result}" if v.result else v.method
            for v in a.verifications
            if v.id in a.true_cause.verifications and v.status == "confirmed"
        )
    return Profile(
        id=a.id,
        title=a.title,
        object=a.statement.object if a.statement else None,
        deviation=a.statement.deviation if a.statement else None,
        rows=rows,
        distinctions=tuple(d.text for d in a.distinctions),
        changes=tuple(c.text for c in a.changes),
        true_cause=true_cause,
        verified_by=verified,
        fix=tuple(x.text for x in a.actions if x.kind == "corrective"),
    )


_WORD = re.compile(r"\w+")


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def alike(a: str | None, b: str | None) -> bool:
    """Most words shared, and the same numbers and identifiers."""
    if not a or not b:
        return False
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return False
    if {w for w in wa if any(c.isdigit() for c in w)} != {
        w for w in wb if any(c.isdigit() for c in w)
    }:
        return False
    return len(wa & wb) / len(wa | wb) >= ALIKE


@dataclass(frozen=True)
class Finding:
    """One row (or the statement) compared: what kind of evidence, and the two texts."""

    row: str
    label: str
    now: str
    then: str
    reason: str


@dataclass
class Comparison:
    """A new analysis against a past one: the evidence each way, and what it adds up to."""

    past: Profile
    matches: list[Finding] = field(default_factory=list)
    contradictions: list[Finding] = field(default_factory=list)
    differences: list[Finding] = field(default_factory=list)
    not_comparable: list[str] = field(default_factory=list)
    alike_distinctions: list[tuple[str, str]] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        """Contradictions decide against; otherwise the matching facts must outweigh the others."""
        if self.contradictions:
            return NOT_SAME
        if not self.matches and not self.differences:
            return UNKNOWN
        if len(self.differences) > len(self.matches):
            return DIFFERENT
        return SAME

    @property
    def score(self) -> float:
        """For ranking: distinctions and changes count most, contradictions most against."""
        return (
            len(self.matches)
            + 2 * len(self.alike_distinctions)
            - len(self.differences)
            - 3 * len(self.contradictions)
        )

    def reasons(self) -> list[str]:
        """The evidence in words, strongest first."""
        out = [f"{f.label}: {f.reason}" for f in self.contradictions]
        out += [f"alike: {now} / {then}" for now, then in self.alike_distinctions]
        out += [f"{f.label}: {f.reason}" for f in self.matches]
        out += [f"{f.label}: {f.reason}" for f in self.differences]
        if self.not_comparable:
            out.append(f"cannot compare yet: {', '.join(self.not_comparable)}")
        return out


def _side(cmp: Comparison, finding: Finding) -> None:
    """Both analyses hold a fact on this side: alike or not."""
    alike_now = alike(finding.now, finding.then)
    kind = "matches" if alike_now else "differs"
    done = Finding(
        finding.row, finding.label, finding.now, finding.then, f"{finding.reason} {kind}"
    )
    (cmp.matches if alike_now else cmp.differences).append(done)


def _crossed(
    row: str, label: str, now: tuple[str | None, str | None], then: tuple[str | None, str | None]
) -> list[Finding]:
    """Facts on opposite sides: IS now and IS NOT then, or the reverse."""
    out = []
    if now[0] and then[1] and alike(now[0], then[1]):
        out.append(Finding(row, label, now[0], then[1], f"IS now, IS NOT then: {now[0]}"))
    if now[1] and then[0] and alike(now[1], then[0]):
        out.append(Finding(row, label, now[1], then[0], f"IS NOT now, IS then: {now[1]}"))
    return out


def _statement(new: Profile, past: Profile) -> Finding | None:
    if alike(new.object, past.object) and alike(new.deviation, past.deviation):
        now, then = f"{new.object} {new.deviation}", f"{past.object} {past.deviation}"
        return Finding("statement", "statement", now, then, "same object and deviation")
    return None


def compare(new: Profile, past: Profile) -> Comparison:
    """Row by row: matching facts, contradicting ones (IS now, IS NOT then), and the rest."""
    cmp = Comparison(past)
    same = _statement(new, past)
    if same is not None:
        cmp.matches.append(same)
    for row, (label, is_now, not_now) in new.rows.items():
        _, is_then, not_then = past.rows.get(row, (label, None, None))
        crossed = _crossed(row, label, (is_now, not_now), (is_then, not_then))
        cmp.contradictions += crossed
        pairs = [(is_now, is_then, "IS"), (not_now, not_then, "IS NOT")]
        both = [(n, t, side) for n, t, side in pairs if n and t]
        for now, then, side in both if not crossed else ():
            _side(cmp, Finding(row, label, now or "", then or "", side))
        if not crossed and not both:
            cmp.not_comparable.append(label)
    for mine in new.distinctions + new.changes:
        theirs = next((t for t in past.distinctions + past.changes if alike(mine, t)), None)
        if theirs is not None:
            cmp.alike_distinctions.append((mine, theirs))
    return cmp
