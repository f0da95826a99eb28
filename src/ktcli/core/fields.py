"""The field types every document model is built from, and their common base.

Text is never blank where required and always valid Unicode; identifiers are
checked whole; times carry a zone; flags are true/false only; unknown keys are
errors. Used by :mod:`ktcli.core.model` and the playbook models.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool

from ktcli.core.ids import ID_PATTERN, ID_RE


def _no_surrogates(value: str) -> str:
    """Lone surrogates cannot be written as UTF-8; refuse them at the door."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("text contains characters that are not valid Unicode") from None
    return value


def _safe_id(value: str) -> str:
    # The pattern's "$" would also match before a final newline in Python's re: check the
    # whole string, whatever regex engine pydantic uses for the pattern.
    if not ID_RE.fullmatch(value):
        raise ValueError("identifiers are letters, digits, '.', '_' and '-', up to 80 characters")
    if ".." in value:
        raise ValueError("identifiers may not contain '..'")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty; a blank is never an answer")
    return _no_surrogates(value)


#: Free text written by people; never blank where it is required.
Text = Annotated[str, AfterValidator(_not_blank)]
OptText = Annotated[str, AfterValidator(_no_surrogates)]
Ident = Annotated[str, Field(pattern=ID_PATTERN), AfterValidator(_safe_id)]


#: Timezone-aware timestamps only: a handoff crosses time zones.
def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("timestamp needs a time zone, e.g. 2026-11-24T09:30:00Z")
    return value


_ISO_START = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}")


def _iso_text(value: object) -> object:
    """A time in a document is ISO 8601 text; pydantic alone would read 1700000000 as 2023."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_START.match(value):
        return value
    raise ValueError("a time is an ISO 8601 date and time with a zone, e.g. 2026-11-24T09:30:00Z")


Timestamp = Annotated[datetime, BeforeValidator(_iso_text), AfterValidator(_aware)]
#: true/false only: pydantic alone reads "yes", "on" and 1 as true.
Flag = StrictBool


class Strict(BaseModel):
    """Base for every document model: unknown keys are errors."""

    model_config = ConfigDict(
        # Build validators on first use: a command validates one Analysis, which
        # holds every other model, so building each separately at import was waste.
        defer_build=True,
        extra="forbid",
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
    )
