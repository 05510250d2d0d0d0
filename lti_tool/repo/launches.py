"""Launch sessions (reached by a launch-scoped token), each recording the signed login state its launch used,
once; and the `login_states` rows launches wrote before migration 0008, purged as they expire."""

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


_SESSIONS = LaunchSession.__table__
# A launch makes its signed login state single use by recording the state's hash with its launch session
# (unique): the launch that records it first wins, a replay's insert does nothing (RETURNING no row).
USED_STATE = select(_SESSIONS.c.created_at).where(_SESSIONS.c.state_hash == bindparam("state_hash"))
# Kept at least this long after they were opened, whatever `older_than`: a launch session is its state's
# single-use record, needed until the state expires (lti_tool.lti.login caps a state's lifetime to this).
KEEP_LAUNCH_SESSIONS_AT_LEAST = timedelta(days=1)


def record_launch_session(insert: Callable) -> Executable:
    """INSERT of a launch's session that does nothing when its login state was already used (a replay), for
    the dialect's `insert` (sqlite.insert or postgresql.insert: ON CONFLICT is theirs)."""
    return (
        insert(_SESSIONS)
        .on_conflict_do_nothing(index_elements=[_SESSIONS.c.state_hash])
        .returning(_SESSIONS.c.id)
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
    """Delete login states (written before migration 0008) and launch sessions expired for longer than
    `older_than`; a launch session stays at least KEEP_LAUNCH_SESSIONS_AT_LEAST after it was opened."""
    now = utcnow()
    cutoff = now - older_than
    removed = session.execute(delete(LoginState).where(LoginState.expires_at < cutoff)).rowcount
    removed += session.execute(
        delete(LaunchSession).where(
            LaunchSession.expires_at < cutoff,
            LaunchSession.created_at < now - KEEP_LAUNCH_SESSIONS_AT_LEAST,
        )
    ).rowcount
    return removed
