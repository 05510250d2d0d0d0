"""SCORM packages uploaded to one registration."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from lti_tool.db.models import Package, Registration


def add_package(session: Session, registration: Registration, **fields: object) -> Package:
    package = Package(registration_id=registration.id, **fields)
    session.add(package)
    session.flush()
    return package


def list_packages(session: Session, registration: Registration) -> list[Package]:
    return list(
        session.scalars(
            select(Package)
            .where(Package.registration_id == registration.id)
            .order_by(Package.title, Package.id)
        )
    )


def get_package(session: Session, registration: Registration, package_id: int) -> Package | None:
    """The package, or None when it does not exist or belongs to another registration."""
    return session.scalars(
        select(Package).where(Package.registration_id == registration.id, Package.id == package_id)
    ).one_or_none()
