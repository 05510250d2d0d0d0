"""Launch sessions (reached by a launch-scoped token), each recording the signed login state its launch used,
once; and the `login_states` rows launches wrote before migration 0008, purged as they expire."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable, Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, bindparam, cast, delete, exists, insert, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from lti_tool.db.models import (
    Context,
    LaunchSession,
    LoginState,
    Registration,
    ResourceLink,
    User,
    utcnow,
)

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


def _kept_row_exists(kind: str, bound: dict) -> Any:
    """The row a launch reuses without writing it (lti_tool.lti.kept_launch_rows) is still there and still
    the one its natural key names: an id alone could be reused by SQLite for another row once it was
    deleted (INTEGER PRIMARY KEY without AUTOINCREMENT takes the largest id plus one)."""
    owner = bound["registration_id"]
    if kind == "user":
        users = User.__table__.c
        return exists().where(
            users.id == bound["user_pk"], users.registration_id == owner, users.sub == bindparam("kept_sub")
        )
    table, pk, natural = (
        (Context.__table__.c, "context_pk", "context_id")
        if kind == "context"
        else (ResourceLink.__table__.c, "resource_link_pk", "resource_link_id")
    )
    return exists().where(
        table.id == bound[pk],
        table.registration_id == owner,
        table.deployment_pk == bound["deployment_pk"],
        table[natural] == bindparam(f"kept_{natural}"),
    )


def record_launch_session_of_kept_rows(
    insert: Callable, dialect: str, columns: Sequence[str], kept: Iterable[str]
) -> Executable:
    """The launch session's INSERT (like record_launch_session: nothing when the state was used already)
    that also inserts nothing unless the `kept` rows ("user", "context", "link") still exist. Their
    natural keys come as `kept_sub`, `kept_context_id` and `kept_resource_link_id`."""
    # PostgreSQL types a SELECT's parameters only from a cast; SQLite would change the values by one
    # (a timestamp's text cast to DATETIME has numeric affinity), so there the types only process them.
    typed = cast if dialect == "postgresql" else type_coerce
    bound = {name: bindparam(name, type_=_SESSIONS.c[name].type) for name in columns}
    values = select(*(typed(bound[name], _SESSIONS.c[name].type) for name in columns)).where(
        and_(*(_kept_row_exists(kind, bound) for kind in sorted(kept)))
    )
    return (
        insert(_SESSIONS)
        .from_select(list(columns), values)
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
