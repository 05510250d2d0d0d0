"""Outbox health for the admin page and `carecert grades status`: depth, oldest undelivered, failures."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from lti_tool.db.models import AccessToken, Registration, utcnow
from lti_tool.grades.models import FAILED, QUEUED, SENDING, SENT, OutboxScore


@dataclass
class RegistrationHealth:
    registration_id: int
    name: str
    issuer: str
    undelivered: int
    failed: int  # failures not answered by a newer score
    sent: int
    oldest_undelivered: datetime | None
    token_requests: int


@dataclass
class OutboxHealth:
    undelivered: int
    in_flight: int
    failed: int
    sent: int
    oldest_undelivered: datetime | None
    registrations: list[RegistrationHealth] = field(default_factory=list)

    @property
    def oldest_age_seconds(self) -> float | None:
        if self.oldest_undelivered is None:
            return None
        return max(0.0, (utcnow() - self.oldest_undelivered).total_seconds())

    def to_dict(self) -> dict:
        data = asdict(self)
        data["oldest_age_seconds"] = self.oldest_age_seconds
        return data


def _count(condition):  # type: ignore[no-untyped-def]
    return func.sum(case((condition, 1), else_=0))


def outbox_health(session: Session) -> OutboxHealth:
    undelivered = OutboxScore.status.in_((QUEUED, SENDING))
    open_failure = (OutboxScore.status == FAILED) & OutboxScore.superseded_by.is_(None)
    rows = session.execute(
        select(
            OutboxScore.registration_id,
            _count(undelivered),
            _count(open_failure),
            _count(OutboxScore.status == SENT),
            func.min(case((undelivered, OutboxScore.created_at))),
            _count(OutboxScore.status == SENDING),
        ).group_by(OutboxScore.registration_id)
    ).all()
    tokens = dict(
        session.execute(
            select(AccessToken.registration_id, func.sum(AccessToken.requests_made)).group_by(
                AccessToken.registration_id
            )
        ).all()
    )
    names = {r.id: r for r in session.scalars(select(Registration))}
    per_registration = [
        RegistrationHealth(
            reg_id,
            names[reg_id].name if reg_id in names else "",
            names[reg_id].issuer if reg_id in names else "",
            int(waiting or 0),
            int(failed or 0),
            int(sent or 0),
            oldest,
            int(tokens.get(reg_id) or 0),
        )
        for reg_id, waiting, failed, sent, oldest, _ in rows
    ]
    oldest_all = [r.oldest_undelivered for r in per_registration if r.oldest_undelivered is not None]
    return OutboxHealth(
        undelivered=sum(r.undelivered for r in per_registration),
        in_flight=sum(int(row[5] or 0) for row in rows),
        failed=sum(r.failed for r in per_registration),
        sent=sum(r.sent for r in per_registration),
        oldest_undelivered=min(oldest_all) if oldest_all else None,
        registrations=sorted(per_registration, key=lambda r: r.registration_id),
    )
