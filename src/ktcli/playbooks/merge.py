"""Merging a playbook with the ones it ``extends``. Pure: the files come in already read."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ktcli.playbooks.files import located
from ktcli.playbooks.model import Playbook, RowGuide, Terms, problems

if TYPE_CHECKING:
    from ktcli.playbooks.files import PlaybookFile


def _union(first: Iterable[str], second: Iterable[str]) -> list[str]:
    return list(dict.fromkeys([*first, *second]))


def _by_id(parent: list[Any], child: list[Any]) -> list[Any]:
    """Parent items, each replaced in place by a child item with its id; new ones appended."""
    merged = {item.id: item for item in parent}
    for item in child:
        merged[item.id] = item
    return list(merged.values())


def merge(parent: Playbook, child: Playbook) -> Playbook:
    """``child`` on top of ``parent``: same id replaces, new ids and list entries add."""
    rows: dict[str, RowGuide] = {}
    for row_id in _union(parent.rows, child.rows):
        old, new = parent.rows.get(row_id), child.rows.get(row_id)
        if old is None or new is None:
            rows[row_id] = old or new  # type: ignore[assignment]
            continue
        rows[row_id] = RowGuide(
            questions=_union(old.questions, new.questions),
            hint=new.hint if new.hint is not None else old.hint,
            is_not=_union(old.is_not, new.is_not),
        )
    terms = Terms(
        vague=_union(parent.terms.vague, child.terms.vague),
        causal=_union(parent.terms.causal, child.terms.causal),
        loaded=_union(parent.terms.loaded, child.terms.loaded),
    )
    return child.model_copy(
        update={
            "tags": _union(parent.tags, child.tags),
            "rows": rows,
            "extra_rows": _by_id(parent.extra_rows, child.extra_rows),
            "evidence": _by_id(parent.evidence, child.evidence),
            "causes": _by_id(parent.causes, child.causes),
            "terms": terms,
            "data_requests": _by_id(parent.data_requests, child.data_requests),
        }
    )


def resolve_chain(
    start: PlaybookFile, lookup: Callable[[str], PlaybookFile | None]
) -> list[PlaybookFile]:
    """``start`` and every playbook it extends, child first; missing or circular is an error."""
    chain = [start]
    while (parent_id := chain[-1].playbook.extends) is not None:
        seen = [f.playbook.id for f in chain]
        if parent_id in seen:
            loop = " → ".join([*seen[seen.index(parent_id) :], parent_id])
            raise chain[-1].error(("extends",), f"circular extends: {loop}")
        parent = lookup(parent_id)
        if parent is None:
            raise chain[-1].error(
                ("extends",), f"extends {parent_id!r}, which is not a known playbook"
            )
        chain.append(parent)
    return chain


def merge_chain(chain: list[PlaybookFile]) -> Playbook:
    """Merge a chain from :func:`resolve_chain`; rows each file names must exist once merged."""
    merged = chain[-1].playbook
    for child in reversed(chain[:-1]):
        merged = merge(merged, child.playbook)
    known = merged.row_ids()
    for item in chain:
        if item.playbook.extends is None:
            continue  # checked against its own rows when it was read
        found = problems(item.playbook, known)
        if found:
            raise located(item.text, str(item.path), found)
    return merged
