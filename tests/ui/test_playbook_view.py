"""The playbook as ``playbook show`` prints it: only the sections it has, user text as text."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from ktcli.playbooks.files import PlaybookFile, Source
from ktcli.playbooks.model import Playbook
from ktcli.ui.playbook_view import home, render_playbook, where


def shown(pb: Playbook, chain: list[PlaybookFile]) -> str:
    console = Console(file=io.StringIO(), width=80, no_color=True, highlight=False)
    console.print(render_playbook(pb, chain, "ab" * 32))
    out = console.file.getvalue()
    assert isinstance(out, str)
    return out


def playbook(**fields: object) -> Playbook:
    base = {"schema_version": 1, "id": "p", "name": "P", "version": "1", "description": "d"}
    return Playbook.model_validate({**base, **fields})


def test_an_empty_playbook_has_no_sections(tmp_path: Path) -> None:
    pb = playbook()
    out = shown(pb, [PlaybookFile(pb, tmp_path / "p.yaml", Source("builtin", tmp_path), "")])
    assert out.splitlines()[:3] == ["P  p 1", "from: p (builtin)", f"sha256: {'ab' * 32}"]
    for title in ("Rows", "Evidence to collect", "Known causes", "Probing terms", "Data requests"):
        assert title not in out


def test_sections_in_order_and_markup_stays_text(tmp_path: Path) -> None:
    pb = playbook(
        name="[bold]x[/bold]",
        rows={"where-location": {"hint": "[/x] a hint"}},
        evidence=[{"id": "e1", "what": "dump", "why": "gone on restart", "before_restart": True}],
        causes=[{"id": "c1", "text": "a cause", "confirm": "look"}],
        terms={"vague": ["slow"]},
        data_requests=[{"id": "d1", "what": "logs"}],
    )
    out = shown(pb, [PlaybookFile(pb, tmp_path / "p.yaml", Source("path", tmp_path), "")])
    assert "[bold]x[/bold]" in out
    assert "hint: [/x] a hint" in out
    assert "dump (e1)  BEFORE RESTART" in out
    titles = ["Rows", "Evidence to collect", "Known causes", "Probing terms", "Data requests"]
    assert [line for line in out.splitlines() if line in titles] == titles


@pytest.mark.parametrize(("kind", "expected"), [("builtin", "builtin"), ("team", "team: ")])
def test_where_names_builtins_by_kind_only(tmp_path: Path, kind: str, expected: str) -> None:
    pb = playbook()
    item = PlaybookFile(pb, tmp_path / "p.yaml", Source(kind, tmp_path), "")
    assert where(item).startswith(expected)


def test_home_is_shortened() -> None:
    assert home(Path.home() / "x" / "p.yaml") == "~/x/p.yaml"
    assert home(Path("/elsewhere/p.yaml")) == "/elsewhere/p.yaml"
