"""The playbook format: a team's knowledge of one domain, as versioned YAML. Pure.

A playbook adds to the guided session what the method itself cannot know: which
IS NOT comparisons are good in this domain, which evidence disappears on a
restart and how to grab it first, which causes keep coming back and which rows
they usually explain. Unknown keys are errors, as in the analysis document.
Reading a file (``files``), finding (``discovery``), merging (``extends``, ``merge``),
hashing (``hashing``) and linting (``lint``) live beside it; ``adapter`` feeds the session.
See docs/playbooks.md.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from ktcli.core.analysis import Loc, duplicates
from ktcli.core.fields import Ident, OptText, Strict, Text
from ktcli.core.model import STANDARD_ROW_IDS, Dimension

#: Bumped only with a migration; the first key of every playbook file.
PLAYBOOK_SCHEMA_VERSION = 1


class RowGuide(Strict):
    """What a playbook adds to one row of the specification."""

    questions: list[Text] = Field(
        default_factory=list, description="Extra questions to ask for this row, in this domain."
    )
    hint: OptText | None = Field(
        default=None, description="A hint with a domain example; replaces an inherited hint."
    )
    is_not: list[Text] = Field(
        default_factory=list,
        description="Typical IS NOT comparisons for this row: the closest thing that could "
        "show the deviation, but does not.",
    )


class ExtraRow(Strict):
    """A specification row this domain needs beyond the eleven standard ones."""

    id: Ident
    dimension: Dimension
    label: Text = Field(description="Shown in the matrix, e.g. 'WHERE: HTTP endpoint'.")
    question: Text
    hint: OptText | None = None
    is_not: list[Text] = Field(default_factory=list, description="Typical IS NOT comparisons.")


class Evidence(Strict):
    """Evidence to collect, with the commands that collect it; becomes a data request."""

    id: Ident
    what: Text = Field(description="What to collect, in a few words.")
    why: Text = Field(description="What it shows, and why it must be taken now.")
    before_restart: bool = Field(
        default=False, description="True when a restart, failover or rollback destroys it."
    )
    commands: list[Text] = Field(
        default_factory=list, description="Commands to run, exactly as typed."
    )
    requested_from: Text = Field(
        default="analyst", description="Who collects it: analyst, customer, network team, ..."
    )
    row: Ident | None = Field(default=None, description="The row this evidence answers.")


class KnownCause(Strict):
    """A cause that keeps coming back in this domain."""

    id: Ident
    text: Text
    explains: list[Ident] = Field(
        default_factory=list, description="Rows this cause usually explains (standard or extra)."
    )
    confirm: Text = Field(description="How to confirm or refute it, safely.")


class Terms(Strict):
    """Words that trigger probing questions, added to ktcli's own lists."""

    vague: list[Text] = Field(default_factory=list)
    causal: list[Text] = Field(default_factory=list)
    loaded: list[Text] = Field(default_factory=list)


class DataRequestTemplate(Strict):
    """A request for data this domain often needs, ready to send."""

    id: Ident
    what: Text
    requested_from: Text = "customer"
    row: Ident | None = None


class Playbook(Strict):
    """A playbook: domain knowledge for the guided session (see docs/playbooks.md)."""

    schema_version: Literal[1] = Field(description="The playbook format version; always 1.")
    id: Ident
    name: Text
    version: Text = Field(description="The playbook's own version, as text, e.g. '1.2.0'.")
    description: Text
    tags: list[Text] = Field(default_factory=list)
    extends: Ident | None = Field(
        default=None,
        description="Id of a playbook to inherit: items with the same id are replaced, "
        "others added.",
    )
    rows: dict[str, RowGuide] = Field(
        default_factory=dict, description="Guides keyed by row id (standard or extra)."
    )
    extra_rows: list[ExtraRow] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    causes: list[KnownCause] = Field(default_factory=list)
    terms: Terms = Field(default_factory=Terms)
    data_requests: list[DataRequestTemplate] = Field(default_factory=list)

    @field_validator("version", mode="before")
    @classmethod
    def _version_is_text(cls, value: Any) -> Any:
        # YAML reads 1.10 as the float 1.1: refuse numbers rather than guess.
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            raise ValueError(
                'the version must be text in quotes, e.g. version: "1.10" '
                f"(unquoted, YAML reads it as the number {value})"
            )
        return value

    def row_ids(self) -> tuple[str, ...]:
        """The standard rows, then this playbook's extra rows."""
        return STANDARD_ROW_IDS + tuple(r.id for r in self.extra_rows)


def _own_problems(pb: Playbook) -> list[tuple[Loc, str]]:
    """Duplicate ids, and extra rows that reuse a standard row's id."""
    found: list[tuple[Loc, str]] = []
    for kind, key, ids in (
        ("extra row", "extra_rows", [r.id for r in pb.extra_rows]),
        ("evidence", "evidence", [e.id for e in pb.evidence]),
        ("cause", "causes", [c.id for c in pb.causes]),
        ("data request", "data_requests", [d.id for d in pb.data_requests]),
    ):
        found += duplicates(kind, ids, (key,))
    found += [
        (("extra_rows", i, "id"), f"{extra.id!r} is a standard row; guide it under rows")
        for i, extra in enumerate(pb.extra_rows)
        if extra.id in STANDARD_ROW_IDS
    ]
    return found


def _row_references(pb: Playbook) -> list[tuple[Loc, str | None]]:
    """Every place that names a row, in document order, with the row id it names."""
    refs: list[tuple[Loc, str | None]] = [(("rows", row_id), row_id) for row_id in pb.rows]
    refs += [
        (("causes", i, "explains", j), row_id)
        for i, cause in enumerate(pb.causes)
        for j, row_id in enumerate(cause.explains)
    ]
    refs += [(("evidence", i, "row"), e.row) for i, e in enumerate(pb.evidence)]
    refs += [(("data_requests", i, "row"), d.row) for i, d in enumerate(pb.data_requests)]
    return refs


def problems(pb: Playbook, known_rows: tuple[str, ...] | None) -> list[tuple[Loc, str]]:
    """Duplicate ids and references to unknown rows, each with the location of the bad value.

    ``known_rows`` is every row the merged playbook has (standard, own and
    inherited extra rows); ``None`` skips the row references, for a playbook
    whose parent is not known yet.
    """
    found = _own_problems(pb)
    if known_rows is None:
        return found
    rows = set(known_rows)
    return found + [
        (loc, f"unknown row {ref!r}")
        for loc, ref in _row_references(pb)
        if ref is not None and ref not in rows
    ]
