"""Users, contexts (courses) and resource links, recorded per registration as launches reveal them."""

from __future__ import annotations

import itertools
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, bindparam, case, func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import InstrumentedAttribute, Session

from lti_tool.db.models import Context, Deployment, Registration, ResourceLink, User, utcnow

# One INSERT … ON CONFLICT DO UPDATE … RETURNING per row (SQLite ≥ 3.35 and PostgreSQL both have it): a launch
# records its user, course and link in one statement each, and two launches of a new user racing each other
# are settled by the unique constraint inside the database instead of a savepoint and a second SELECT.
# The statements are built once per dialect, with bound parameters: building and compiling-key generation
# of an upsert costs more than running it.
UPSERT_OPTIONS = {"populate_existing": True}  # a row already in the session takes the values just written
PROFILE_FIELDS = ("name", "given_name", "family_name", "email")


_recorded = itertools.count(1)
_last_recorded = 0


def recorded_outside_launches() -> int:
    """A number that moves whenever this process records a user, course or link through this module (a roster
    sync, an admin tool, a test), not through a launch: what the launch's kept rows
    (lti_tool.lti.kept_launch_rows) compare to drop their rows at once."""
    return _last_recorded


def _note_recorded() -> None:
    global _last_recorded
    _last_recorded = next(_recorded)


def _dialect_insert(session: Session):  # type: ignore[no-untyped-def]
    dialect = session.get_bind().dialect.name
    return dialect, postgresql.insert if dialect == "postgresql" else sqlite.insert


def _returned(model: type, as_rows: bool) -> tuple:
    # ORM objects for callers that go on to change them; plain rows (read by attribute all the same) for the
    # launch, which only reads them: loading ORM objects costs more than the upsert itself.
    return tuple(model.__table__.c) if as_rows else (model,)


def _execute(session: Session, builder: Any, params: dict[str, Any], as_rows: bool) -> Any:
    _note_recorded()
    statement = builder(*_dialect_insert(session), as_rows)
    if as_rows:
        return session.connection().execute(statement, params).one()
    return session.scalars(statement, params, execution_options=UPSERT_OPTIONS).one()


def _bound(*names: str) -> dict[str, Any]:
    return {name: bindparam(name) for name in names}


def _sent_or_kept(new: ColumnElement, column: InstrumentedAttribute) -> ColumnElement:
    # A launch that leaves a field out (or empty) keeps what an earlier launch recorded.
    return func.coalesce(func.nullif(new, ""), column)


@cache
def _user_upsert(dialect: str, insert: Any, as_rows: bool) -> Any:
    stmt = insert(User).values(
        **_bound("registration_id", "sub", "created_at", "last_seen_at", *PROFILE_FIELDS)
    )
    changes = {name: _sent_or_kept(stmt.excluded[name], getattr(User, name)) for name in PROFILE_FIELDS}
    return stmt.on_conflict_do_update(
        index_elements=[User.registration_id, User.sub],
        set_=changes | {"last_seen_at": stmt.excluded.last_seen_at},
    ).returning(*_returned(User, as_rows))


@cache
def _context_upsert(dialect: str, insert: Any, as_rows: bool) -> Any:
    stmt = insert(Context).values(
        **_bound("registration_id", "deployment_pk", "context_id", "label", "title", "created_at")
    )
    return stmt.on_conflict_do_update(
        index_elements=[Context.registration_id, Context.deployment_pk, Context.context_id],
        set_={
            "label": _sent_or_kept(stmt.excluded.label, Context.label),
            "title": _sent_or_kept(stmt.excluded.title, Context.title),
        },
    ).returning(*_returned(Context, as_rows))


