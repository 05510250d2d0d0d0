"""Alembic environment: runs on the connection `lti_tool.db.migrate` hands over (SQLite or PostgreSQL)."""

from __future__ import annotations

from alembic import context

from lti_tool.db.models import Base, UTCDateTime

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through lti_tool.db.migrate.upgrade (carecert db upgrade)")

# SQLite cannot ALTER most things in place: batch mode copies the table, keeping later migrations portable.


def render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    # Migrations stay self-contained: our UTC TypeDecorator is stored as a plain timezone-aware DateTime.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


context.configure(
    connection=connection,
    render_item=render_item,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
