"""Handoffs and playbooks pass yamllint's default configuration and the published schemas.

Teams keep both in repositories that run yamllint and check-jsonschema in
pre-commit; editors validate them with the schema (yaml-language-server reads
draft-07). Both tools run here as the teams run them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from yamllint import linter
from yamllint.config import YamlLintConfig

from ktcli import yamlio
from tests.conftest import EXAMPLES, ROOT, Run

DEFAULT = YamlLintConfig("extends: default")
PLAYBOOKS = sorted((ROOT / "playbooks").glob("*.yaml"))
LONG = (
    "EU shoppers wait over 2 s to place an order: their checkout abandonment rose from 9 % "
    "to 15 % on 18 Nov, about EUR 40,000 of orders a day, in the run-up to Black Friday"
)


def problems(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [
        f"{path.name}:{p.line}:{p.column}: {p.rule}: {p.message}" for p in linter.run(text, DEFAULT)
    ]


def check_jsonschema(schema: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.fixture
def exports(ktcli: Run, tmp_path: Path) -> list[Path]:
    """The worked example's export, and a scripted analysis with long and multi-line text."""
    out = tmp_path / "exports"
    out.mkdir()
    aid = ktcli("create", "--title", LONG, "--ticket", "INC-4711", "--impact", LONG).out.strip()
    assert ktcli("statement", aid, "-o", "Order API", "-d", LONG).code == 0
    fact = LONG + "\n\nsecond\nparagraph"
    assert ktcli("fact", aid, "where-location", fact, "--source", LONG).code == 0
    assert ktcli("cause", aid, LONG, "--origin", "experience").code == 0
    assert ktcli("escalate", aid, "--to", "backline", "--reason", LONG, "-o", str(out)).code == 0
    example = out / "example.yaml"
    res = ktcli("export", str(EXAMPLES / "checkout-latency.yaml"), "-o", str(example))
    assert res.code == 0, res.err
    return [example, out / f"{aid}.yaml"]


@pytest.fixture
def scaffolds(ktcli: Run, tmp_path: Path) -> list[Path]:
    made = [tmp_path / "acme-web.yaml", tmp_path / "acme-db.yaml"]
    assert ktcli("playbook", "new", "acme-web", "-o", str(made[0])).code == 0
    res = ktcli(
        "playbook", "new", "acme-db", "--extends", "database-performance", "-o", str(made[1])
    )
    assert res.code == 0, res.err
    return made


@pytest.fixture
def schemas(ktcli: Run, tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name in ("handoff", "playbook"):
        out[name] = tmp_path / f"{name}.schema.json"
        out[name].write_text(ktcli("schema", name).out, encoding="utf-8")
    return out


def test_exports_pass_yamllint_default(exports: list[Path]) -> None:
    for path in exports:
        assert problems(path) == []


def test_built_in_and_scaffolded_playbooks_pass_yamllint_default(scaffolds: list[Path]) -> None:
    for path in [*PLAYBOOKS, *scaffolds]:
        assert problems(path) == []


def test_the_worked_example_passes_yamllint_default() -> None:
    assert problems(EXAMPLES / "checkout-latency.yaml") == []


def test_long_text_is_kept_as_it_was(exports: list[Path], ktcli: Run, tmp_path: Path) -> None:
    back = yamlio.parse(exports[1].read_text("utf-8"), "handoff")
    assert back["title"] == LONG
    assert back["specification"][2]["is"]["text"] == LONG + "\n\nsecond\nparagraph"
    assert ktcli("import", str(exports[1]), "--as", "again").code == 0
    again = tmp_path / "again.yaml"
    assert ktcli("export", "again", "-o", str(again)).code == 0
    assert again.read_text("utf-8") == exports[1].read_text("utf-8").replace(
        "id: inc-4711\n", "id: again\n", 1
    )


def test_exports_validate_against_the_published_handoff_schema(
    exports: list[Path], schemas: dict[str, Path]
) -> None:
    res = check_jsonschema(schemas["handoff"], *exports, EXAMPLES / "checkout-latency.yaml")
    assert res.returncode == 0, res.stdout + res.stderr


def test_playbooks_validate_against_the_published_playbook_schema(
    scaffolds: list[Path], schemas: dict[str, Path]
) -> None:
    res = check_jsonschema(schemas["playbook"], *PLAYBOOKS, *scaffolds)
    assert res.returncode == 0, res.stdout + res.stderr


def test_check_jsonschema_catches_a_wrong_file(
    scaffolds: list[Path], schemas: dict[str, Path]
) -> None:
    bad = scaffolds[0].with_name("bad.yaml")
    bad.write_text(scaffolds[0].read_text("utf-8") + "bogus: 1\n", encoding="utf-8")
    assert check_jsonschema(schemas["playbook"], bad).returncode == 1


@pytest.mark.parametrize("name", ["handoff", "playbook"])
def test_the_published_schemas_are_valid_draft_07(schemas: dict[str, Path], name: str) -> None:
    schema = json.loads(schemas[name].read_text("utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    jsonschema.Draft7Validator.check_schema(schema)


def test_the_schema_beside_the_built_in_playbooks_is_the_published_one(
    schemas: dict[str, Path],
) -> None:
    shipped = json.loads((ROOT / "playbooks" / "playbook.schema.json").read_text("utf-8"))
    assert shipped == json.loads(schemas["playbook"].read_text("utf-8"))
