"""extends merging, the content hash, the PlaybookRef and the plain-words change report."""

from __future__ import annotations

import pytest

from ktcli.core.model import Analysis, PlaybookRef
from ktcli.playbooks.hashing import content_hash, describe_changes, item_hashes, make_ref
from ktcli.playbooks.merge import merge
from ktcli.playbooks.model import Playbook


def pb(**fields: object) -> Playbook:
    base: dict[str, object] = {
        "schema_version": 1,
        "id": "p",
        "name": "P",
        "version": "1.0",
        "description": "d",
    }
    return Playbook.model_validate({**base, **fields})


def cause(cid: str, text: str = "t") -> dict[str, object]:
    return {"id": cid, "text": text, "confirm": "c", "explains": ["when-first"]}


def test_merge_overrides_by_id_in_place_and_adds() -> None:
    parent = pb(
        id="base",
        tags=["a", "b"],
        causes=[cause("one"), cause("two")],
        rows={
            "when-first": {"questions": ["Q1"], "hint": "old", "is_not": ["X"]},
            "extent-size": {"hint": "keep"},
        },
        terms={"vague": ["laggy"]},
    )
    child = pb(
        id="child",
        extends="base",
        tags=["b", "c"],
        causes=[cause("two", "replaced"), cause("three")],
        rows={"when-first": {"questions": ["Q2", "Q1"], "hint": "new"}, "where-location": {}},
        terms={"vague": ["laggy", "choppy"], "causal": ["ever since"]},
    )
    merged = merge(parent, child)
    assert (merged.id, merged.extends, merged.name) == ("child", "base", "P")
    assert merged.tags == ["a", "b", "c"]
    assert [(c.id, c.text) for c in merged.causes] == [
        ("one", "t"),
        ("two", "replaced"),
        ("three", "t"),
    ]
    first = merged.rows["when-first"]
    assert (first.questions, first.hint, first.is_not) == (["Q1", "Q2"], "new", ["X"])
    assert merged.rows["extent-size"].hint == "keep"
    assert list(merged.rows) == ["when-first", "extent-size", "where-location"]
    assert merged.terms.vague == ["laggy", "choppy"]
    assert merged.terms.causal == ["ever since"]


def test_child_without_hint_keeps_the_parent_hint() -> None:
    merged = merge(pb(rows={"when-first": {"hint": "h"}}), pb(rows={"when-first": {}}))
    assert merged.rows["when-first"].hint == "h"


def test_hash_is_stable_and_content_sensitive() -> None:
    a = pb(causes=[cause("one")], rows={"when-first": {"hint": "h"}, "extent-size": {}})
    same = pb(rows={"extent-size": {}, "when-first": {"hint": "h"}}, causes=[cause("one")])
    assert content_hash(a) == content_hash(same)  # key order does not matter
    assert len(content_hash(a)) == 64
    assert content_hash(a) != content_hash(pb(causes=[cause("one", "other")]))


def test_ref_records_id_version_hash_and_items() -> None:
    p = pb(
        causes=[cause("one")],
        evidence=[{"id": "dump", "what": "w", "why": "y"}],
        rows={"when-first": {"hint": "h"}},
        extra_rows=[{"id": "tier", "dimension": "where", "label": "L", "question": "Q"}],
        data_requests=[{"id": "har", "what": "w"}],
    )
    ref = make_ref(p)
    assert (ref.id, ref.version, ref.sha256) == ("p", "1.0", content_hash(p))
    assert set(ref.items) == {
        "about",
        "terms",
        "row:when-first",
        "extra_row:tier",
        "evidence:dump",
        "cause:one",
        "data_request:har",
    }
    assert all(len(h) == 12 for h in ref.items.values())
    assert item_hashes(p) == ref.items


def test_ref_survives_an_analysis_round_trip() -> None:
    from ktcli.core.document import parse_analysis, to_yaml

    ref = make_ref(pb(causes=[cause("one")]))
    a = Analysis.model_validate(
        {
            "id": "a1",
            "title": "T",
            "created_at": "2026-11-24T09:00:00Z",
            "updated_at": "2026-11-24T09:00:00Z",
            "playbook": ref.model_dump(),
        }
    )
    assert parse_analysis(to_yaml(a), "a.yaml").playbook == ref


def test_no_change_means_nothing_to_say() -> None:
    p = pb(causes=[cause("one")])
    assert describe_changes(make_ref(p), p) == []


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (
            {"version": "1.1", "causes": [cause("one"), cause("two")]},
            ["version 1.0 is now 1.1", "known cause 'two' was added"],
        ),
        ({"causes": []}, ["known cause 'one' was removed"]),
        ({"causes": [cause("one", "sharper")]}, ["known cause 'one' changed"]),
        (
            {"causes": [cause("one")], "rows": {"when-first": {"hint": "x"}}},
            ["guide for row 'when-first' was added"],
        ),
        (
            {"causes": [cause("one")], "description": "new words"},
            ["name, description, tags or extends changed"],
        ),
        (
            {"causes": [cause("one")], "terms": {"vague": ["choppy"]}},
            ["probing terms changed"],
        ),
    ],
)
def test_changes_in_plain_words(after: dict[str, object], expected: list[str]) -> None:
    before = make_ref(pb(causes=[cause("one")]))
    assert describe_changes(before, pb(**after)) == expected


def test_version_bump_alone() -> None:
    before = make_ref(pb())
    assert describe_changes(before, pb(version="2.0")) == ["version 1.0 is now 2.0"]


def test_ref_without_items_still_reports_a_change() -> None:
    p = pb()
    old = PlaybookRef(id="p", version="1.0", sha256="0" * 64)
    assert describe_changes(old, p) == ["the content changed (no per-item record to compare)"]


def test_a_different_playbook_is_said_so() -> None:
    assert describe_changes(make_ref(pb()), pb(id="q")) == [
        "a different playbook: 'q' instead of 'p'"
    ]
