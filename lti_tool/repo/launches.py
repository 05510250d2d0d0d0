"""Used login states (a signed state is recorded by its launch, once) and launch sessions (reached by a
launch-scoped token)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from lti_tool.db.models import LaunchSession, LoginState, Registration, utcnow

# Built once (a statement object keeps its cache key), plain Core inserts returning the id: no caller reads
# the rows back, and the ORM's unit of work would cost more than the statement.
INSERT_LAUNCH_SESSION = insert(LaunchSession.__table__).returning(LaunchSession.__table__.c.id)
LAUNCH_SESSION_DEFAULTS = {"context_pk": None, "resource_link_pk": None, "claims": None}


def token_hash(token: str) -> str:
    # Only hashes are stored: a database dump does not hand out live states or launch tokens.
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


_LOGINS = LoginState.__table__
# The state's hash is unique: the launch that records it first wins, a second finds it (RETURNING no row).
# The login params stay in the signed state (lti_tool.lti.login_state), not here.
USED_LOGIN_COLUMNS = (
    "registration_id",
    "state_hash",
    "nonce",
    "login_params",
    "storage_target",
    "created_at",
    "expires_at",
    "used_at",
)
USED_LOGIN = select(_LOGINS.c.used_at).where(_LOGINS.c.state_hash == bindparam("state_hash"))


def record_used_login(insert: Callable) -> Executable:
    """INSERT of a used login state that does nothing when its state is already recorded (a replay), for
    the dialect's `insert` (sqlite.insert or postgresql.insert: ON CONFLICT is theirs)."""
    return (
        insert(_LOGINS).on_conflict_do_nothing(index_elements=[_LOGINS.c.state_hash]).returning(_LOGINS.c.id)
    )


def create_launch_session(
    session: Session, registration: Registration, *, lifetime_seconds: int, **fields: object
) -> tuple[str, int]:
    """A launch session for `fields` (LaunchSession columns); returns its token (kept only hashed) and id."""
    token = new_secret()
    now = utcnow()
    params = {
        "registration_id": registration.id,
        "token_hash": token_hash(token),
        "created_at": now,
        "expires_at": now + timedelta(seconds=lifetime_seconds),
        **LAUNCH_SESSION_DEFAULTS,
        **fields,
    }
    return token, session.connection().execute(INSERT_LAUNCH_SESSION, params).scalar_one()


def find_launch_session(session: Session, token: str) -> LaunchSession | None:
    """The unexpired launch behind a launch token, or None."""
    row = session.scalars(
        select(LaunchSession).where(LaunchSession.token_hash == token_hash(token))
    ).one_or_none()
    if row is None or row.expires_at <= utcnow():
        return None
    return row


def purge_expired(session: Session, older_than: timedelta = timedelta(days=1)) -> int:
    """Delete login states and launch sessions expired for longer than `older_than`."""
    cutoff = utcnow() - older_than
    removed = session.execute(delete(LoginState).where(LoginState.expires_at < cutoff)).rowcount
    removed += session.execute(delete(LaunchSession).where(LaunchSession.expires_at < cutoff)).rowcount
    return removed
