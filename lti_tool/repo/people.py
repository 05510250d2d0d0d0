"""Users, contexts (courses) and resource links, recorded per registration as launches reveal them."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lti_tool.db.models import Context, Deployment, Registration, ResourceLink, User, utcnow


def _insert_or_find(session: Session, row: object, find: callable) -> object:  # type: ignore[valid-type]
    # Two launches of a new user or course can arrive at once: the unique constraint decides, the loser reads.
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
        return row
    except IntegrityError:
        found = find()
        if found is None:
            raise
        return found


def find_user(session: Session, registration: Registration, sub: str) -> User | None:
    return session.scalars(
        select(User).where(User.registration_id == registration.id, User.sub == sub)
    ).first()


def get_user(session: Session, registration: Registration, user_pk: int) -> User | None:
    return session.scalars(
        select(User).where(User.registration_id == registration.id, User.id == user_pk)
    ).one_or_none()


def record_user(session: Session, registration: Registration, sub: str, profile: dict[str, str]) -> User:
    user = find_user(session, registration, sub)
    if user is None:
        user = _insert_or_find(
            session,
            User(registration_id=registration.id, sub=sub),
            lambda: find_user(session, registration, sub),
        )
    user.name = profile.get("name", "") or user.name
    user.given_name = profile.get("given_name", "") or user.given_name
    user.family_name = profile.get("family_name", "") or user.family_name
    user.email = profile.get("email", "") or user.email
    user.last_seen_at = utcnow()
    return user


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
) -> Context:
    context = find_context(session, registration, deployment, context_id)
    if context is None:
        row = Context(registration_id=registration.id, deployment_pk=deployment.id, context_id=context_id)
        context = _insert_or_find(
            session, row, lambda: find_context(session, registration, deployment, context_id)
        )
    context.label = label or context.label
    context.title = title or context.title
    return context


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
    context: Context | None,
    resource_link_id: str,
    *,
    title: str = "",
    unit_ref: str = "",
    lineitem_url: str = "",
) -> ResourceLink:
    link = find_resource_link(session, registration, deployment, resource_link_id)
    if link is None:
        row = ResourceLink(
            registration_id=registration.id, deployment_pk=deployment.id, resource_link_id=resource_link_id
        )
        link = _insert_or_find(
            session, row, lambda: find_resource_link(session, registration, deployment, resource_link_id)
        )
    changes = {
        "context_pk": context.id if context is not None else link.context_pk,
        "title": title or link.title,
        "unit_ref": unit_ref or link.unit_ref,
        "lineitem_url": lineitem_url or link.lineitem_url,
    }
    if any(getattr(link, name) != value for name, value in changes.items()):
        for name, value in changes.items():
            setattr(link, name, value)
        link.updated_at = utcnow()
    return link
