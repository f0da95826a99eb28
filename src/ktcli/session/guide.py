"""The playbook seam: what a playbook adds to a session, as plain data.

The playbook file format (``ktcli.playbooks.model``) is validated pydantic; the
adapter there (``ktcli.playbooks.library.guide``) turns a merged playbook into a
:class:`Guide`, so the session never depends on the file format.
"""

from __future__ import annotations

from dataclasses import dataclass

from ktcli.core.language import DEFAULT_TERMS, Terms
from ktcli.core.model import Dimension


@dataclass(frozen=True)
class RowGuide:
    """Playbook advice for one row: a sharper question and a hint in the product's terms."""

    row: str
    question: str | None = None
    hint: str | None = None


@dataclass(frozen=True)
class ExtraRow:
    """A specification row a playbook adds to the eleven standard ones."""

    id: str
    dimension: Dimension
    label: str
    question: str
    hint: str = ""


@dataclass(frozen=True)
class KnownCause:
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


@dataclass(frozen=True)
class Guide:
    """What a playbook adds to a session; the empty guide adds nothing."""

    id: str | None = None
    rows: tuple[RowGuide, ...] = ()
    extra_rows: tuple[ExtraRow, ...] = ()
    causes: tuple[KnownCause, ...] = ()
    evidence: tuple[EvidenceItem, ...] = ()
    terms: Terms = DEFAULT_TERMS

    def row_guide(self, row_id: str) -> RowGuide | None:
        """The advice for one row, if the playbook has any."""
        return next((g for g in self.rows if g.row == row_id), None)


NO_GUIDE = Guide()
