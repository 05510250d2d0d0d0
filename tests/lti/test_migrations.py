"""Migrations: the schema they build is the models' schema, on SQLite and PostgreSQL; upgrading twice is
safe.
"""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from lti_tool.db.migrate import current_revision, head_revision, upgrade
from lti_tool.db.models import Base


def test_database_is_at_the_newest_revision(tool):
    assert current_revision(tool.db.engine) == head_revision()


def test_migrated_schema_matches_the_models(tool):
    with tool.db.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []


def test_upgrading_again_changes_nothing(tool):
    upgrade(tool.db.engine)
    assert current_revision(tool.db.engine) == head_revision()


def test_sco_states_are_compressed_with_lz4_on_postgresql(tool):
    if tool.db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL only: SQLite does not compress")
    with tool.db.engine.connect() as connection:
        method = connection.execute(
            text(
                "SELECT attcompression FROM pg_attribute"
                " WHERE attrelid = 'player_sco_states'::regclass AND attname = 'state'"
            )
        ).scalar()
    assert method == "l"  # lz4, not the server's default pglz
