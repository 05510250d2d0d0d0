"""Registrations (issuer + client id) and their deployments."""

from __future__ import annotations

import itertools

from sqlalchemy import Row, and_, bindparam, event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lti_tool.db.models import Deployment, Registration

STATUSES = ("pending", "active", "disabled")


class RegistrationExists(ValueError):
    """A registration for this issuer and client id is already in the database."""


# Built once: every login looks its registration up, and building the query costs more than running it.
REGISTRATION_BY_CLIENT = select(Registration).where(
    Registration.issuer == bindparam("issuer"), Registration.client_id == bindparam("client_id")
)


def find_registration(session: Session, issuer: str, client_id: str) -> Registration | None:
    return session.scalars(REGISTRATION_BY_CLIENT, {"issuer": issuer, "client_id": client_id}).one_or_none()


_REGISTRATIONS, _DEPLOYMENTS = Registration.__table__, Deployment.__table__
# The few columns a login and a launch read: no decoding of the cached key set and platform configuration.
LOGIN_COLUMNS = (
    _REGISTRATIONS.c.id,
    _REGISTRATIONS.c.issuer,
    _REGISTRATIONS.c.client_id,
    _REGISTRATIONS.c.status,
    _REGISTRATIONS.c.auth_login_url,
)
LOGIN_REGISTRATION = select(*LOGIN_COLUMNS).where(
    _REGISTRATIONS.c.issuer == bindparam("issuer"), _REGISTRATIONS.c.client_id == bindparam("client_id")
)
# A launch's registration (by the id its signed state holds) and the deployment its id_token names, if any.
LAUNCH_REGISTRATION = (
    select(*LOGIN_COLUMNS, *_DEPLOYMENTS.c)
    .select_from(
        _REGISTRATIONS.outerjoin(
            _DEPLOYMENTS,
            and_(
                _DEPLOYMENTS.c.registration_id == _REGISTRATIONS.c.id,
                _DEPLOYMENTS.c.deployment_id == bindparam("deployment_id"),
            ),
        )
    )
    .where(_REGISTRATIONS.c.id == bindparam("registration_id"))
)

_status_changes = itertools.count(1)
_last_status_change = 0


def status_changes() -> int:
    """A number that moves whenever this process changes a registration's status: what caches of
    registration rows (lti_tool.lti.registration_cache) compare to drop their rows at once."""
    return _last_status_change


def _status_changed(*_args: object) -> None:
    global _last_status_change
    _last_status_change = next(_status_changes)


def login_registration(session: Session, issuer: str, client_id: str) -> Row | None:
    """The few columns a login reads (id, issuer, client_id, status, auth_login_url), as a read-only row: no
    ORM object and no decoding of the cached key set and platform configuration on every login."""
    return (
        session.connection()
        .execute(LOGIN_REGISTRATION, {"issuer": issuer, "client_id": client_id})
        .one_or_none()
    )


def registrations_of_issuer(session: Session, issuer: str) -> list[Registration]:
    return list(session.scalars(select(Registration).where(Registration.issuer == issuer)))


def get_registration(session: Session, registration_id: int) -> Registration | None:
    return session.get(Registration, registration_id)


def list_registrations(session: Session) -> list[Registration]:
    return list(session.scalars(select(Registration).order_by(Registration.id)))


def add_registration(
    session: Session,
    *,
    issuer: str,
    client_id: str,
    auth_login_url: str,
    auth_token_url: str,
    key_set_url: str,
    auth_audience: str = "",
    name: str = "",
    status: str = "active",
    source: str = "manual",
    scopes: str = "",
    platform_config: dict | None = None,
) -> Registration:
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}")
    registration = Registration(
        issuer=issuer,
        client_id=client_id,
        auth_login_url=auth_login_url,
        auth_token_url=auth_token_url,
        key_set_url=key_set_url,
        auth_audience=auth_audience,
        name=name or issuer,
        status=status,
        source=source,
        scopes=scopes,
        platform_config=platform_config,
        jwks_refetch_count=0,
    )
    try:
        with session.begin_nested():
            session.add(registration)
            session.flush()
    except IntegrityError as exc:
        raise RegistrationExists(f"{issuer} already has a registration with client id {client_id}") from exc
    return registration


def set_status(session: Session, registration: Registration, status: str) -> None:
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}")
    registration.status = status
    session.flush()
    # Now, and again once committed: a row read and cached in between holds the old status.
    _status_changed()
    event.listen(session, "after_commit", _status_changed, once=True)


def find_deployment(session: Session, registration: Registration, deployment_id: str) -> Deployment | None:
    return session.scalars(
        select(Deployment).where(
            Deployment.registration_id == registration.id, Deployment.deployment_id == deployment_id
        )
    ).one_or_none()


def list_deployments(session: Session, registration: Registration) -> list[Deployment]:
    return list(
        session.scalars(
            select(Deployment).where(Deployment.registration_id == registration.id).order_by(Deployment.id)
        )
    )


def add_deployment(
    session: Session, registration: Registration, deployment_id: str, auto_added: bool = False
) -> Deployment:
    """Add a deployment, or return the one already there (two launches may race to auto-add it)."""
    existing = find_deployment(session, registration, deployment_id)
    if existing is not None:
        return existing
    deployment = Deployment(
        registration_id=registration.id, deployment_id=deployment_id, auto_added=auto_added
    )
    try:
        with session.begin_nested():
            session.add(deployment)
            session.flush()
    except IntegrityError:
        found = find_deployment(session, registration, deployment_id)
        assert found is not None
        return found
    return deployment
