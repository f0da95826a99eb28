"""The playbook seam: what a playbook adds to a session, as plain data.

The playbook file format (``ktcli.playbooks.model``) is validated pydantic, one
layer up; its adapter (``ktcli.playbooks.adapter.guide``) turns a merged
playbook into a :class:`Guide`, so the session never depends on the file
format. The two differ on purpose: a row's advice here is the finished hint (the
file's hints, IS NOT comparisons and data requests already joined), and an added
row or an offered cause carries only what a session asks or shows. Their names
differ from the file's (``RowGuide``, ``ExtraRow``, ``KnownCause``) so that one
module can use both. The term lists are core's :class:`~ktcli.core.language.Terms`.
"""

from __future__ import annotations

from dataclasses import dataclass

from ktcli.core.language import DEFAULT_TERMS, Terms
from ktcli.core.model import Dimension


@dataclass(frozen=True)
class RowAdvice:
    """Playbook advice for one row: a sharper question and a hint in the product's terms."""

    row: str
    question: str | None = None
    hint: str | None = None


@dataclass(frozen=True)
class AddedRow:
    """A specification row a playbook adds to the eleven standard ones."""

    id: str
    dimension: Dimension
    label: str
    question: str
    hint: str = ""


@dataclass(frozen=True)
class OfferedCause:
    """A cause the playbook knows for this product, offered on the causes step."""

    id: str
    text: str
    confirm: str = ""


@dataclass(frozen=True)
class EvidenceItem:
    """Something to collect (a log, a trace) before service restoration destroys it."""

    id: str
    text: str
    row: str | None = None
    requested_from: str = "customer"
    commands: tuple[str, ...] = ()


@dataclass(frozen=True)
class Guide:
    """What a playbook adds to a session; the empty guide adds nothing."""

    id: str | None = None
    rows: tuple[RowAdvice, ...] = ()
    extra_rows: tuple[AddedRow, ...] = ()
    causes: tuple[OfferedCause, ...] = ()
    evidence: tuple[EvidenceItem, ...] = ()
    terms: Terms = DEFAULT_TERMS

    def row_guide(self, row_id: str) -> RowAdvice | None:
        """The advice for one row, if the playbook has any."""
        return next((g for g in self.rows if g.row == row_id), None)


NO_GUIDE = Guide()
