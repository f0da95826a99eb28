"""JSON Schemas for editors (yaml-language-server reads draft-07)."""

from __future__ import annotations

from typing import Any

DRAFT_07 = "http://json-schema.org/draft-07/schema#"


def json_schema(document: str) -> dict[str, Any]:
    """The draft-07 JSON Schema of a ``handoff`` or a ``playbook`` document."""
    if document == "handoff":
        from ktcli.core.model import Analysis

        schema = Analysis.model_json_schema(by_alias=True)
        title = "ktcli handoff (analysis)"
    elif document == "playbook":
        from ktcli.playbooks.model import Playbook

        schema = Playbook.model_json_schema(by_alias=True)
        title = "ktcli playbook"
    else:
        raise ValueError(f"unknown document kind {document!r}")
    rest = {k: v for k, v in schema.items() if k != "title"}
    return {"$schema": DRAFT_07, "title": title, **rest}
