"""lti: the launch session records the login state it used (one statement fewer per launch)

Revision ID: 0008_lti_launch_state
Revises: 0007_player_state_lz4
Create Date: 2026-11-22 16:15:00

A launch made its state single use by inserting a row in `login_states`, then wrote its launch session. The
session now carries the state's hash under a unique index, so the one insert does both (bench/launch.py).
`login_states` stays for the rows already there (purged as before) and is no longer written.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_lti_launch_state"
down_revision = "0007_player_state_lz4"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Adding a nullable column and an index needs no table rebuild on SQLite.
    op.add_column("launch_sessions", sa.Column("state_hash", sa.String(length=64), nullable=True))
    op.create_index(op.f("ix_launch_sessions_state_hash"), "launch_sessions", ["state_hash"], unique=True)


def downgrade() -> None:
    op.drop_index(op.f("ix_launch_sessions_state_hash"), table_name="launch_sessions")
    with op.batch_alter_table("launch_sessions") as batch_op:
        batch_op.drop_column("state_hash")
