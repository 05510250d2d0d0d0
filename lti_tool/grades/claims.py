"""Taking due scores from the outbox under a lease, in one short transaction.

PostgreSQL workers lock candidate rows with FOR UPDATE SKIP LOCKED, so several workers take different rows;
on SQLite the transaction's BEGIN IMMEDIATE already makes it the only writer. A row is only taken while no
other row of its (learner, line item) pair is in flight, and a row left in flight by a dead worker that a
newer row of its pair has overtaken is superseded, never sent after it. A row taken again after its lease
ended is marked `outcome_unknown`: its POST may have arrived.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, func, or_, select, update
from sqlalchemy.orm import Session

from lti_tool.db import Database
from lti_tool.db.models import User
from lti_tool.grades.lineitems import known_lineitem_url
from lti_tool.grades.models import QUEUED, SENDING, SUPERSEDED, OutboxScore
from lti_tool.grades.scores import score_body

OUTBOX = OutboxScore.__table__
USERS = User.__table__
CLAIM_COLUMNS = [
    OUTBOX.c[name]
    for name in (
        "id",
        "registration_id",
        "user_pk",
        "resource_link_pk",
        "status",
        "attempts",
        "outcome_unknown",
        "restamped",
        "timestamp",
        "score_given",
        "score_maximum",
        "activity_progress",
        "grading_progress",
        "comment",
    )
]
NEWER_SIBLING = select(func.max(OUTBOX.c.id)).where(
    OUTBOX.c.registration_id == bindparam("pair_registration"),
    OUTBOX.c.user_pk == bindparam("pair_user"),
    OUTBOX.c.resource_link_pk == bindparam("pair_link"),
    OUTBOX.c.id > bindparam("after"),
    OUTBOX.c.status != SUPERSEDED,
)
SUPERSEDE = (
    update(OUTBOX)
    .where(OUTBOX.c.id == bindparam("row_id"))
    .values(status=SUPERSEDED, superseded_by=bindparam("newer"), lease_owner="")
)


@dataclass
class ClaimedScore:
    id: int
    registration_id: int
    user_pk: int
    link_pk: int
    user_sub: str
    attempts: int
    outcome_unknown: bool
    restamped: bool
    timestamp: datetime
    body: dict
    lineitem_url: str = ""


class Claimer:
    """Takes batches of due rows for one worker (`owner`): statements built once, one transaction a batch."""

    def __init__(self, db: Database, *, owner: str, batch_size: int, lease_seconds: float) -> None:
        self.db, self.owner = db, owner
        self.batch_size, self.lease_seconds = batch_size, lease_seconds
        self._candidates = self._build_candidates()
        self._take = self._build_take()

    def claim(self, now: datetime) -> list[ClaimedScore]:
        with self.db.session() as session:
            connection = session.connection()
            rows = connection.execute(self._candidates, {"now": now}).all()
            kept, overtaken = _drop_overtaken(connection, rows)
            if overtaken:
                connection.execute(SUPERSEDE, overtaken)
            if not kept:
                return []
            until = now + timedelta(seconds=self.lease_seconds)
            connection.execute(self._take, {"ids": [row.id for row in kept], "lease": until})
            return _snapshots(session, kept)

    def _build_candidates(self):  # type: ignore[no-untyped-def]
        """Due rows with no other row of their pair in flight, oldest first, locked (PostgreSQL skips rows
        another worker is taking), with the learner's platform id. Built once per worker."""
        sibling = OUTBOX.alias("sibling")
        now = bindparam("now")
        in_flight = (
            select(sibling.c.id)
            .where(
                sibling.c.registration_id == OUTBOX.c.registration_id,
                sibling.c.user_pk == OUTBOX.c.user_pk,
                sibling.c.resource_link_pk == OUTBOX.c.resource_link_pk,
                sibling.c.id != OUTBOX.c.id,
                sibling.c.status == SENDING,
                sibling.c.lease_until >= now,
            )
            .exists()
        )
        due = or_(
            and_(OUTBOX.c.status == QUEUED, OUTBOX.c.next_attempt_at <= now),
            and_(OUTBOX.c.status == SENDING, OUTBOX.c.lease_until < now),
        )
        return (
            select(*CLAIM_COLUMNS, USERS.c.sub)
            .select_from(OUTBOX.outerjoin(USERS, USERS.c.id == OUTBOX.c.user_pk))
            .where(due, ~in_flight)
            .order_by(OUTBOX.c.id)
            .limit(self.batch_size)
            .with_for_update(skip_locked=True, of=OUTBOX)
        )

    def _build_take(self):  # type: ignore[no-untyped-def]
        # outcome_unknown: a row taken again after its lease ended may have reached the platform (SET reads
        # the row's values from before the statement, so `status` here is the old one).
        return (
            update(OUTBOX)
            .where(OUTBOX.c.id.in_(bindparam("ids", expanding=True)))
            .values(
                outcome_unknown=or_(OUTBOX.c.outcome_unknown, OUTBOX.c.status == SENDING),
                status=SENDING,
                lease_owner=self.owner,
                lease_until=bindparam("lease"),
            )
        )


def _drop_overtaken(connection, rows: list) -> tuple[list, list[dict]]:  # type: ignore[no-untyped-def]
    """A row left in flight by a dead worker is not sent after a newer score of its pair: such rows are
    answered (superseded), the others kept."""
    newest: dict[tuple[int, int, int], int] = {}
    for row in rows:
        pair = (row.registration_id, row.user_pk, row.resource_link_pk)
        newest[pair] = max(newest.get(pair, 0), row.id)
    kept, overtaken = [], []
    for row in rows:
        pair = (row.registration_id, row.user_pk, row.resource_link_pk)
        newer = newest[pair] if newest[pair] != row.id else None
        if newer is None and row.status == SENDING:
            newer = connection.execute(
                NEWER_SIBLING,
                {
                    "pair_registration": pair[0],
                    "pair_user": pair[1],
                    "pair_link": pair[2],
                    "after": row.id,
                },
            ).scalar()
        if newer is None:
            kept.append(row)
        else:
            overtaken.append({"row_id": row.id, "newer": newer})
    return kept, overtaken


def _snapshots(session: Session, rows: list) -> list[ClaimedScore]:  # type: ignore[type-arg]
    urls = {
        link_pk: known_lineitem_url(session, registration_id, link_pk)
        for registration_id, link_pk in {(r.registration_id, r.resource_link_pk) for r in rows}
    }
    return [
        ClaimedScore(
            row.id,
            row.registration_id,
            row.user_pk,
            row.resource_link_pk,
            row.sub or "",
            row.attempts,
            bool(row.outcome_unknown or row.status == SENDING),
            bool(row.restamped),
            row.timestamp,
            score_body(row, row.sub or ""),
            urls.get(row.resource_link_pk, ""),
        )
        for row in rows
    ]
