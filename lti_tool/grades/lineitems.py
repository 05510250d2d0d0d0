"""Which line item an activity's scores go to.

The launch's AGS claim names it when the activity was added through our deep-linking response (stored on the
resource link at launch). Otherwise we find or create one on the platform per resource link, by
`resourceLinkId` and our tag. Two processes must never create two: the `grade_links` row (unique per
resource link) carries a short lease, taken by one atomic UPDATE; whoever holds it looks up and creates, the
others wait for the URL. No database lock is held across the HTTP calls (on SQLite that would stop every
writer), and a holder that dies leaves a lease that simply expires.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lti_tool.db import Database
from lti_tool.db.models import LaunchSession, ResourceLink
from lti_tool.grades.ags import SCOPE_LINEITEM, AgsClient, Answer, TokenSource
from lti_tool.grades.models import GradeLink
from lti_tool.lti.claims import AGS_ENDPOINT

UNIT_TAG = "carecert-unit"  # the tag our deep-linking response gives line items (lti_tool.lti.deep_linking)
CLAIM_SECONDS = 60


@dataclass(frozen=True)
class LineItemLookup:
    url: str = ""
    wait: bool = False  # another process is creating it: try again shortly
    answer: Answer | None = None  # the platform's refusal, when it refused
    problem: str = ""


def grade_link(session: Session, registration_id: int, link_pk: int) -> GradeLink:
    """The activity's grade_links row, created on first use (the unique constraint decides a race)."""
    query = select(GradeLink).where(
        GradeLink.registration_id == registration_id, GradeLink.resource_link_pk == link_pk
    )
    row = session.scalars(query).first()
    if row is None:
        try:
            with session.begin_nested():
                session.add(GradeLink(registration_id=registration_id, resource_link_pk=link_pk))
        except IntegrityError:
            pass
        row = session.scalars(query.execution_options(populate_existing=True)).one()
    return row


def known_lineitem_url(session: Session, registration_id: int, link_pk: int) -> str:
    link = session.get(ResourceLink, link_pk)
    if link is None or link.registration_id != registration_id:
        return ""
    if link.lineitem_url:
        return link.lineitem_url
    row = session.scalars(select(GradeLink.lineitem_url).where(GradeLink.resource_link_pk == link_pk)).first()
    return row or ""


def _lineitems_url_from_launches(session: Session, registration_id: int, link_pk: int) -> str:
    """The context's line item container URL from the newest launch of this activity that carried one."""
    launches = session.scalars(
        select(LaunchSession.claims)
        .where(LaunchSession.registration_id == registration_id, LaunchSession.resource_link_pk == link_pk)
        .order_by(LaunchSession.id.desc())
        .limit(20)
    )
    for claims in launches:
        endpoint = claims.get(AGS_ENDPOINT) if isinstance(claims, dict) else None
        url = endpoint.get("lineitems") if isinstance(endpoint, dict) else None
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            return url
    return ""


def _take_claim(
    db: Database, registration_id: int, link_pk: int, owner: str, now: datetime
) -> LineItemLookup | None:
    """None when we now hold the claim; else what the caller should do."""
    with db.session() as session:
        row = grade_link(session, registration_id, link_pk)
        if row.lineitem_url:
            return LineItemLookup(url=row.lineitem_url)
        if not row.lineitems_url:
            row.lineitems_url = _lineitems_url_from_launches(session, registration_id, link_pk)
        if not row.lineitems_url:
            return LineItemLookup(
                problem="the platform sent no line item and no line item service for this activity: "
                "grade sync is not enabled for it in the LMS"
            )
        taken = session.execute(
            update(GradeLink)
            .where(
                GradeLink.id == row.id,
                GradeLink.lineitem_url == "",
                or_(
                    GradeLink.claim_until.is_(None),
                    GradeLink.claim_until < now,
                    GradeLink.claim_owner == owner,
                ),
            )
            .values(claim_owner=owner, claim_until=now + timedelta(seconds=CLAIM_SECONDS))
            .execution_options(synchronize_session=False)
        ).rowcount
    return None if taken == 1 else LineItemLookup(wait=True)


def _found_url(answer: Answer, resource_link_id: str) -> str:
    items = answer.json if isinstance(answer.json, list) else []
    for item in items:
        if (
            isinstance(item, dict)
            and item.get("resourceLinkId") in (None, resource_link_id)
            and item.get("id")
        ):
            return str(item["id"])
    return ""


def ensure_line_item(
    db: Database,
    client: AgsClient,
    tokens: TokenSource,
    registration_id: int,
    link_pk: int,
    owner: str,
    clock: Callable[[], datetime],
) -> LineItemLookup:
    """The activity's line item URL, finding or creating it on the platform when no launch named one."""
    with db.session(readonly=True) as session:
        url = known_lineitem_url(session, registration_id, link_pk)
        link = session.get(ResourceLink, link_pk)
    if url:
        return LineItemLookup(url=url)
    if link is None:
        return LineItemLookup(problem="the activity no longer exists")
    blocked = _take_claim(db, registration_id, link_pk, owner, clock())
    if blocked is not None:
        return blocked
    with db.session(readonly=True) as session:
        lineitems_url = grade_link(session, registration_id, link_pk).lineitems_url
    found = client.find_line_item(tokens, lineitems_url, link.resource_link_id, UNIT_TAG)
    if not found.ok:
        return _release(db, link_pk, owner, found)
    url, source = _found_url(found, link.resource_link_id), "found"
    if not url:
        if SCOPE_LINEITEM not in tokens.scopes:
            return _release(db, link_pk, owner, found, "the platform did not grant the line item scope")
        body = {
            "label": link.title or "Care Certificate unit",
            "scoreMaximum": 100,
            "resourceLinkId": link.resource_link_id,
            "resourceId": link.unit_ref or link.resource_link_id,
            "tag": UNIT_TAG,
        }
        created = client.create_line_item(tokens, lineitems_url, body)
        url, source = (str(created.json.get("id", "")) if isinstance(created.json, dict) else ""), "created"
        if not created.ok or not url:
            return _release(db, link_pk, owner, created)
    with db.session() as session:
        row = grade_link(session, registration_id, link_pk)
        row.lineitem_url, row.lineitem_source = url, source
        row.claim_owner, row.claim_until = "", None
    return LineItemLookup(url=url)


def _release(db: Database, link_pk: int, owner: str, answer: Answer, problem: str = "") -> LineItemLookup:
    with db.session() as session:
        session.execute(
            update(GradeLink)
            .where(GradeLink.resource_link_pk == link_pk, GradeLink.claim_owner == owner)
            .values(claim_owner="", claim_until=None)
        )
    return LineItemLookup(answer=answer, problem=problem or f"line item lookup failed: {answer.describe()}")
