"""A merged playbook as rich renderables, for ``ktcli playbook show``. User text is never markup.

Data in, renderables out: the command gathers the flags and the catalog, the
terminal prints what this returns.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Group
from rich.padding import Padding
from rich.text import Text

from ktcli.core.model import STANDARD_ROWS
from ktcli.core.text import clean

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ktcli.playbooks.files import PlaybookFile
    from ktcli.playbooks.model import Playbook


def home(path: Path) -> str:
    """A path with the home directory shortened to ~."""
    text, home_dir = str(path), str(Path.home())
    return "~" + text[len(home_dir) :] if text.startswith(home_dir + "/") else text


def where(item: PlaybookFile) -> str:
    """Where a playbook comes from: 'builtin', or its kind and file."""
    if item.source.kind == "builtin":
        return "builtin"
    return f"{item.source.kind}: {home(item.path)}"


def _text(value: str, style: str = "") -> Text:
    return Text(clean(value), style=style)


def _bullet(value: str, mark: str = "- ", style: str = "") -> Padding:
    line = Text(mark)
    line.append_text(_text(value, style))
    return Padding(line, (0, 0, 0, 4))


def _item(value: str, flag: str = "") -> Padding:
    line = _text(value, "bold")
    if flag:
        line.append(flag, style="bold red")
    return Padding(line, (0, 0, 0, 2))


def _section(title: str) -> list[RenderableType]:
    return [_text(""), _text(title, "bold underline")]


def _head(pb: Playbook, chain: list[PlaybookFile], sha256: str) -> list[RenderableType]:
    """Name, id and version, where each file of the chain comes from, the hash, the description."""
    head = _text(f"{pb.name}", "bold")
    head.append(clean(f"  {pb.id} {pb.version}"), style="dim")
    parts: list[RenderableType] = [
        head,
        _text("from: " + " ← ".join(f"{f.playbook.id} ({where(f)})" for f in chain)),
        _text(f"sha256: {sha256}", "dim"),
    ]
    if pb.tags:
        parts.append(_text("tags: " + ", ".join(pb.tags)))
    return [*parts, _text(""), _text(pb.description)]


def _row(pb: Playbook, row_id: str, label: str) -> list[RenderableType]:
    """One row's guide: its questions, its hint and its IS NOT comparisons; nothing if none."""
    guide = pb.rows.get(row_id)
    extra = next((r for r in pb.extra_rows if r.id == row_id), None)
    if guide is None and extra is None:
        return []
    parts: list[RenderableType] = [_item(f"{label} ({row_id})" + (" - extra row" if extra else ""))]
    questions = ([extra.question] if extra else []) + (guide.questions if guide else [])
    hint = guide.hint if guide and guide.hint else (extra.hint if extra else None)
    is_not = (extra.is_not if extra else []) + (guide.is_not if guide else [])
    parts += [_bullet(q, "? ") for q in questions]
    if hint:
        parts.append(_bullet(hint, "hint: ", "italic"))
    parts += [_bullet(x, "IS NOT: ") for x in is_not]
    return parts


def _rows(pb: Playbook) -> list[RenderableType]:
    if not (pb.rows or pb.extra_rows):
        return []
    labels = {row_id: label for row_id, _, label in STANDARD_ROWS}
    labels.update({r.id: r.label for r in pb.extra_rows})
    parts = _section("Rows")
    for row_id, label in labels.items():
        parts += _row(pb, row_id, label)
    return parts


def _evidence(pb: Playbook) -> list[RenderableType]:
    if not pb.evidence:
        return []
    parts = _section("Evidence to collect")
    for ev in sorted(pb.evidence, key=lambda e: not e.before_restart):
        parts.append(_item(f"{ev.what} ({ev.id})", "  BEFORE RESTART" * ev.before_restart))
        parts.append(_bullet(ev.why, "why: "))
        answers = f"; answers {ev.row}" if ev.row else ""
        parts.append(_bullet(f"{ev.requested_from}{answers}", "collected by: "))
        parts += [_bullet(cmd, "$ ", "cyan") for cmd in ev.commands]
    return parts


def _causes(pb: Playbook) -> list[RenderableType]:
    if not pb.causes:
        return []
    parts = _section("Known causes")
    for cause in pb.causes:
        parts.append(_item(f"{cause.text} ({cause.id})"))
        if cause.explains:
            parts.append(_bullet(", ".join(cause.explains), "explains: "))
        parts.append(_bullet(cause.confirm, "confirm: "))
    return parts


def _terms(pb: Playbook) -> list[RenderableType]:
    kinds = (("vague", pb.terms.vague), ("causal", pb.terms.causal), ("loaded", pb.terms.loaded))
    if not any(words for _, words in kinds):
        return []
    return _section("Probing terms") + [
        _bullet(", ".join(words), f"{kind}: ") for kind, words in kinds if words
    ]


def _data_requests(pb: Playbook) -> list[RenderableType]:
    if not pb.data_requests:
        return []
    return _section("Data requests") + [
        _bullet(f"{req.what} (from {req.requested_from}; {req.id})") for req in pb.data_requests
    ]


def render_playbook(pb: Playbook, chain: list[PlaybookFile], sha256: str) -> RenderableType:
    """The merged playbook ``pb``, read from ``chain`` (child first), with its content hash."""
    return Group(
        *_head(pb, chain, sha256),
        *_rows(pb),
        *_evidence(pb),
        *_causes(pb),
        *_terms(pb),
        *_data_requests(pb),
    )
