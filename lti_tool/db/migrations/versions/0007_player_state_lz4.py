"""player: compress the SCO state with lz4 on PostgreSQL (pglz was most of the server's work per commit)

Revision ID: 0007_player_state_lz4
Revises: 0006_player_restart
Create Date: 2026-11-22 14:15:00

Every commit rewrites one SCO's state, about 5 KB of JSON, which PostgreSQL compresses (TOAST) with pglz by
default. With durability on, bench/commit.py measured about 270 commits/s with pglz and 470/s with lz4 on the
same run's machine. lz4 needs PostgreSQL 14 built with it (Debian's is); elsewhere the column keeps pglz.
SQLite has nothing to change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_player_state_lz4"
down_revision = "0006_player_restart"
branch_labels = None
depends_on = None
TABLE = "player_sco_states"


def _set_compression(method: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql" or bind.dialect.server_version_info < (14,):
        return
    try:
        with bind.begin_nested():  # a server built without lz4 refuses: keep its default then
            bind.execute(sa.text(f"ALTER TABLE {TABLE} ALTER COLUMN state SET COMPRESSION {method}"))
    except sa.exc.DBAPIError:
        pass


def upgrade() -> None:
    _set_compression("lz4")


def downgrade() -> None:
    _set_compression("pglz")
