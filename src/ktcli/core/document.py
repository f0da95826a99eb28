"""The analysis document <-> YAML / JSON. Pure: text in, text out; files are opened by callers.

Round trip is exact: ``to_yaml(parse_analysis(to_yaml(a)))`` is byte-identical to
``to_yaml(a)``, and the same holds for JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ktcli import yamlio, yamlwrite
from ktcli.errors import InvalidFileError, InvalidFileErrors

if TYPE_CHECKING:
    from ktcli.core.model import Analysis, Cause


@dataclass
class ExportCache:
    """What the last export of one analysis produced, to redo only what changed.

    A session saves after every answer; on a large analysis, dumping every cause
    test again (6,000 of them at 200 causes x 30 rows) was most of a save.
    """

    yaml: yamlwrite.Cache = field(default_factory=dict)
    causes: dict[int, tuple[tuple[Any, ...], dict[str, Any]]] = field(default_factory=dict)


def cause_fingerprint(cause: Cause) -> tuple[Any, ...]:
    """Every value a cause holds, read directly: cheaper than dumping it, and exact.

    A test checks that this covers every field of ``Cause`` and ``CauseTest``.
    """
    return (
        cause.id,
        cause.text,
        cause.origin,
        cause.origin_ref,
        tuple((row, t.verdict, t.note) for row, t in cause.tests.items()),
        tuple(cause.skipped),
    )


def to_data(analysis: Analysis, cache: ExportCache | None = None) -> dict[str, Any]:
    """The analysis as plain JSON-compatible data, in schema key order."""
    if cache is None or not analysis.causes:
        return analysis.model_dump(mode="json", by_alias=True)
    data = analysis.model_dump(mode="json", by_alias=True, exclude={"causes"})
    causes = []
    for i, cause in enumerate(analysis.causes):
        fingerprint = cause_fingerprint(cause)
        hit = cache.causes.get(i)
        if hit is None or hit[0] != fingerprint:
            hit = (fingerprint, cause.model_dump(mode="json", by_alias=True))
            cache.causes[i] = hit
        causes.append(hit[1])
    for i in [k for k in cache.causes if k >= len(analysis.causes)]:
        del cache.causes[i]
    # Put "causes" back where the schema has it (fields left out while empty stay out).
    return {
        name: causes if name == "causes" else data[name]
        for name in type(analysis).model_fields
        if name == "causes" or name in data
    }


def to_yaml(analysis: Analysis, cache: ExportCache | None = None) -> str:
    """Block-style YAML that starts with ``schema_version``; stable and diff-friendly.

    Pass the same ``cache`` to repeated calls on one analysis to redo only what
    changed (see :class:`ExportCache` and :func:`ktcli.yamlwrite.dump`).
    """
    return yamlwrite.dump(to_data(analysis, cache), cache.yaml if cache is not None else None)


def to_json(analysis: Analysis) -> str:
    """Indented JSON with a trailing newline; readable by the YAML 1.2 importer too."""
    text = json.dumps(to_data(analysis), indent=2, ensure_ascii=False)
    return yamlwrite.escape_unprintable(text) + "\n"


#: Older schema versions this ktcli still reads, each with what its migration does.
MIGRATIONS: dict[int, str] = {
    1: "version 1 has no decision or protection; both start empty",
    2: "version 2 has no derived section; nothing else differs",
}

#: The section an export ends with (``ktcli.core.readout.derived``): dropped unread on reading.
DERIVED = "derived"


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Older handoff data as the current version: everything kept, only the version raised.

    Version 2 added ``decision`` and ``protection`` (both optional, default
    empty) and the ``contingent`` action kind with its ``trigger``; version 3
    the derived section of an export, which reading drops. A version-1 or
    version-2 document is a valid version-3 document once its version says so.
    """
    from ktcli.core.model import SCHEMA_VERSION

    version = data.get("schema_version")
    # type() and not ==: True == 1 in Python, and "schema_version: true" is no version.
    if type(version) is int and version in MIGRATIONS:
        return {**data, "schema_version": SCHEMA_VERSION}
    return data


def parse_analysis(text: str, source: str) -> Analysis:
    """Validate a YAML or JSON handoff; errors name file:line:column and the field.

    JSON is read by the same YAML 1.2 reader, so both get the same checks and
    the same line numbers.
    """
    from ktcli.core.model import SCHEMA_VERSION

    data = yamlio.parse(text, source)
    if not isinstance(data, dict):
        raise InvalidFileError(
            source, "expected a mapping of fields (an analysis) at the top", line=1, column=1
        )
    data = migrate(data)
    version = data.get("schema_version")
    if type(version) is int and version != SCHEMA_VERSION:
        line, column = yamlio.mark_of(text, source, ("schema_version",)) or (1, 1)
        readable = ", ".join(str(v) for v in (*MIGRATIONS, SCHEMA_VERSION))
        raise InvalidFileError(
            source,
            f"schema_version {version!r} is not supported; this ktcli reads {readable}",
            line=line,
            column=column,
            field="schema_version",
            hint="Upgrade ktcli to read newer handoffs.",
        )
    return analysis_from_data(data, text, source)


def analysis_from_data(data: dict[str, Any], text: str, source: str) -> Analysis:
    """Validate parsed data as an analysis; every error names file:line:column and field.

    ``text`` is the document ``data`` came from: line numbers are looked up in it
    only when something is wrong.
    """
    from pydantic import ValidationError

    from ktcli.core.analysis import integrity_problems
    from ktcli.core.model import Analysis

    # What ktcli derives is recomputed from the rest, never trusted from a file.
    data = {key: value for key, value in data.items() if key != DERIVED}
    try:
        analysis = Analysis.model_validate(migrate(data))
    except ValidationError as exc:
        raise yamlio.validation_error(exc, text, source) from None
    problems = integrity_problems(analysis)
    if problems:
        marks: dict[yamlio.Path_, tuple[int, int]] = {}
        yamlio.parse(text, source, marks=marks)
        errors = []
        for loc, message in problems[: yamlio.MAX_ERRORS]:
            mark = marks.get(loc) or yamlio.nearest_mark(loc, marks)
            line, col = mark if mark else (None, None)
            errors.append(
                InvalidFileError(
                    source, message, line=line, column=col, field=".".join(map(str, loc))
                )
            )
        raise InvalidFileErrors(errors)
    return analysis
