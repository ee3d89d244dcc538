"""The search tests need PostgreSQL; on SQLite they skip with the reason, in CI they fail."""

import pytest
from django.db import connection


def require_postgresql(*, ci: bool) -> None:
    if connection.vendor == "postgresql":
        return
    message = (
        "Help centre search tests need PostgreSQL (full-text search, unaccent, pg_trgm): "
        "set DATABASE_URL=postgres://..."
    )
    if ci:
        pytest.fail(message + " They are required in CI.")
    pytest.skip(message)
