"""add the grade sync tables: line items per activity, results, score outbox, sign-offs, audit, roster

Revision ID: 0003_grades
Revises: 0002_player
Create Date: 2026-11-22 07:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from lti_tool.db.models import UTCDateTime

revision = "0003_grades"
down_revision = "0002_player"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "grade_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("context_pk", sa.Integer(), nullable=True),
        sa.Column("actor_pk", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=255), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("learner_pk", sa.Integer(), nullable=True),
        sa.Column("resource_link_pk", sa.Integer(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_pk"], ["users.id"], name=op.f("fk_grade_audit_actor_pk_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["context_pk"],
            ["contexts.id"],
            name=op.f("fk_grade_audit_context_pk_contexts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_grade_audit_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grade_audit")),
    )
    op.create_index(op.f("ix_grade_audit_context_pk"), "grade_audit", ["context_pk"], unique=False)
    op.create_index(op.f("ix_grade_audit_registration_id"), "grade_audit", ["registration_id"], unique=False)
    op.create_table(
        "grade_roster",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("context_pk", sa.Integer(), nullable=False),
        sa.Column("user_pk", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("synced_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["context_pk"],
            ["contexts.id"],
            name=op.f("fk_grade_roster_context_pk_contexts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_grade_roster_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"], ["users.id"], name=op.f("fk_grade_roster_user_pk_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grade_roster")),
        sa.UniqueConstraint("context_pk", "user_pk", name="uq_grade_roster_context_user"),
    )
    op.create_index(
        op.f("ix_grade_roster_registration_id"), "grade_roster", ["registration_id"], unique=False
    )
    op.create_table(
        "grade_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resource_link_pk", sa.Integer(), nullable=False),
        sa.Column("lineitems_url", sa.String(length=2048), nullable=False),
        sa.Column("lineitem_url", sa.String(length=2048), nullable=False),
        sa.Column("lineitem_source", sa.String(length=16), nullable=False),
        sa.Column("signoff_required", sa.Boolean(), nullable=True),
        sa.Column("claim_owner", sa.String(length=64), nullable=False),
        sa.Column("claim_until", UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_grade_links_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resource_link_pk"],
            ["resource_links.id"],
            name=op.f("fk_grade_links_resource_link_pk_resource_links"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grade_links")),
        sa.UniqueConstraint("resource_link_pk", name="uq_grade_links_resource_link_pk"),
    )
    op.create_index(op.f("ix_grade_links_registration_id"), "grade_links", ["registration_id"], unique=False)
    op.create_table(
        "grade_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_pk", sa.Integer(), nullable=False),
        sa.Column("resource_link_pk", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("score_given", sa.Float(), nullable=True),
        sa.Column("score_maximum", sa.Float(), nullable=True),
        sa.Column("activity_progress", sa.String(length=16), nullable=False),
        sa.Column("grading_progress", sa.String(length=16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("timestamp", UTCDateTime(timezone=True), nullable=False),
        sa.Column("produced_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("outcome_unknown", sa.Boolean(), nullable=False),
        sa.Column("restamped", sa.Boolean(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("lease_owner", sa.String(length=64), nullable=False),
        sa.Column("lease_until", UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_http_status", sa.Integer(), nullable=True),
        sa.Column("platform_answer", sa.Text(), nullable=False),
        sa.Column("superseded_by", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_grade_outbox_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resource_link_pk"],
            ["resource_links.id"],
            name=op.f("fk_grade_outbox_resource_link_pk_resource_links"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"], ["users.id"], name=op.f("fk_grade_outbox_user_pk_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grade_outbox")),
    )
    op.create_index("ix_grade_outbox_due", "grade_outbox", ["status", "next_attempt_at"], unique=False)
    op.create_index(
        "ix_grade_outbox_pair",
        "grade_outbox",
        ["registration_id", "user_pk", "resource_link_pk"],
        unique=False,
    )
    op.create_index(
        op.f("ix_grade_outbox_registration_id"), "grade_outbox", ["registration_id"], unique=False
    )
    op.create_table(
        "grade_signoffs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_pk", sa.Integer(), nullable=False),
        sa.Column("resource_link_pk", sa.Integer(), nullable=False),
        sa.Column("observed_on", sa.Date(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("assessor_pk", sa.Integer(), nullable=True),
        sa.Column("assessor_name", sa.String(length=255), nullable=False),
        sa.Column("signed_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("undone_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("undone_by_name", sa.String(length=255), nullable=False),
        sa.Column("undo_reason", sa.Text(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessor_pk"],
            ["users.id"],
            name=op.f("fk_grade_signoffs_assessor_pk_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_grade_signoffs_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resource_link_pk"],
            ["resource_links.id"],
            name=op.f("fk_grade_signoffs_resource_link_pk_resource_links"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"], ["users.id"], name=op.f("fk_grade_signoffs_user_pk_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grade_signoffs")),
    )
    op.create_index(
        "ix_grade_signoffs_pair",
        "grade_signoffs",
        ["registration_id", "user_pk", "resource_link_pk"],
        unique=False,
    )
    op.create_index(
        op.f("ix_grade_signoffs_registration_id"), "grade_signoffs", ["registration_id"], unique=False
    )
    op.create_table(
        "grade_states",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_pk", sa.Integer(), nullable=False),
        sa.Column("resource_link_pk", sa.Integer(), nullable=False),
        sa.Column("completion", sa.String(length=16), nullable=False),
        sa.Column("success", sa.String(length=16), nullable=False),
        sa.Column("score_scaled", sa.Float(), nullable=True),
        sa.Column("attempt_number", sa.Integer(), nullable=False),
        sa.Column("result_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("queued_key", sa.Text(), nullable=False),
        sa.Column("last_timestamp", UTCDateTime(timezone=True), nullable=True),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registrations.id"],
            name=op.f("fk_grade_states_registration_id_registrations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["resource_link_pk"],
            ["resource_links.id"],
            name=op.f("fk_grade_states_resource_link_pk_resource_links"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_pk"], ["users.id"], name=op.f("fk_grade_states_user_pk_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_grade_states")),
        sa.UniqueConstraint("registration_id", "user_pk", "resource_link_pk", name="uq_grade_states_pair"),
    )
    op.create_index(
        op.f("ix_grade_states_registration_id"), "grade_states", ["registration_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_grade_states_registration_id"), table_name="grade_states")
    op.drop_table("grade_states")
    op.drop_index(op.f("ix_grade_signoffs_registration_id"), table_name="grade_signoffs")
    op.drop_index("ix_grade_signoffs_pair", table_name="grade_signoffs")
    op.drop_table("grade_signoffs")
    op.drop_index(op.f("ix_grade_outbox_registration_id"), table_name="grade_outbox")
    op.drop_index("ix_grade_outbox_pair", table_name="grade_outbox")
    op.drop_index("ix_grade_outbox_due", table_name="grade_outbox")
    op.drop_table("grade_outbox")
    op.drop_index(op.f("ix_grade_links_registration_id"), table_name="grade_links")
    op.drop_table("grade_links")
    op.drop_index(op.f("ix_grade_roster_registration_id"), table_name="grade_roster")
    op.drop_table("grade_roster")
    op.drop_index(op.f("ix_grade_audit_registration_id"), table_name="grade_audit")
    op.drop_index(op.f("ix_grade_audit_context_pk"), table_name="grade_audit")
    op.drop_table("grade_audit")
