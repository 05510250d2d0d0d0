"""Migrations: the schema they build is the models' schema, on SQLite and PostgreSQL; upgrading twice is
safe.
"""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

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
