"""What the ``--json`` reads print, and the derived section of an export. Pure.

Every ``--json`` document is one JSON object that starts with ``kind`` (the
command that printed it) and ``version`` (of these shapes, :data:`JSON_VERSION`).
The shapes are the TypedDicts below; ``ktcli schema json`` publishes them as a
JSON Schema (``ktcli.schema``), and docs/json.md says what each field means and
when the version changes.

The derived section (:func:`derived`) is what ktcli computes from an analysis:
the ranking, the most probable cause, a tie at the top, what remains to verify
and the quality gates. ``show --json`` carries it, ``check --json`` its gates,
and YAML and JSON exports end with it; reading a file drops it unread, so what
a file says there is never trusted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from typing_extensions import TypedDict

if TYPE_CHECKING:
    from ktcli.core.analysis import RankedCause
    from ktcli.core.gates import Finding
    from ktcli.core.model import Analysis

#: The version of the ``--json`` shapes. It rises when a field is removed, renamed or
#: changes meaning; a new field may appear without it (readers ignore what they do not know).
JSON_VERSION = 1


Standing = Literal["explains_all", "not_fully_tested", "does_not_explain", "refuted"]


class RowNote(TypedDict):
    """A row and what the test of a cause against it says."""

    row: str
    note: str


class RankedJson(TypedDict):
    """One cause in the ranking, most probable first."""

    rank: int
    cause: str
    standing: Standing
    explains: list[str]
    assumptions: list[RowNote]
    contradictions: list[RowNote]
    untested: list[str]
    refuted_by: list[str]


class MostProbableJson(TypedDict):
    """The most probable cause and the assumptions it rests on."""

    cause: str
    text: str
    assumptions: list[RowNote]
    true_cause: bool


class TieJson(TypedDict):
    """Causes level at the top, and the rows that do not tell them apart."""

    causes: list[str]
    unseparated: list[str]


class FindingJson(TypedDict):
    """What a failing gate found, and where."""

    message: str
    where: str


class GateJson(TypedDict):
    """One quality gate and its result."""

    rule: str
    name: str
    passed: bool
    findings: list[FindingJson]


class DerivedJson(TypedDict):
    """What ktcli computes from an analysis; never read from a file."""

    ranking: list[RankedJson]
    most_probable: MostProbableJson | None
    tie: TieJson | None
    remaining_to_verify: list[str]
    gates_passed: bool
    gates: list[GateJson]


class ShowJson(TypedDict):
    """``show --json``: the analysis as the handoff has it, and what follows from it."""

    kind: Literal["show"]
    version: int
    analysis: dict[str, Any]
    derived: DerivedJson


class CheckJson(TypedDict):
    """``check --json``: every gate with its result; the command exits 1 when one fails."""

    kind: Literal["check"]
    version: int
    id: str
    passed: bool
    gates: list[GateJson]
    still_open: int


class OpenJson(TypedDict):
    """One thing still open, and the command that moves it on."""

    kind: str
    text: str
    command: str


class StatusJson(TypedDict):
    """``status --json``: what is known, what is open, the next commands."""

    kind: Literal["status"]
    version: int
    id: str
    state: str
    title: str
    known: list[str]
    open: list[OpenJson]
    next: list[str]


class DifferenceJson(TypedDict):
    """One changed place between two analyses."""

    where: str
    label: str
    change: Literal["added", "removed", "changed"]
    old: str | None
    new: str | None


class DiffJson(TypedDict):
    """``diff --json``: what changed from one analysis to another, row by row."""

    kind: Literal["diff"]
    version: int
    old_id: str
    new_id: str
    differences: list[DifferenceJson]


class ListedJson(TypedDict):
    """One indexed analysis; ``error`` says why a file would not load."""

    source: str
    path: str
    id: str
    error: str | None
    status: str | None
    title: str | None
    ticket: str | None
    product: str | None
    analysts: list[str]
    priority: str | None
    depth: str | None
    created_at: str | None
    updated_at: str | None
    closed_at: str | None
    true_cause: str | None
    snippet: str | None


class ListJson(TypedDict):
    """``list --json``: the analyses, newest first; ``total`` counts all that matched."""

    kind: Literal["list"]
    version: int
    total: int
    items: list[ListedJson]


class SearchJson(TypedDict):
    """``search --json``: the analyses that hold every word, best match first."""

    kind: Literal["search"]
    version: int
    query: str
    items: list[ListedJson]


class CandidateJson(TypedDict):
    """One past analysis compared with this one, by their specifications."""

    id: str
    source: str
    title: str
    verdict: str
    score: float
    matching: int
    contradicting: int
    different: int
    not_comparable: list[str]
    reasons: list[str]
    true_cause: str | None
    verified_by: list[str]
    fix: list[str]


class SimilarJson(TypedDict):
    """``similar --json``: the candidates, most alike first."""

    kind: Literal["similar"]
    version: int
    id: str
    candidates: list[CandidateJson]


#: Every kind of ``--json`` document, by its ``kind``.
DOCUMENTS: dict[str, type] = {
    "show": ShowJson,
    "list": ListJson,
    "check": CheckJson,
    "status": StatusJson,
    "diff": DiffJson,
    "search": SearchJson,
    "similar": SimilarJson,
}


def _standing(r: RankedCause) -> Standing:
    if r.refuted and not r.contradictions:
        return "refuted"
    return ("explains_all", "not_fully_tested", "does_not_explain")[r.group]


def _notes(pairs: tuple[tuple[str, str], ...]) -> list[RowNote]:
    return [{"row": row, "note": note} for row, note in pairs]


def ranking(a: Analysis) -> list[RankedJson]:
    """The causes as :func:`ktcli.core.analysis.rank_causes` orders them."""
    from ktcli.core.analysis import rank_causes

    return [
        {
            "rank": n,
            "cause": r.cause.id,
            "standing": _standing(r),
            "explains": list(r.explains),
            "assumptions": _notes(r.assumptions),
            "contradictions": _notes(r.contradictions),
            "untested": list(r.untested),
            "refuted_by": list(r.refuted),
        }
        for n, r in enumerate(rank_causes(a), 1)
    ]


def gate_results(findings: list[Finding]) -> list[GateJson]:
    """Every quality gate in order, passed or with what it found."""
    from ktcli.core.gates import GATES

    return [
        {
            "rule": gate.rule,
            "name": gate.name,
            "passed": not found,
            "findings": [{"message": f.message, "where": f.where} for f in found],
        }
        for gate in GATES
        for found in ([f for f in findings if f.rule == gate.rule],)
    ]


def derived(a: Analysis) -> DerivedJson:
    """What follows from the analysis: ranking, most probable cause, tie, gates."""
    from ktcli.core.analysis import most_probable, remaining_to_verify, top_tie
    from ktcli.core.gates import check

    best = most_probable(a)
    tie = top_tie(a)
    findings = check(a)
    return {
        "ranking": ranking(a),
        "most_probable": None
        if best is None
        else {
            "cause": best.cause.id,
            "text": best.cause.text,
            "assumptions": _notes(best.assumptions),
            "true_cause": a.true_cause is not None and a.true_cause.cause == best.cause.id,
        },
        "tie": None
        if tie is None
        else {"causes": [r.cause.id for r in tie.causes], "unseparated": list(tie.unseparated)},
        "remaining_to_verify": remaining_to_verify(a),
        "gates_passed": not findings,
        "gates": gate_results(findings),
    }


def document(kind: str, **fields: Any) -> dict[str, Any]:
    """A ``--json`` document: ``kind`` and ``version`` first, then its fields."""
    if kind not in DOCUMENTS:
        raise ValueError(f"unknown --json kind {kind!r}")
    return {"kind": kind, "version": JSON_VERSION, **fields}
