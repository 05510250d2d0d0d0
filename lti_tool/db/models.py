"""SQLAlchemy models of the tool's own data.

Tenancy: every row that belongs to one LMS carries `registration_id` (the `TenantMixin`), and the repository
functions in `lti_tool.repo` take the registration as their first argument, so a query can never forget it.
Later tables (attempts, run-time state, line items, score outbox) follow the same rule.
Identifiers from the LMS are scoped as LTI 1.3 scopes them: users by registration (`sub` is unique per issuer
and client), contexts and resource links by deployment (LTI 1.3 §5.3.5, §5.4.1).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

# Stable constraint names so Alembic migrations are the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on both engines (SQLite stores naive values; we read them back as UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use lti_tool.db.models.utcnow()")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime()}


class TenantMixin:
    """A row that belongs to one platform registration (one LMS)."""

    @declared_attr
    def registration_id(cls) -> Mapped[int]:  # noqa: N805 - SQLAlchemy's declared_attr convention
        return mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"), index=True, nullable=False)


class Registration(Base):
    """One LMS registration of the tool: the platform's issuer and the client id it gave us."""

    __tablename__ = "registrations"
    __table_args__ = (UniqueConstraint("issuer", "client_id", name="uq_registrations_issuer_client"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuer: Mapped[str] = mapped_column(String(1024))
    client_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(255), default="")
    auth_login_url: Mapped[str] = mapped_column(String(2048))
    auth_token_url: Mapped[str] = mapped_column(String(2048))
    auth_audience: Mapped[str] = mapped_column(String(2048), default="")
    key_set_url: Mapped[str] = mapped_column(String(2048))
    status: Mapped[str] = mapped_column(String(16), default="active")  # pending | active | disabled
    source: Mapped[str] = mapped_column(String(16), default="manual")  # manual | dynamic
    scopes: Mapped[str] = mapped_column(Text, default="")  # scopes the platform granted, space separated
    platform_config: Mapped[dict | None] = mapped_column(JSON, nullable=True)  # its openid configuration
    platform_jwks: Mapped[dict | None] = mapped_column(JSON, nullable=True)  # cached key set
    jwks_fetched_at: Mapped[datetime | None] = mapped_column(nullable=True)
    jwks_refetch_window_start: Mapped[datetime | None] = mapped_column(nullable=True)
    jwks_refetch_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_active(self) -> bool:
        return self.status == "active"


class Deployment(TenantMixin, Base):
    """A deployment of the tool inside a registration (Moodle: one per tool type; Canvas: one per account)."""

    __tablename__ = "deployments"
    __table_args__ = (UniqueConstraint("registration_id", "deployment_id", name="uq_deployments_reg_dep"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deployment_id: Mapped[str] = mapped_column(String(255))
    auto_added: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ToolKey(Base):
    """One of the tool's RSA key pairs. The newest unretired key signs; all unretired keys are published."""

    __tablename__ = "tool_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    kid: Mapped[str] = mapped_column(String(64), unique=True)
    private_pem: Mapped[str] = mapped_column(Text)
    public_jwk: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(nullable=True)


class User(TenantMixin, Base):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("registration_id", "sub", name="uq_users_reg_sub"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sub: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(String(255), default="")
    given_name: Mapped[str] = mapped_column(String(255), default="")
    family_name: Mapped[str] = mapped_column(String(255), default="")
    email: Mapped[str] = mapped_column(String(320), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class Context(TenantMixin, Base):
    """A course (LTI context) of one deployment."""

    __tablename__ = "contexts"
    __table_args__ = (
        UniqueConstraint("registration_id", "deployment_pk", "context_id", name="uq_contexts_reg_dep_ctx"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deployment_pk: Mapped[int] = mapped_column(ForeignKey("deployments.id", ondelete="CASCADE"))
    context_id: Mapped[str] = mapped_column(String(255))
    label: Mapped[str] = mapped_column(String(255), default="")
    title: Mapped[str] = mapped_column(String(1024), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ResourceLink(TenantMixin, Base):
    """A placement of the tool in a course: the activity a learner clicks."""

    __tablename__ = "resource_links"
    __table_args__ = (
        UniqueConstraint(
            "registration_id", "deployment_pk", "resource_link_id", name="uq_links_reg_dep_link"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deployment_pk: Mapped[int] = mapped_column(ForeignKey("deployments.id", ondelete="CASCADE"))
    context_pk: Mapped[int | None] = mapped_column(
        ForeignKey("contexts.id", ondelete="SET NULL"), nullable=True
    )
    resource_link_id: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(1024), default="")
    unit_ref: Mapped[str] = mapped_column(String(255), default="")  # the custom `unit` parameter
    lineitem_url: Mapped[str] = mapped_column(String(2048), default="")  # from the AGS claim, when sent
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Package(TenantMixin, Base):
    """A SCORM package uploaded by an instructor of one registration."""

    __tablename__ = "packages"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(1024))
    scorm_version: Mapped[str] = mapped_column(String(32), default="")
    original_filename: Mapped[str] = mapped_column(String(1024), default="")
    sha256: Mapped[str] = mapped_column(String(64))
    storage_path: Mapped[str] = mapped_column(String(2048))  # relative to DATA_DIR
    sco_count: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[list | None] = mapped_column(JSON, nullable=True)
    uploaded_by_pk: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LoginState(TenantMixin, Base):
    """One OIDC login in progress: its state (hashed), the nonce bound to it, and how the browser proves it.

    The row makes the nonce single-use (`used_at`) and bound to this state, and lets a launch that lost its
    state cookie be completed in a new window: the login parameters are kept here, keyed by the state.
    """

    __tablename__ = "login_states"

    id: Mapped[int] = mapped_column(primary_key=True)
    state_hash: Mapped[str] = mapped_column(String(64), unique=True)
    nonce: Mapped[str] = mapped_column(String(128))
    login_params: Mapped[dict] = mapped_column(JSON)
    storage_target: Mapped[str] = mapped_column(String(64), default="")  # lti_storage_target, when sent
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    used_at: Mapped[datetime | None] = mapped_column(nullable=True)


class LaunchSession(TenantMixin, Base):
    """What a successful launch leaves behind: the claims, server-side, reached by a launch-scoped token."""

    __tablename__ = "launch_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    deployment_pk: Mapped[int] = mapped_column(ForeignKey("deployments.id", ondelete="CASCADE"))
    user_pk: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    context_pk: Mapped[int | None] = mapped_column(
        ForeignKey("contexts.id", ondelete="SET NULL"), nullable=True
    )
    resource_link_pk: Mapped[int | None] = mapped_column(
        ForeignKey("resource_links.id", ondelete="SET NULL"), nullable=True
    )
    message_type: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))  # learner | instructor | assessor | administrator
    claims: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime] = mapped_column()
    # The hash of the signed login state the launch used (lti_tool.lti.login_state), unique: a state launches
    # once, and a replay's insert finds it here. None for sessions opened otherwise (tests, restores).
    state_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True, index=True)


class AccessToken(TenantMixin, Base):
    """OAuth2 access tokens for the platform's services, shared by every request and process."""

    __tablename__ = "access_tokens"
    __table_args__ = (UniqueConstraint("registration_id", "scope_key", name="uq_access_tokens_reg_scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope_key: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[str] = mapped_column(Text, default="")
    access_token: Mapped[str] = mapped_column(Text, default="")
    expires_at: Mapped[datetime | None] = mapped_column(nullable=True)
    requests_made: Mapped[int] = mapped_column(Integer, default=0)  # token requests sent, for health pages


class AdminToken(Base):
    """A bearer token for the admin pages, created by `carecert admin token` (only its hash is kept)."""

    __tablename__ = "admin_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(nullable=True)
