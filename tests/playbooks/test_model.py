"""The playbook format: what it accepts, what it refuses, and its published schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ktcli.core.model import STANDARD_ROW_IDS
from ktcli.errors import InvalidFileError, InvalidFileErrors
from ktcli.playbooks.discovery import builtin_dir
from ktcli.playbooks.files import parse_playbook
from ktcli.playbooks.model import Playbook, problems
from ktcli.schema import json_schema

MINIMAL = """\
schema_version: 1
id: acme
name: Acme
version: "1.0"
description: For Acme problems.
"""


def _errors(text: str) -> list[str]:
    try:
        parse_playbook(text, "pb.yaml")
    except InvalidFileErrors as exc:
        return [e.message for e in exc.errors]
    except InvalidFileError as exc:
        return [exc.message]
    return []


def test_minimal_playbook_is_valid_and_empty() -> None:
    pb = parse_playbook(MINIMAL, "pb.yaml")
    assert (pb.id, pb.version, pb.extends) == ("acme", "1.0", None)
    assert (pb.rows, pb.causes, pb.evidence) == ({}, [], [])
    assert pb.row_ids() == STANDARD_ROW_IDS


def test_full_playbook_round_trips_through_json() -> None:
    text = (
        MINIMAL
        + """\
tags: [web]
rows:
  where-location:
    questions: [Which sites?]
    hint: Compare twins.
    is_not: [Another host in the pool]
  acme-tier:
    hint: Which tier?
extra_rows:
  - id: acme-tier
    dimension: where
    label: "WHERE: tier"
    question: Which tier fails?
evidence:
  - id: dump
    what: A thread dump
    why: Gone after a restart
    before_restart: true
    commands: [jcmd PID Thread.print]
    row: acme-tier
causes:
  - id: pool
    text: Pool exhausted
    explains: [when-pattern, acme-tier]
    confirm: Thread dump shows waits
terms:
  vague: [laggy]
data_requests:
  - id: har
    what: A HAR file
    row: where-on-object
"""
    )
    pb = parse_playbook(text, "pb.yaml")
    assert pb.row_ids()[-1] == "acme-tier"
    assert pb.evidence[0].requested_from == "analyst"
    assert pb.data_requests[0].requested_from == "customer"
    again = Playbook.model_validate(json.loads(pb.model_dump_json()))
    assert again == pb


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("colour: red\n", re.compile(r"pb.yaml:6:\d+: colour: unknown field")),
        (
            "causes:\n  - id: c\n    text: t\n",
            "pb.yaml:7:5: causes.0.confirm: required field is missing",
        ),
        (
            "rows:\n  where-location:\n    hints: [x]\n",
            re.compile(r"pb.yaml:8:\d+: rows.where-location.hints: unknown field"),
        ),
        ("extends: ../etc\n", "pb.yaml:6:10: extends: String should match pattern"),
        (
            "extra_rows:\n  - id: when-first\n    dimension: when\n    label: L\n    question: Q\n",
            "pb.yaml:7:9: extra_rows.0.id: 'when-first' is a standard row; guide it under rows",
        ),
        (
            "causes:\n  - {id: c, text: t, confirm: x}\n  - {id: c, text: u, confirm: y}\n",
            "pb.yaml:8:10: causes.1.id: duplicate cause id 'c'",
        ),
        ("rows:\n  where-locaton: {hint: h}\n", "rows.where-locaton: unknown row 'where-locaton'"),
        (
            "evidence:\n  - {id: e, what: w, why: y, row: nowhere}\n",
            "evidence.0.row: unknown row 'nowhere'",
        ),
        (
            "causes:\n  - {id: c, text: t, confirm: x, explains: [when-frist]}\n",
            "causes.0.explains.0: unknown row 'when-frist'",
        ),
    ],
)
def test_errors_name_file_line_column_and_field(
    extra: str, expected: str | re.Pattern[str]
) -> None:
    # An unknown key's column is the key's or its value's, depending on yamlio: match the line.
    errors = _errors(MINIMAL + extra)
    if isinstance(expected, str):
        assert any(expected in e for e in errors), errors
    else:
        assert any(expected.search(e) for e in errors), errors


def test_unquoted_version_is_refused_with_advice() -> None:
    errors = _errors(MINIMAL.replace('"1.0"', "1.10"))
    assert errors == [
        'pb.yaml:4:10: version: the version must be text in quotes, e.g. version: "1.10" '
        "(unquoted, YAML reads it as the number 1.1)"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (MINIMAL.replace("schema_version: 1", "schema_version: 2"), "schema_version 2 is not"),
        (MINIMAL.replace("schema_version: 1\n", ""), "schema_version: required field is missing"),
        ("- a list\n", "expected a mapping of fields (a playbook)"),
        (MINIMAL + "tags: &t [a]\n", "anchors (&name) are not allowed"),
    ],
)
def test_refused_documents(text: str, expected: str) -> None:
    assert any(expected in e for e in _errors(text))


def test_row_references_wait_for_the_merge_when_extending() -> None:
    pb = parse_playbook(MINIMAL + "extends: base\nrows:\n  base-row: {hint: h}\n", "pb.yaml")
    assert problems(pb, None) == []
    assert problems(pb, (*STANDARD_ROW_IDS, "base-row")) == []
    assert problems(pb, STANDARD_ROW_IDS) == [(("rows", "base-row"), "unknown row 'base-row'")]


def test_json_schema_is_draft_07_and_forbids_unknown_keys() -> None:
    schema = json_schema("playbook")
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["additionalProperties"] is False
    assert {"id", "name", "version", "description", "schema_version"} <= set(schema["required"])
    assert set(schema["properties"]) >= {"extends", "rows", "evidence", "causes", "terms"}


def test_committed_schema_file_matches_the_model() -> None:
    """playbooks/playbook.schema.json is what the built-ins' $schema comments point at."""
    committed = json.loads((builtin_dir() / "playbook.schema.json").read_text())
    assert committed == json_schema("playbook")


def test_pure_module_imports_no_cli_libraries() -> None:
    import subprocess
    import sys

    code = (
        "import sys, ktcli.playbooks.model; "
        "print([m for m in ('typer', 'questionary', 'rich', 'yaml') if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_builtin_dir_is_the_checkout_in_an_editable_install() -> None:
    assert builtin_dir() == Path(__file__).resolve().parents[2] / "playbooks"
