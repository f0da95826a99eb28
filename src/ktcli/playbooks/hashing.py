"""Traceability: the hashes an analysis records of its playbook, and what changed since. Pure."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ktcli.core.model import PlaybookRef
    from ktcli.playbooks.model import Playbook


def _digest(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_hash(playbook: Playbook) -> str:
    """sha256 of the canonical JSON of a (merged) playbook: sorted keys, no spaces, UTF-8."""
    return _digest(playbook.model_dump(mode="json"))


#: Item kinds in the per-item hashes, with the words used to describe them.
_ITEM_WORDS = {
    "about": "name, description, tags or extends",
    "row": "guide for row",
    "extra_row": "extra row",
    "evidence": "evidence",
    "cause": "known cause",
    "data_request": "data request",
    "terms": "probing terms",
}


def item_hashes(playbook: Playbook) -> dict[str, str]:
    """A 12-hex-digit hash per item (``cause:ID``, ``row:ID``, ...), to say later what changed."""
    data = playbook.model_dump(mode="json")
    items = {
        "about": _digest([data[k] for k in ("name", "description", "tags", "extends")]),
        "terms": _digest(data["terms"]),
    }
    for row_id, guide in data["rows"].items():
        items[f"row:{row_id}"] = _digest(guide)
    for key, kind in (
        ("extra_rows", "extra_row"),
        ("evidence", "evidence"),
        ("causes", "cause"),
        ("data_requests", "data_request"),
    ):
        for entry in data[key]:
            items[f"{kind}:{entry['id']}"] = _digest(entry)
    return {k: v[:12] for k, v in items.items()}


def make_ref(playbook: Playbook) -> PlaybookRef:
    """What an analysis records about the (merged) playbook it used."""
    from ktcli.core.model import PlaybookRef

    return PlaybookRef(
        id=playbook.id,
        version=playbook.version,
        sha256=content_hash(playbook),
        items=item_hashes(playbook),
    )


def _item_words(key: str) -> str:
    kind, _, ident = key.partition(":")
    words = _ITEM_WORDS.get(kind, kind)
    return f"{words} {ident!r}" if ident else words


def describe_changes(recorded: PlaybookRef, current: Playbook) -> list[str]:
    """What differs between the playbook an analysis recorded and ``current``; empty if nothing."""
    if recorded.id != current.id:
        return [f"a different playbook: {current.id!r} instead of {recorded.id!r}"]
    if recorded.sha256 == content_hash(current):
        return []
    version = (
        [f"version {recorded.version} is now {current.version}"]
        if recorded.version != current.version
        else []
    )
    if not recorded.items:
        return [*version, "the content changed (no per-item record to compare)"]
    now = item_hashes(current)
    items = []
    for key in recorded.items:
        if key not in now:
            items.append(f"{_item_words(key)} was removed")
        elif now[key] != recorded.items[key]:
            items.append(f"{_item_words(key)} changed")
    items += [f"{_item_words(key)} was added" for key in now if key not in recorded.items]
    # The hash differs, so something changed even if no item says so (e.g. the version).
    return [*version, *items] or ["the content changed"]
