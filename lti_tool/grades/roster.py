"""The course roster from the platform's Names and Roles Provisioning Service (NRPS 2.0): every member,
including learners who never launched the tool, page by page along the `Link: rel="next"` headers."""

from __future__ import annotations

from dataclasses import dataclass

import requests
from sqlalchemy import select

from lti_tool.db import Database
from lti_tool.db.models import Registration, utcnow
from lti_tool.grades.ags import AgsClient, Answer, TokenSource
from lti_tool.grades.models import RosterMember
from lti_tool.lti.roles import map_roles
from lti_tool.repo import people

MEMBERSHIP_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"
MAX_PAGES = 200  # a course of 200 pages is a runaway Link chain, not a course


@dataclass(frozen=True)
class RosterSync:
    members: int
    pages: int
    problem: str = ""


def _text(value: object, limit: int = 255) -> str:
    return value[:limit] if isinstance(value, str) else ""


def fetch_members(client: AgsClient, tokens: TokenSource, url: str) -> tuple[list[dict], int, Answer | None]:
    members: list[dict] = []
    pages = 0
    next_url: str | None = url
    while next_url and pages < MAX_PAGES:
        answer = client.call(tokens, "GET", next_url, accept=MEMBERSHIP_TYPE)
        if not answer.ok or not isinstance(answer.json, dict):
            return members, pages, answer
        pages += 1
        members.extend(m for m in answer.json.get("members") or [] if isinstance(m, dict))
        next_url = answer.next_url
    return members, pages, None


def sync_roster(
    db: Database, http: requests.Session, registration: Registration, context_pk: int, memberships_url: str
) -> RosterSync:
    """Fetch the members and record them (users by `user_id`, which is the launch's `sub`)."""
    client = AgsClient(http)
    tokens = TokenSource(db, registration, http, client.timeout)
    members, pages, refusal = fetch_members(client, tokens, memberships_url)
    if refusal is not None:
        return RosterSync(0, pages, f"the platform's member list could not be read: {refusal.describe()}")
    with db.session() as session:
        for member in members:
            sub = _text(member.get("user_id"))
            if not sub:
                continue
            profile = {name: _text(member.get(name)) for name in ("name", "given_name", "family_name")}
            profile["email"] = _text(member.get("email"), 320)
            user = people.record_user(session, registration, sub, profile)
            session.flush()
            roles = [r for r in member.get("roles") or [] if isinstance(r, str)]
            row = session.scalars(
                select(RosterMember).where(
                    RosterMember.context_pk == context_pk, RosterMember.user_pk == user.id
                )
            ).first()
            if row is None:
                row = RosterMember(registration_id=registration.id, context_pk=context_pk, user_pk=user.id)
                session.add(row)
            row.role = map_roles(roles)
            row.status = _text(member.get("status"), 16) or "Active"
            row.synced_at = utcnow()
    return RosterSync(len(members), pages)
