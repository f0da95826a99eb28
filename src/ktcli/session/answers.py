"""Answers files: fill what a hand-written file may leave out, so the model can validate it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ktcli.core.ids import next_id
from ktcli.core.model import STANDARD_ROW_IDS, STANDARD_ROWS

_LISTS = {
    "distinctions": "d",
    "changes": "ch",
    "causes": "c",
    "verifications": "v",
    "actions": "a",
    "data_requests": "r",
    "open_questions": "q",
}


def complete_partial(
    data: dict[str, Any], *, analysis_id: str, title: str | None, who: str, now: datetime
) -> dict[str, Any]:
    """Fill what a hand-written answers file may leave out, so the model can validate the rest.

    Filled: id, title (from the command line), timestamps, analysts, missing list
    item ids, the ``kind`` of IS / IS NOT cells, and the standard rows not given.
    Everything that *is* given must be complete and valid.
    """
    out = dict(data)
    out.setdefault("id", analysis_id)
    if title:
        out["title"] = title
    stamp = now.isoformat().replace("+00:00", "Z")
    out.setdefault("created_at", stamp)
    out.setdefault("updated_at", stamp)
    out.setdefault("analysts", [who])
    appraisal = out.get("appraisal")
    if isinstance(appraisal, dict) and isinstance(appraisal.get("concerns"), list):
        _fill_ids(appraisal["concerns"], "k")
    for key, prefix in _LISTS.items():
        if isinstance(out.get(key), list):
            _fill_ids(out[key], prefix)
    spec = out.get("specification")
    if isinstance(spec, list):
        out["specification"] = _complete_rows(spec)
    return out


def _complete_rows(spec: list[Any]) -> list[Any]:
    """The standard rows in their order, given or empty, then the others; cells get a kind."""
    given = {r.get("id"): r for r in spec if isinstance(r, dict)}
    rows: list[Any] = []
    for rid, dim, label in STANDARD_ROWS:
        row = given.pop(rid, None)
        if row is None:
            rows.append({"id": rid, "dimension": dim, "label": label})
            continue
        row = dict(row)
        row.setdefault("dimension", dim)
        row.setdefault("label", label)
        rows.append(row)
    rows += [r for r in spec if not (isinstance(r, dict) and r.get("id") in STANDARD_ROW_IDS)]
    for row in rows:
        if isinstance(row, dict):
            _fill_kinds(row)
    return rows


def _fill_kinds(row: dict[str, Any]) -> None:
    """The ``kind`` of each IS / IS NOT cell that leaves it out, told by the fields it has."""
    for side in ("is", "is_not"):
        if isinstance(row.get(side), dict) and "kind" not in row[side]:
            cell = row[side] = dict(row[side])
            cell["kind"] = (
                "not_applicable"
                if "reason" in cell
                else "need_data"
                if "who" in cell or "how" in cell
                else "fact"
            )


def _fill_ids(items_: list[Any], prefix: str) -> None:
    taken = [x["id"] for x in items_ if isinstance(x, dict) and isinstance(x.get("id"), str)]
    for n, x in enumerate(items_):
        if isinstance(x, dict) and "id" not in x:
            new = next_id(prefix, taken)
            taken.append(new)
            items_[n] = {"id": new, **x}
