"""Tables of grade sync: line items per activity, the last result per learner, the score outbox, sign-offs,
the assessor's audit trail and the course roster. Every row carries its registration (TenantMixin)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from lti_tool.db.models import Base, TenantMixin, utcnow

# Outbox states. `queued` includes rows waiting for a retry (next_attempt_at in the future).
QUEUED, SENDING, SENT, FAILED, SUPERSEDED = "queued", "sending", "sent", "failed", "superseded"


def _user_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("users.id", ondelete="CASCADE"))


def _link_fk() -> Mapped[int]:
    return mapped_column(ForeignKey("resource_links.id", ondelete="CASCADE"))


class GradeLink(TenantMixin, Base):
    """Grade facts of one resource link: its AGS endpoints, the line item we found or created, the sign-off
    setting. `claim_*` is the lease of the process creating the line item (so concurrent callers never
    create two: the unique resource link decides who creates, the others wait for the URL)."""

    __tablename__ = "grade_links"
    __table_args__ = (UniqueConstraint("resource_link_pk", name="uq_grade_links_resource_link_pk"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_link_pk: Mapped[int] = _link_fk()
    lineitems_url: Mapped[str] = mapped_column(String(2048), default="")  # the context's line item container
    lineitem_url: Mapped[str] = mapped_column(String(2048), default="")  # found or created by us
    lineitem_source: Mapped[str] = mapped_column(String(16), default="")  # claim | found | created
    signoff_required: Mapped[bool | None] = mapped_column(Boolean, nullable=True)  # None: the unit decides
    claim_owner: Mapped[str] = mapped_column(String(64), default="")
    claim_until: Mapped[datetime | None] = mapped_column(nullable=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class GradeState(TenantMixin, Base):
    """The counted result last seen for a learner on an activity, and the score last queued for it."""

    __tablename__ = "grade_states"
    __table_args__ = (
        UniqueConstraint("registration_id", "user_pk", "resource_link_pk", name="uq_grade_states_pair"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_pk: Mapped[int] = _user_fk()
    resource_link_pk: Mapped[int] = _link_fk()
    completion: Mapped[str] = mapped_column(String(16), default="not attempted")
    success: Mapped[str] = mapped_column(String(16), default="unknown")
    score_scaled: Mapped[float | None] = mapped_column(Float, nullable=True)
    attempt_number: Mapped[int] = mapped_column(Integer, default=0)
    result_at: Mapped[datetime | None] = mapped_column(nullable=True)
    queued_key: Mapped[str] = mapped_column(Text, default="")  # the last queued score, timestamp left out
    last_timestamp: Mapped[datetime | None] = mapped_column(nullable=True)  # of the last queued score


class OutboxScore(TenantMixin, Base):
    """One AGS score to deliver, written in the transaction of the change that caused it."""

    __tablename__ = "grade_outbox"
    __table_args__ = (
        Index("ix_grade_outbox_due", "status", "next_attempt_at"),
        Index("ix_grade_outbox_pair", "registration_id", "user_pk", "resource_link_pk"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_pk: Mapped[int] = _user_fk()
    resource_link_pk: Mapped[int] = _link_fk()
    status: Mapped[str] = mapped_column(String(16), default=QUEUED)
    reason: Mapped[str] = mapped_column(String(16), default="result")  # result | signoff | undo | resend
    score_given: Mapped[float | None] = mapped_column(Float, nullable=True)
    score_maximum: Mapped[float | None] = mapped_column(Float, nullable=True)
    activity_progress: Mapped[str] = mapped_column(String(16))
    grading_progress: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text, default="")
    timestamp: Mapped[datetime] = mapped_column()
    produced_at: Mapped[datetime] = mapped_column()
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    outcome_unknown: Mapped[bool] = mapped_column(Boolean, default=False)  # an attempt may have been applied
    restamped: Mapped[bool] = mapped_column(Boolean, default=False)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_owner: Mapped[str] = mapped_column(String(64), default="")
    lease_until: Mapped[datetime | None] = mapped_column(nullable=True)
    last_http_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    platform_answer: Mapped[str] = mapped_column(Text, default="")
    superseded_by: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)


class UnitSignoff(TenantMixin, Base):
    """An assessor's sign-off of a unit for a learner after observing them at work; undone, never deleted."""

    __tablename__ = "grade_signoffs"
    __table_args__ = (Index("ix_grade_signoffs_pair", "registration_id", "user_pk", "resource_link_pk"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_pk: Mapped[int] = _user_fk()
    resource_link_pk: Mapped[int] = _link_fk()
    observed_on: Mapped[date] = mapped_column(Date)
    evidence: Mapped[str] = mapped_column(Text, default="")
    assessor_pk: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    assessor_name: Mapped[str] = mapped_column(String(255), default="")
    signed_at: Mapped[datetime] = mapped_column(default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(nullable=True)
    undone_by_name: Mapped[str] = mapped_column(String(255), default="")
    undo_reason: Mapped[str] = mapped_column(Text, default="")


class AuditEntry(TenantMixin, Base):
    """Who did what, when: sign-offs, undos, re-sends, settings."""

    __tablename__ = "grade_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    context_pk: Mapped[int | None] = mapped_column(
        ForeignKey("contexts.id", ondelete="SET NULL"), nullable=True, index=True
    )
    actor_pk: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    actor_name: Mapped[str] = mapped_column(String(255), default="")
    action: Mapped[str] = mapped_column(String(32))
    learner_pk: Mapped[int | None] = mapped_column(nullable=True)
    resource_link_pk: Mapped[int | None] = mapped_column(nullable=True)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class RosterMember(TenantMixin, Base):
    """A member of a course as the platform's Names and Roles service lists it (launched or not)."""

    __tablename__ = "grade_roster"
    __table_args__ = (UniqueConstraint("context_pk", "user_pk", name="uq_grade_roster_context_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    context_pk: Mapped[int] = mapped_column(ForeignKey("contexts.id", ondelete="CASCADE"))
    user_pk: Mapped[int] = _user_fk()
    role: Mapped[str] = mapped_column(String(32))  # learner | instructor | assessor | administrator
    status: Mapped[str] = mapped_column(String(16), default="Active")
    synced_at: Mapped[datetime] = mapped_column(default=utcnow)
