"""player: add the setting that lets learners start a new attempt before finishing the current one

Revision ID: 0006_player_restart
Revises: 0005_records_issuers
Create Date: 2026-11-22 13:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_player_restart"
down_revision = "0005_records_issuers"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # server_default: the activities already set up keep today's behaviour (carry on with the attempt).
    with op.batch_alter_table("player_unit_settings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("new_attempt_before_finishing", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("player_unit_settings", schema=None) as batch_op:
        batch_op.drop_column("new_attempt_before_finishing")
