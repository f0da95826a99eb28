"""The --json reads: one versioned envelope, a published schema, and the derived section.

Every read's real output is validated against the schema that ``ktcli schema
json`` prints (and that docs/json.schema.json holds); the derived section an
export ends with is recomputed on import, whatever the file says.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from ktcli import yamlio, yamlwrite
from ktcli.handoff.export import DERIVED_COMMENT
from tests.cli.test_archive import similar_store
from tests.cli.test_handoff import ID, build
from tests.conftest import EXAMPLES, ROOT, Run, run_in_child

EXAMPLE = EXAMPLES / "checkout-latency.yaml"
COMMITTED = ROOT / "docs" / "json.schema.json"


def schema(ktcli: Run, document: str) -> dict[str, Any]:
    res = ktcli("schema", document)
    assert res.code == 0, res.err
    loaded: dict[str, Any] = json.loads(res.out)
    return loaded


def valid(ktcli: Run, text: str, kind: str) -> dict[str, Any]:
    """The document, after checking it against the published schema and its kind."""
    data: dict[str, Any] = json.loads(text)
    jsonschema.Draft7Validator(schema(ktcli, "json")).validate(data)
    assert list(data)[:2] == ["kind", "version"]
    assert (data["kind"], data["version"]) == (kind, 1)
    return data


def test_the_committed_schema_is_the_generated_one(ktcli: Run) -> None:
    generated = schema(ktcli, "json")
    jsonschema.Draft7Validator.check_schema(generated)
    assert json.loads(COMMITTED.read_text(encoding="utf-8")) == generated, (
        "regenerate it: ktcli schema json > docs/json.schema.json"
    )


def test_the_schema_refuses_an_unknown_key_and_a_wrong_kind(ktcli: Run) -> None:
    ok = ktcli("show", str(EXAMPLE), "--json")
    data = json.loads(ok.out)
    validator = jsonschema.Draft7Validator(schema(ktcli, "json"))
    validator.validate(data)
    assert not validator.is_valid({**data, "surprise": 1})
    assert not validator.is_valid({**data, "kind": "list"})
    assert not validator.is_valid({**data, "version": 2})


def test_show_json_carries_the_analysis_and_what_follows_from_it(ktcli: Run) -> None:
    data = valid(ktcli, ktcli("show", str(EXAMPLE), "--json").out, "show")
    assert data["analysis"]["id"] == "checkout-latency"
    derived = data["derived"]
    assert [r["cause"] for r in derived["ranking"]] == ["c1", "c4", "c2", "c3", "c5"]
    assert derived["ranking"][0]["standing"] == "explains_all"
    assert derived["ranking"][1]["standing"] == "does_not_explain"
    best = derived["most_probable"]
    assert (best["cause"], best["true_cause"]) == ("c1", True)
    assert [a["row"] for a in best["assumptions"]] == ["when-first", "extent-size"]
    assert derived["tie"] is None
    assert derived["gates_passed"] is True
    assert [g["rule"] for g in derived["gates"]][:2] == ["KT101", "KT102"]


def test_check_json_lists_every_gate_and_still_exits_1_on_a_failure(ktcli: Run) -> None:
    build(ktcli)
    res = ktcli("check", ID, "--json")
    assert res.code == 1
    data = valid(ktcli, res.out, "check")
    assert (data["id"], data["passed"]) == (ID, False)
    failed = {g["rule"]: g["findings"] for g in data["gates"] if not g["passed"]}
    assert failed, "the analysis built with a gap fails a gate"
    assert all(findings for findings in failed.values())
    assert data["still_open"] > 0
    res = ktcli("check", str(EXAMPLE), "--json")
    assert res.code == 0
    assert valid(ktcli, res.out, "check")["passed"] is True


def test_status_and_diff_json(ktcli: Run, tmp_path: Path) -> None:
    build(ktcli)
    data = valid(ktcli, ktcli("status", ID, "--json").out, "status")
    assert data["id"] == ID
    assert data["next"]
    assert all(c.startswith("ktcli ") for c in data["next"])
    before = tmp_path / "before.yaml"
    assert ktcli("export", ID, "-o", str(before)).code == 0
    assert ktcli("fact", ID, "when-first", "Monday 08:00", "--source", "ticket").code == 0
    res = ktcli("diff", str(before), ID, "--json")
    assert res.code == 0, res.err
    data = valid(ktcli, res.out, "diff")
    assert (data["old_id"], data["new_id"]) == (ID, ID)
    changed = [d for d in data["differences"] if d["where"] == "specification.when-first.is"]
    assert [(d["change"], d["new"]) for d in changed] == [
        ("changed", "Monday 08:00 (source: ticket, reported)")
    ]


def test_list_search_and_similar_json(ktcli: Run, store_dir: Path) -> None:
    similar_store(store_dir)
    data = valid(ktcli, ktcli("list", "--json").out, "list")
    assert data["total"] == 3
    assert sorted(d["id"] for d in data["items"]) == ["now", "past-crossed", "past-same"]
    data = valid(ktcli, ktcli("search", "pool", "--json").out, "search")
    assert data["query"] == "pool"
    assert "past-same" in [d["id"] for d in data["items"]]
    data = valid(ktcli, ktcli("similar", "now", "--json").out, "similar")
    assert data["id"] == "now"
    assert data["candidates"][0]["id"] == "past-same"


# -- the derived section of an export ---------------------------------------------------------


def test_an_export_ends_with_the_derived_section_and_validates(ktcli: Run) -> None:
    text = ktcli("export", str(EXAMPLE)).out
    kept, comment, rest = text.partition(DERIVED_COMMENT)
    assert kept.startswith("---\nschema_version: 3\n")
    assert comment
    assert rest.startswith("derived:\n")
    data = yamlio.parse(text, "export.yaml")
    assert list(data)[-1] == "derived"
    assert data["derived"] == json.loads(ktcli("show", str(EXAMPLE), "--json").out)["derived"]
    handoff = schema(ktcli, "handoff")
    jsonschema.Draft7Validator(handoff).validate(data)
    jsonschema.Draft7Validator(handoff).validate(
        json.loads(ktcli("export", str(EXAMPLE), "-f", "json").out)
    )


@pytest.mark.parametrize(
    "tamper",
    [
        lambda d: {**d, "most_probable": None, "gates_passed": False, "ranking": []},
        lambda d: "c3 is the true cause",
        lambda d: None,
    ],
    ids=["edited", "a string", "null"],
)
@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_tampered_derived_section_changes_nothing(
    ktcli: Run, tmp_path: Path, tamper: Any, suffix: str
) -> None:
    original = EXAMPLE.read_text(encoding="utf-8")
    data = yamlio.parse(original, "example")
    data["derived"] = tamper(data["derived"])
    tampered = tmp_path / f"tampered{suffix}"
    text = yamlwrite.dump(data) if suffix == ".yaml" else json.dumps(data)
    assert text != original
    tampered.write_text(text, encoding="utf-8")
    # Read as a file, imported, and exported again: only what ktcli computes counts.
    assert ktcli("export", str(tampered)).out == original
    res = ktcli("import", str(tampered))
    assert res.code == 0, res.err
    assert ktcli("export", "checkout-latency").out == original
    shown = json.loads(ktcli("show", str(tampered), "--json").out)["derived"]
    assert shown["most_probable"]["cause"] == "c1"
    assert ktcli("check", str(tampered)).code == 0


@pytest.mark.parametrize("argv", [["show", str(EXAMPLE), "--json"], ["list", "--json"]])
def test_the_json_reads_never_load_the_renderer(argv: list[str]) -> None:
    out, loaded = run_in_child(*argv)
    assert json.loads(out)["kind"] == argv[0]
    assert not loaded & {"ktcli.ui.render", "ktcli.ui.archive_view", "rich.table"}
