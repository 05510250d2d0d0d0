"""records: add the table of providers' issuer profiles (one per registration that has its own)

Revision ID: 0005_records_issuers
Revises: 0004_records
Create Date: 2026-11-22 10:25:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_records_issuers"
down_revision = "0004_records"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "records_issuer_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_records_issuer_profiles_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_records_issuer_profiles")),
        sa.UniqueConstraint("registration_id", name="uq_records_issuer_profiles_registration"),
    )
    with op.batch_alter_table("records_issuer_profiles", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_records_issuer_profiles_registration_id"), ["registration_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("records_issuer_profiles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_records_issuer_profiles_registration_id"))
    op.drop_table("records_issuer_profiles")
