"""Tables of the records feature: credential keys, status lists, issued credentials, the xAPI outbox and the
provider's workforce ids. Rows that belong to one LMS carry its registration (TenantMixin); keys and status
lists belong to the issuer (the provider running this tool) and outlive any registration.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lti_tool.db.models import Base, TenantMixin, utcnow

# xAPI outbox states (the same words as the grade outbox)
QUEUED, SENDING, SENT, FAILED = "queued", "sending", "sent", "failed"


class CredentialKey(Base):
    """A credential signing key. Never deleted: credentials signed with it must verify for years. A retired
    key signs nothing new but stays published."""

    __tablename__ = "records_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128), unique=True)  # JWK thumbprint or Ed25519 Multikey
    kind: Mapped[str] = mapped_column(String(16))  # rsa | ed25519
    private_pem: Mapped[str] = mapped_column(Text)
    public: Mapped[dict] = mapped_column(JSON)  # the public JWK, or {"publicKeyMultibase": ...}
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(nullable=True)


class StatusList(Base):
    """One Bitstring Status List; entries are handed out in order until the list is full."""

    __tablename__ = "records_status_lists"

    id: Mapped[int] = mapped_column(primary_key=True)  # the list number in its URL
    next_index: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IssuedRecord(TenantMixin, Base):
    """A credential we issued to a learner: a unit, the whole certificate, or a passport."""

    __tablename__ = "records_credentials"
    __table_args__ = (
        UniqueConstraint("status_list", "status_index", name="uq_records_credentials_status_slot"),
        Index("ix_records_credentials_learner", "registration_id", "user_pk", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    credential_uuid: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # unit | certificate | passport
    user_pk: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    unit_id: Mapped[str] = mapped_column(String(16), default="")
    title: Mapped[str] = mapped_column(String(512), default="")
    status_list: Mapped[int | None] = mapped_column(Integer, nullable=True)
    status_index: Mapped[int | None] = mapped_column(Integer, nullable=True)
    document: Mapped[dict] = mapped_column(JSON)  # with its embedded Data Integrity proof
    jwt: Mapped[str] = mapped_column(Text)
    facts_key: Mapped[str] = mapped_column(String(255), default="")  # what it was issued from
    achieved_at: Mapped[datetime | None] = mapped_column(nullable=True)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)
    revoked_by: Mapped[str] = mapped_column(String(255), default="")
    revoke_reason: Mapped[str] = mapped_column(Text, default="")


class XapiOutboxRow(TenantMixin, Base):
    """One xAPI statement to deliver to the LRS; its id is derived from the event, so it is queued once."""

    __tablename__ = "records_xapi_outbox"
    __table_args__ = (Index("ix_records_xapi_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[str] = mapped_column(String(36), unique=True)
    attempt_pk: Mapped[int | None] = mapped_column(Integer, nullable=True)
    verb: Mapped[str] = mapped_column(String(32))
    statement: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default=QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(nullable=True)
    last_http_status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    lrs_answer: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(nullable=True)


class WorkforceId(TenantMixin, Base):
    """The provider's own ASC-WDS ids for a learner, from the mapping CSV an admin uploads."""

    __tablename__ = "records_workforce_ids"
    __table_args__ = (
        UniqueConstraint("registration_id", "learner_key", name="uq_records_workforce_ids_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_key: Mapped[str] = mapped_column(String(320))  # the LMS user id, or an email, lower-cased
    local_establishment_id: Mapped[str] = mapped_column(String(50))
    unique_worker_id: Mapped[str] = mapped_column(String(50))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)


class IssuerProfile(TenantMixin, Base):
    """A provider's own issuer profile for one registration: credentials its learners earn name this
    provider as issuer (`providers.py`). Kept once set (credentials issued under it must keep verifying);
    an admin edits it but does not delete it."""

    __tablename__ = "records_issuer_profiles"
    __table_args__ = (UniqueConstraint("registration_id", name="uq_records_issuer_profiles_registration"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    url: Mapped[str] = mapped_column(String(2048), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
