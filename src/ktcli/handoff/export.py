"""The export formats of an analysis: YAML and JSON documents, or Markdown for people.

The YAML and JSON exports are the stored document followed by its derived
section (``derived``: the ranking, the most probable cause, a tie, what remains
to verify, the quality gates), computed here on every export. Reading a file
drops that section unread (``ktcli.core.document``), so an edited one changes
nothing, and export, import, export stays byte-identical.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Literal

from ktcli import yamlwrite
from ktcli.core.document import DERIVED, to_data
from ktcli.core.readout import derived

if TYPE_CHECKING:
    from ktcli.core.model import Analysis

Format = Literal["yaml", "markdown", "json"]
#: What ``render`` makes: a format, or the ticket-sized Markdown summary.
Form = Literal["yaml", "markdown", "json", "summary"]
#: The forms that are documents ktcli (and backline) must be able to read back.
DOCUMENTS = ("yaml", "json")

#: The comment before the derived section of a YAML export: a reader sees what it is.
DERIVED_COMMENT = "# Derived by ktcli on export; ignored and recomputed on import.\n"


def export_data(analysis: Analysis) -> dict[str, Any]:
    """The analysis as plain data, its derived section last."""
    return {**to_data(analysis), DERIVED: derived(analysis)}


def export_yaml(analysis: Analysis) -> str:
    """The YAML export: the stored document, then the commented derived section."""
    text = yamlwrite.dump(export_data(analysis))
    # Top-level keys are the only lines that start a key at column 0, and derived is the last.
    at = text.rindex(f"\n{DERIVED}:") + 1
    return text[:at] + DERIVED_COMMENT + text[at:]


def export_json(analysis: Analysis) -> str:
    """The JSON export: indented, with a trailing newline; the YAML 1.2 importer reads it."""
    text = json.dumps(export_data(analysis), indent=2, ensure_ascii=False)
    return yamlwrite.escape_unprintable(text) + "\n"


def render(analysis: Analysis, fmt: Form) -> str:
    """The analysis in one of the export formats, or the Markdown summary."""
    if fmt == "yaml":
        return export_yaml(analysis)
    if fmt == "json":
        return export_json(analysis)
    from ktcli.handoff.markdown import to_markdown, to_summary

    return to_summary(analysis) if fmt == "summary" else to_markdown(analysis)
