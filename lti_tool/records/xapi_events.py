"""xAPI statements queued from inside the transaction that changes an attempt's result.

The collector (`xapi_outbox.collect`) builds statements from an attempt's stored state, so it only sees the
state it finds: a "failed" followed by a "passed" within one attempt, both between two collector rounds,
leaves only "passed". `record_result_event` is called by the commit path with the result before and after
the commit and queues the statements of the transition in the same transaction: the commit and its
statements are stored together or not at all. The ids are those the collector derives, so the two never
queue a statement twice, and the insert skips an id already queued, so a collector round running at the
same moment cannot make the commit fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from lti_tool.db.models import Context, Registration, ResourceLink, User
from lti_tool.records.issuer import Issuer
from lti_tool.records.models import QUEUED, XapiOutboxRow
from lti_tool.records.queries import CATALOGUE_PREFIX, attempt_uuid
from lti_tool.records.xapi_statements import AttemptEvents, AttemptResult, statements_for_change


@dataclass(frozen=True)
class AttemptFacts:
    """The attempt's fixed facts, as the commit path holds them (no ORM object needed)."""

    registration_id: int
    attempt_pk: int
    resource_link_pk: int | None
    user_pk: int
    started_at: datetime | None = None  # only the collector's "initialized" needs it
    total_time_seconds: float = 0.0


def activity_of(issuer: Issuer, link: ResourceLink) -> tuple[str, str]:
    """The xAPI activity of a resource link: the unit's achievement URL for catalogue units."""
    if link.unit_ref.startswith(CATALOGUE_PREFIX):
        unit_id = link.unit_ref[len(CATALOGUE_PREFIX) :]
        return issuer.achievement_url(unit_id), link.title or unit_id
    return f"{issuer.base_url}/records/activities/link-{link.id}", link.title or "Unit"


def events_for(
    session: Session,
    issuer: Issuer,
    facts: AttemptFacts,
    result: AttemptResult,
    *,
    updated_at: datetime,
    terminated: bool = False,
) -> AttemptEvents | None:
    """The attempt with its learner, activity and course looked up; None when one of them is gone (or the
    link belongs to another registration)."""
    if facts.resource_link_pk is None:
        return None
    link = session.get(ResourceLink, facts.resource_link_pk)
    user = session.get(User, facts.user_pk)
    registration = session.get(Registration, facts.registration_id)
    if link is None or user is None or registration is None or link.registration_id != facts.registration_id:
        return None
    context = session.get(Context, link.context_pk) if link.context_pk else None
    activity_id, activity_name = activity_of(issuer.installation(), link)  # one id per unit, any provider
    return AttemptEvents(
        registration_id=facts.registration_id,
        attempt_pk=facts.attempt_pk,
        attempt_uuid=attempt_uuid(facts.registration_id, facts.attempt_pk),
        lms_issuer=registration.issuer,
        learner_sub=user.sub,
        learner_name=user.name,
        activity_id=activity_id,
        activity_name=activity_name,
        started_at=facts.started_at or updated_at,
        updated_at=updated_at,
        completion=result.completion,
        success=result.success,
        score_scaled=result.score_scaled,
        total_time_seconds=facts.total_time_seconds,
        terminated=terminated,
        course_id=f"{registration.issuer.rstrip('/')}/context/{context.context_id}" if context else "",
        course_name=context.title if context else "",
    )


def queue_statements(session: Session, registration_id: int, attempt_pk: int, statements: list[dict]) -> int:
    """Insert the statements into the outbox, skipping ids already there; returns how many were new."""
    ids = [statement["id"] for statement in statements]
    known = set(
        session.scalars(select(XapiOutboxRow.statement_id).where(XapiOutboxRow.statement_id.in_(ids)))
    )
    rows = [
        {
            "registration_id": registration_id,
            "statement_id": statement["id"],
            "attempt_pk": attempt_pk,
            "verb": statement["verb"]["display"]["en-US"],
            "statement": statement,
            "status": QUEUED,
        }
        for statement in statements
        if statement["id"] not in known
    ]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    table = XapiOutboxRow.__table__
    insert = (
        dialect.insert(table).on_conflict_do_nothing(index_elements=["statement_id"]).returning(table.c.id)
    )
    # Known ids are skipped above (so PostgreSQL burns no sequence numbers on them); ON CONFLICT covers one
    # queued by a concurrent transaction meanwhile. One row at a time: a single insert says
    # whether it was new by the id it returns (psycopg leaves rowcount at -1 here).
    return sum(len(session.execute(insert, row).all()) for row in rows)


def record_result_event(
    session: Session,
    issuer: Issuer,
    *,
    attempt: AttemptFacts,
    old: AttemptResult,
    new: AttemptResult,
    at: datetime,
) -> int:
    """Queue the statements of the change `old` -> `new` of one attempt, in the caller's transaction.

    Call it whenever a commit changed completion, success or score (it returns 0 at once when nothing
    changed). `at` is the moment of the commit (naive UTC, as the tables store it). Returns the number of
    statements queued."""
    if old == new:
        return 0
    events = events_for(session, issuer, attempt, new, updated_at=at)
    if events is None:
        return 0
    return queue_statements(
        session, attempt.registration_id, attempt.attempt_pk, statements_for_change(events, old)
    )
