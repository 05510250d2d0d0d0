"""Admin access: bearer tokens created on the server with `carecert admin token` (only hashes are stored).

Why tokens rather than an LTI administrator launch: the admin pages must work before any LMS is registered
(to register the first one), and whoever can run commands on the server is the tool's administrator.
"""

from __future__ import annotations

import hmac

from sqlalchemy import select
from sqlalchemy.orm import Session

from lti_tool.db.models import AdminToken, utcnow
from lti_tool.repo.launches import new_secret, token_hash


def create_admin_token(session: Session, label: str = "") -> str:
    token = "cca_" + new_secret()
    session.add(AdminToken(token_hash=token_hash(token), label=label[:255]))
    session.flush()
    return token


def admin_token_id(session: Session, token: str) -> int | None:
    """The id of a valid (unrevoked) admin token, or None."""
    if not token or len(token) > 128:
        return None
    row = session.scalars(select(AdminToken).where(AdminToken.token_hash == token_hash(token))).one_or_none()
    if row is None or row.revoked_at is not None:
        return None
    return row.id if hmac.compare_digest(row.token_hash, token_hash(token)) else None


def token_still_valid(session: Session, token_id: int) -> bool:
    row = session.get(AdminToken, token_id)
    return row is not None and row.revoked_at is None


def revoke_all(session: Session) -> int:
    rows = list(session.scalars(select(AdminToken).where(AdminToken.revoked_at.is_(None))))
    for row in rows:
        row.revoked_at = utcnow()
    return len(rows)
