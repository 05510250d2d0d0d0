"""Login states (state + nonce, single use) and launch sessions (reached by a launch-scoped token)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import and_, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from lti_tool.db.models import Deployment, LaunchSession, LoginState, Registration, utcnow

# Built once (a statement object keeps its cache key), plain Core inserts returning the id: no caller reads
# the rows back, and the ORM's unit of work would cost more than the statement.
INSERT_LOGIN_STATE = insert(LoginState.__table__).returning(LoginState.__table__.c.id)
INSERT_LAUNCH_SESSION = insert(LaunchSession.__table__).returning(LaunchSession.__table__.c.id)
LAUNCH_SESSION_DEFAULTS = {"context_pk": None, "resource_link_pk": None, "claims": None}


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
) -> tuple[str, str, int]:
    """A fresh (state, nonce) pair bound together in one row; returns them and the row's id."""
    state, nonce = new_secret(), new_secret()
    now = utcnow()
    # One INSERT … RETURNING rather than add() + flush(): the unit of work costs more than the statement.
    params = {
        "registration_id": registration.id,
        "state_hash": token_hash(state),
        "nonce": nonce,
        "login_params": login_params,
        "storage_target": storage_target,
        "created_at": now,
        "expires_at": now + timedelta(seconds=lifetime_seconds),
    }
    row_id = session.connection().execute(INSERT_LOGIN_STATE, params).scalar_one()
    return state, nonce, row_id


def find_login_state(session: Session, state: str) -> LoginState | None:
    """The login behind a state, whatever its registration: the state itself is the key the launch brings."""
    return session.scalars(select(LoginState).where(LoginState.state_hash == token_hash(state))).one_or_none()


_LOGINS, _REGISTRATIONS, _DEPLOYMENTS = LoginState.__table__, Registration.__table__, Deployment.__table__
LOGIN_FOR_LAUNCH = (
    select(*_LOGINS.c, *_REGISTRATIONS.c, *_DEPLOYMENTS.c)
    .select_from(
        _LOGINS.join(_REGISTRATIONS, _REGISTRATIONS.c.id == _LOGINS.c.registration_id).outerjoin(
            _DEPLOYMENTS,
            and_(
                _DEPLOYMENTS.c.registration_id == _LOGINS.c.registration_id,
                _DEPLOYMENTS.c.deployment_id == bindparam("deployment_id"),
            ),
        )
    )
    .where(_LOGINS.c.state_hash == bindparam("state_hash"))
)
CONSUME_LOGIN = (
    update(LoginState.__table__)
    .where(LoginState.__table__.c.id == bindparam("login_id"), LoginState.__table__.c.used_at.is_(None))
    .values(used_at=bindparam("now"))
)


def _read_only(table, values) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    return SimpleNamespace(**dict(zip(table.c.keys(), values, strict=True)))


def find_login_for_launch(
    session: Session, state: str, deployment_id: str | None
) -> tuple[Any, Any, Any] | None:
    """The login behind a state, its registration and (when `deployment_id` is given) that deployment of it,
    in one query: the launch needs all three before it can check anything.

    They come back as read-only snapshots with the models' attribute names (`login.nonce`,
    `registration.issuer`, `deployment.id`), not ORM objects: the launch only reads them, and loading three
    ORM objects costs more than the query.
    """
    row = (
        session.connection()
        .execute(LOGIN_FOR_LAUNCH, {"state_hash": token_hash(state), "deployment_id": deployment_id or ""})
        .one_or_none()
    )
    if row is None:
        return None
    ends = (len(_LOGINS.c), len(_LOGINS.c) + len(_REGISTRATIONS.c))
    login = _read_only(_LOGINS, row[: ends[0]])
    registration = _read_only(_REGISTRATIONS, row[ends[0] : ends[1]])
    deployment = _read_only(_DEPLOYMENTS, row[ends[1] :])
    return login, registration, deployment if deployment_id and deployment.id is not None else None


def consume_login_state(session: Session, login: LoginState) -> bool:
    """Mark the login used; True only for the one request that does it first (replays get False)."""
    result = session.connection().execute(CONSUME_LOGIN, {"login_id": login.id, "now": utcnow()})
    return result.rowcount == 1


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
