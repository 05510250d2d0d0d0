"""Login states (state + nonce, single use) and launch sessions (reached by a launch-scoped token)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from lti_tool.db.models import LaunchSession, LoginState, Registration, utcnow


def token_hash(token: str) -> str:
    # Only hashes are stored: a database dump does not hand out live states or launch tokens.
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def create_login_state(
    session: Session,
    registration: Registration,
    *,
    login_params: dict[str, str],
    storage_target: str,
    lifetime_seconds: int,
) -> tuple[str, str, LoginState]:
    """A fresh (state, nonce) pair bound together in one row."""
    state, nonce = new_secret(), new_secret()
    row = LoginState(
        registration_id=registration.id,
        state_hash=token_hash(state),
        nonce=nonce,
        login_params=login_params,
        storage_target=storage_target,
        expires_at=utcnow() + timedelta(seconds=lifetime_seconds),
    )
    session.add(row)
    session.flush()
    return state, nonce, row


def find_login_state(session: Session, state: str) -> LoginState | None:
    """The login behind a state, whatever its registration: the state itself is the key the launch brings."""
    return session.scalars(select(LoginState).where(LoginState.state_hash == token_hash(state))).one_or_none()


def consume_login_state(session: Session, login: LoginState) -> bool:
    """Mark the login used; True only for the one request that does it first (replays get False)."""
    result = session.execute(
        update(LoginState)
        .where(LoginState.id == login.id, LoginState.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def create_launch_session(
    session: Session, registration: Registration, *, lifetime_seconds: int, **fields: object
) -> tuple[str, LaunchSession]:
    token = new_secret()
    row = LaunchSession(
        registration_id=registration.id,
        token_hash=token_hash(token),
        expires_at=utcnow() + timedelta(seconds=lifetime_seconds),
        **fields,
    )
    session.add(row)
    session.flush()
    return token, row


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
