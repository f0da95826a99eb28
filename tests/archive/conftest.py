"""The index tests run against both backends: SQLite beside the store, and PostgreSQL."""

from __future__ import annotations

import pytest


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest) -> str | None:
    """None for SQLite; for PostgreSQL, the URL of an empty test database on a real server."""
    if request.param == "sqlite":
        return None
    return str(request.getfixturevalue("pg_url"))
