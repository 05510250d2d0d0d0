"""Providers' own issuer profiles: which issuer a registration's credentials name, and the admin's edits.

A registration without a profile issues under the installation's issuer (RECORDS_ISSUER_* settings), so a
single-provider installation needs nothing here. Once a registration has a profile, what its learners
achieve from then on is issued by `{BASE_URL}/records/providers/{registration id}/issuer`; what was issued
before keeps its issuer and keeps verifying.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from lti_tool.db.models import Registration, utcnow
from lti_tool.records.issuer import Issuer
from lti_tool.records.models import IssuerProfile

MAX_NAME = 255
MAX_URL = 2048
MAX_EMAIL = 320
MAX_ROW_ID = 2**31 - 1
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ProfileError(ValueError):
    """An issuer profile that cannot be saved; the message says which field and why."""


def issuer_for(session: Session, installation: Issuer, registration_id: int) -> Issuer:
    """The issuer of credentials earned in this registration: its provider's, or the installation's."""
    row = session.scalars(
        select(IssuerProfile).where(IssuerProfile.registration_id == registration_id)
    ).first()
    if row is None:
        return installation.installation()
    return installation.for_provider(registration_id, row.name, row.url, row.email)


def provider_issuer(session: Session, installation: Issuer, registration_id: int) -> Issuer | None:
    """The issuer published under `{BASE_URL}/records/providers/{registration_id}`; None without a profile."""
    if not 0 < registration_id <= MAX_ROW_ID:  # a number from a URL: never one the database cannot hold
        return None
    found = issuer_for(session, installation, registration_id)
    return found if found.provider is not None else None


def _checked(name: str, url: str, email: str) -> tuple[str, str, str]:
    name, url, email = " ".join(name.split()), url.strip(), email.strip()
    if not name or len(name) > MAX_NAME:
        raise ProfileError(f"give the provider's name (at most {MAX_NAME} characters)")
    parts = urlsplit(url)
    if url and (parts.scheme not in ("http", "https") or not parts.netloc or len(url) > MAX_URL):
        raise ProfileError("the web site must be an http:// or https:// address")
    if email and (not EMAIL.match(email) or len(email) > MAX_EMAIL):
        raise ProfileError("the email address does not look like one (name@example.org)")
    return name, url, email


def save_profile(
    session: Session, registration_id: int, *, name: str, url: str = "", email: str = ""
) -> None:
    """Create or change a registration's issuer profile; ProfileError for bad input or no registration."""
    name, url, email = _checked(name, url, email)
    if session.get(Registration, registration_id) is None:
        raise ProfileError(f"there is no registration {registration_id}")
    row = session.scalars(
        select(IssuerProfile).where(IssuerProfile.registration_id == registration_id)
    ).first()
    if row is None:
        row = IssuerProfile(registration_id=registration_id)
        session.add(row)
    row.name, row.url, row.email, row.updated_at = name, url, email, utcnow()
    session.flush()


def profiles(session: Session) -> dict[int, IssuerProfile]:
    """Every registration's profile, by registration id."""
    return {row.registration_id: row for row in session.scalars(select(IssuerProfile))}
