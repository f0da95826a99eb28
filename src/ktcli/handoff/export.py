"""The export formats of an analysis: YAML and JSON documents, or Markdown for people."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from ktcli.core.document import to_json, to_yaml

if TYPE_CHECKING:
    from ktcli.core.model import Analysis

Format = Literal["yaml", "markdown", "json"]


def render(analysis: Analysis, fmt: Format) -> str:
    """The analysis in one of the export formats."""
    if fmt == "yaml":
        return to_yaml(analysis)
    if fmt == "json":
        return to_json(analysis)
    from ktcli.handoff.markdown import to_markdown

    return to_markdown(analysis)
