"""JSON Schemas for editors and scripts (yaml-language-server reads draft-07)."""

from __future__ import annotations

from typing import Any

DRAFT_07 = "http://json-schema.org/draft-07/schema#"

#: The documents with a published schema, for ``ktcli schema``.
DOCUMENTS = ("handoff", "playbook", "json")


def json_schema(document: str) -> dict[str, Any]:
    """The draft-07 JSON Schema of a ``handoff``, a ``playbook`` or the ``--json`` reads."""
    if document == "handoff":
        schema = _handoff()
        title = "ktcli handoff (analysis)"
    elif document == "playbook":
        from ktcli.playbooks.model import Playbook

        schema = Playbook.model_json_schema(by_alias=True)
        title = "ktcli playbook"
    elif document == "json":
        schema = _reads()
        title = "ktcli --json reads"
    else:
        raise ValueError(f"unknown document kind {document!r}")
    rest = {k: v for k, v in schema.items() if k != "title"}
    return {"$schema": DRAFT_07, "title": title, **rest}


def _typed(shape: Any) -> dict[str, Any]:
    """The schema of a TypedDict of :mod:`ktcli.core.readout`, closed to unknown keys."""
    from pydantic import TypeAdapter

    schema = TypeAdapter(shape).json_schema(ref_template="#/$defs/{model}")
    _close(schema)
    return schema


def _close(node: object) -> None:
    # Every shape lists all its keys: a key the schema does not know is drift, caught in tests.
    if isinstance(node, dict):
        if "properties" in node:
            node.setdefault("additionalProperties", False)
        for value in node.values():
            _close(value)
    elif isinstance(node, list):
        for value in node:
            _close(value)


def _merge_defs(into: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Move ``schema``'s ``$defs`` into ``into``; a name defined twice is a bug here."""
    for name, definition in schema.pop("$defs", {}).items():
        if into.get(name, definition) != definition:
            raise AssertionError(f"two JSON Schema definitions named {name!r}")
        into[name] = definition
    return schema


def _handoff() -> dict[str, Any]:
    """The analysis, and the derived section an export ends with (ignored on import)."""
    from ktcli.core.document import DERIVED
    from ktcli.core.model import Analysis
    from ktcli.core.readout import DerivedJson

    schema = Analysis.model_json_schema(by_alias=True)
    defs = schema.setdefault("$defs", {})
    defs["DerivedJson"] = _merge_defs(defs, _typed(DerivedJson))
    schema["properties"][DERIVED] = {
        "$ref": "#/$defs/DerivedJson",
        "description": "Computed by ktcli on export; ignored and recomputed on import.",
    }
    return schema


def _reads() -> dict[str, Any]:
    """One of the ``--json`` documents, told apart by ``kind``."""
    from ktcli.core.readout import DOCUMENTS, JSON_VERSION

    handoff = _handoff()
    defs: dict[str, Any] = {}
    analysis = _merge_defs(defs, handoff)
    analysis.pop("$schema", None)
    analysis["title"] = "Analysis"
    defs["Analysis"] = analysis
    kinds = []
    for kind, shape in DOCUMENTS.items():
        schema = _merge_defs(defs, _typed(shape))
        props = schema["properties"]
        props["version"] = {"const": JSON_VERSION, "title": "Version"}
        if kind == "show":
            props["analysis"] = {"$ref": "#/$defs/Analysis"}
        defs[shape.__name__] = schema
        kinds.append({"$ref": f"#/$defs/{shape.__name__}"})
    return {
        "description": "What a ktcli read prints with --json, kind and version first.",
        "oneOf": kinds,
        "$defs": defs,
    }