@cache
def _link_upsert(dialect: str, insert: Any, as_rows: bool) -> Any:
    stmt = insert(ResourceLink).values(
        **_bound(
            "registration_id",
            "deployment_pk",
            "resource_link_id",
            "context_pk",
            "title",
            "unit_ref",
            "lineitem_url",
            "created_at",
            "updated_at",
        )
    )
    new = stmt.excluded
    changes = {
        "context_pk": func.coalesce(new.context_pk, ResourceLink.context_pk),
        "title": _sent_or_kept(new.title, ResourceLink.title),
        "unit_ref": _sent_or_kept(new.unit_ref, ResourceLink.unit_ref),
        "lineitem_url": _sent_or_kept(new.lineitem_url, ResourceLink.lineitem_url),
    }
    # updated_at moves only when a launch changed something (a relaunch of the same link leaves it).
    changed = or_(*(value.is_distinct_from(getattr(ResourceLink, name)) for name, value in changes.items()))
    return stmt.on_conflict_do_update(
        index_elements=[
            ResourceLink.registration_id,
            ResourceLink.deployment_pk,
            ResourceLink.resource_link_id,
        ],
        set_=changes | {"updated_at": case((changed, new.updated_at), else_=ResourceLink.updated_at)},
    ).returning(*_returned(ResourceLink, as_rows))


def find_user(session: Session, registration: Registration, sub: str) -> User | None:
    return session.scalars(
        select(User).where(User.registration_id == registration.id, User.sub == sub)
    ).first()


def get_user(session: Session, registration: Registration, user_pk: int) -> User | None:
    return session.scalars(
        select(User).where(User.registration_id == registration.id, User.id == user_pk)
    ).one_or_none()


def record_user(
    session: Session,
    registration: Registration,
    sub: str,
    profile: dict[str, str],
    *,
    as_rows: bool = False,
) -> User:
    now = utcnow()
    params = {"registration_id": registration.id, "sub": sub, "created_at": now, "last_seen_at": now}
    params |= {name: profile.get(name, "") or "" for name in PROFILE_FIELDS}
    return _execute(session, _user_upsert, params, as_rows)


def find_context(
    session: Session, registration: Registration, deployment: Deployment, context_id: str
) -> Context | None:
    return session.scalars(
        select(Context).where(
            Context.registration_id == registration.id,
            Context.deployment_pk == deployment.id,
            Context.context_id == context_id,
        )
    ).first()


def get_context(session: Session, registration: Registration, context_pk: int) -> Context | None:
    return session.scalars(
        select(Context).where(Context.registration_id == registration.id, Context.id == context_pk)
    ).one_or_none()


def record_context(
    session: Session,
    registration: Registration,
    deployment: Deployment,
    context_id: str,
    label: str,
    title: str,
    *,
    as_rows: bool = False,
) -> Context:
    params = {
        "registration_id": registration.id,
        "deployment_pk": deployment.id,
        "context_id": context_id,
        "label": label,
        "title": title,
        "created_at": utcnow(),
    }
    return _execute(session, _context_upsert, params, as_rows)


def find_resource_link(
    session: Session, registration: Registration, deployment: Deployment, resource_link_id: str
) -> ResourceLink | None:
    return session.scalars(
        select(ResourceLink).where(
            ResourceLink.registration_id == registration.id,
            ResourceLink.deployment_pk == deployment.id,
            ResourceLink.resource_link_id == resource_link_id,
        )
    ).first()


def get_resource_link(session: Session, registration: Registration, link_pk: int) -> ResourceLink | None:
    return session.scalars(
        select(ResourceLink).where(
            ResourceLink.registration_id == registration.id, ResourceLink.id == link_pk
        )
    ).one_or_none()


def record_resource_link(
    session: Session,
    registration: Registration,
    deployment: Deployment,
    context: Context | Any | None,
    resource_link_id: str,
    *,
    title: str = "",
    unit_ref: str = "",
    lineitem_url: str = "",
    as_rows: bool = False,
) -> ResourceLink:
    now = utcnow()
    params = {
        "registration_id": registration.id,
        "deployment_pk": deployment.id,
        "resource_link_id": resource_link_id,
        "context_pk": context.id if context is not None else None,
        "title": title,
        "unit_ref": unit_ref,
        "lineitem_url": lineitem_url,
        "created_at": now,
        "updated_at": now,
    }
    return _execute(session, _link_upsert, params, as_rows)
