"""The grade sync list of a course: each score with its state, time, tries and the platform's answer."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lti_tool.db.models import ResourceLink, User
from lti_tool.grades.models import FAILED, SUPERSEDED, OutboxScore

LIST_LIMIT = 500


@dataclass
class SyncFilters:
    failed_only: bool = False
    unit_pk: int | None = None
    learner_pk: int | None = None


def list_syncs(
    session: Session, registration_id: int, context_pk: int, filters: SyncFilters
) -> list[tuple[OutboxScore, User, ResourceLink]]:
    query = (
        select(OutboxScore, User, ResourceLink)
        .join(User, User.id == OutboxScore.user_pk)
        .join(ResourceLink, ResourceLink.id == OutboxScore.resource_link_pk)
        .where(OutboxScore.registration_id == registration_id, ResourceLink.context_pk == context_pk)
        .order_by(OutboxScore.id.desc())
        .limit(LIST_LIMIT)
    )
    if filters.failed_only:
        query = query.where(OutboxScore.status == FAILED, OutboxScore.superseded_by.is_(None))
    if filters.unit_pk is not None:
        query = query.where(OutboxScore.resource_link_pk == filters.unit_pk)
    if filters.learner_pk is not None:
        query = query.where(OutboxScore.user_pk == filters.learner_pk)
    return [tuple(row) for row in session.execute(query).all()]  # type: ignore[misc]


def sync_counts(session: Session, registration_id: int, context_pk: int) -> dict[str, int]:
    """Rows per state, leaving out superseded ones; failures answered by a newer score do not count."""
    rows = session.execute(
        select(OutboxScore.status, func.count())
        .join(ResourceLink, ResourceLink.id == OutboxScore.resource_link_pk)
        .where(
            OutboxScore.registration_id == registration_id,
            ResourceLink.context_pk == context_pk,
            OutboxScore.status != SUPERSEDED,
            OutboxScore.superseded_by.is_(None),
        )
        .group_by(OutboxScore.status)
    ).all()
    return {status: count for status, count in rows}
