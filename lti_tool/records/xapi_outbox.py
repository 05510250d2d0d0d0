"""xAPI statements out of the database: collected from attempts into an outbox, delivered to the configured
LRS with the grade outbox's retry rules, and exported as JSON lines.

Why an outbox of our own: the grade outbox's rows are AGS scores (line item, timestamps, supersession); an
xAPI statement is a different message with different answers. The rules are the same (`grades.delivery`):
no answer, 408, 429 and 5xx are retried with exponential backoff and jitter (at least Retry-After); nothing
is dropped while the LRS is down. Statement ids come from the event, so a statement whose answer was lost
and is sent again is stored once: the LRS answers 200/204 (same statement) or 409 (id known) — both mean it
holds it. 400 (the LRS refuses the statement) is failed with its answer; 401/403 are retried, because a
wrong password in the settings must not lose statements, only delay them until an admin fixes it.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import requests
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from lti_tool.db import Database
from lti_tool.db.models import ResourceLink, utcnow
from lti_tool.grades.delivery import RetryPolicy, is_transient
from lti_tool.player.models import ScoState, UnitAttempt
from lti_tool.records.issuer import Issuer
from lti_tool.records.models import FAILED, QUEUED, SENDING, SENT, XapiOutboxRow
from lti_tool.records.xapi_events import AttemptFacts, events_for, queue_statements
from lti_tool.records.xapi_statements import AttemptEvents, AttemptResult, statements_for_attempt

log = logging.getLogger(__name__)
XAPI_VERSION = "1.0.3"
BATCH_SIZE = 50


def attempt_events(session: Session, issuer: Issuer, attempt: UnitAttempt) -> AttemptEvents | None:
    ended = session.scalars(
        select(ScoState.id).where(ScoState.attempt_pk == attempt.id, ScoState.ended.is_(True))
    ).first()
    facts = AttemptFacts(
        registration_id=attempt.registration_id,
        attempt_pk=attempt.id,
        resource_link_pk=attempt.resource_link_pk,
        user_pk=attempt.user_pk,
        started_at=attempt.started_at,
        total_time_seconds=attempt.total_time_seconds,
    )
    result = AttemptResult(attempt.completion, attempt.success, attempt.score_scaled)
    return events_for(
        session, issuer, facts, result, updated_at=attempt.updated_at, terminated=ended is not None
    )


def _attempts(session: Session, registration_id: int | None, since: datetime | None, context_pk: int | None):  # type: ignore[no-untyped-def]
    query = select(UnitAttempt).order_by(UnitAttempt.id)
    if registration_id is not None:
        query = query.where(UnitAttempt.registration_id == registration_id)
    if since is not None:
        query = query.where(UnitAttempt.updated_at >= since)
    if context_pk is not None:
        query = query.join(ResourceLink, ResourceLink.id == UnitAttempt.resource_link_pk).where(
            ResourceLink.context_pk == context_pk
        )
    return session.scalars(query)


def statements(
    session: Session,
    issuer: Issuer,
    *,
    registration_id: int | None = None,
    context_pk: int | None = None,
    since: datetime | None = None,
) -> Iterator[tuple[UnitAttempt, dict]]:
    for attempt in _attempts(session, registration_id, since, context_pk):
        events = attempt_events(session, issuer, attempt)
        if events is not None:
            for statement in statements_for_attempt(events):
                yield attempt, statement


def collect(session: Session, issuer: Issuer, *, since: datetime | None = None) -> int:
    """Queue every statement of attempts changed since `since` (all when None) that is not queued yet."""
    queued = 0
    for attempt in _attempts(session, None, since, None):
        events = attempt_events(session, issuer, attempt)
        if events is not None:
            queued += queue_statements(
                session, attempt.registration_id, attempt.id, statements_for_attempt(events)
            )
    return queued


def export_jsonl(
    session: Session, issuer: Issuer, *, registration_id: int | None = None, context_pk: int | None = None
) -> Iterator[str]:
    """Every statement, one JSON object per line (xAPI statements as an LRS would store them)."""
    for _, statement in statements(session, issuer, registration_id=registration_id, context_pk=context_pk):
        yield json.dumps(statement, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True)
class LrsSettings:
    endpoint: str  # e.g. https://lrs.example.org/xAPI/ (statements are POSTed to endpoint + "statements")
    username: str = ""
    password: str = ""
    timeout: float = 10.0

    @property
    def statements_url(self) -> str:
        return self.endpoint.rstrip("/") + "/statements"


@dataclass(frozen=True)
class LrsAnswer:
    status: int | None
    body: str
    retry_after: float | None = None

    @property
    def stored(self) -> bool:
        # 409: a statement with this id is stored already; ids are derived from the event, so it is ours.
        return self.status is not None and (200 <= self.status < 300 or self.status == 409)


def post_statements(http: requests.Session, lrs: LrsSettings, batch: list[dict]) -> LrsAnswer:
    try:
        answer = http.post(
            lrs.statements_url,
            data=json.dumps(batch),
            headers={"Content-Type": "application/json", "X-Experience-API-Version": XAPI_VERSION},
            auth=(lrs.username, lrs.password) if lrs.username or lrs.password else None,
            timeout=lrs.timeout,
        )
    except requests.RequestException as error:
        return LrsAnswer(None, f"no answer: {error.__class__.__name__}")
    retry_after = answer.headers.get("Retry-After", "")
    return LrsAnswer(
        answer.status_code, answer.text[:2000], float(retry_after) if retry_after.isdigit() else None
    )


class XapiDelivery:
    """Takes due rows under a lease, posts them in batches, records each answer."""

    def __init__(
        self,
        db: Database,
        lrs: LrsSettings,
        *,
        clock: Callable[[], datetime] = utcnow,
        policy: RetryPolicy | None = None,
        http: requests.Session | None = None,
        lease_seconds: float = 120.0,
        rng: random.Random | None = None,
    ) -> None:
        self.db, self.lrs, self.clock = db, lrs, clock
        self.policy = policy or RetryPolicy()
        self.http = http or requests.Session()
        self.lease = timedelta(seconds=lease_seconds)
        self.rng = rng or random.Random()

    def _claim(self) -> list[tuple[int, int, dict]]:
        now = self.clock()
        with self.db.session() as session:
            rows = list(
                session.scalars(
                    select(XapiOutboxRow)
                    .where(
                        or_(
                            (XapiOutboxRow.status == QUEUED) & (XapiOutboxRow.next_attempt_at <= now),
                            (XapiOutboxRow.status == SENDING) & (XapiOutboxRow.lease_until < now),
                        )
                    )
                    .order_by(XapiOutboxRow.id)
                    .limit(BATCH_SIZE)
                    .with_for_update(skip_locked=True)
                )
            )
            for row in rows:
                row.status, row.lease_until = SENDING, now + self.lease
            return [(row.id, row.attempts, row.statement) for row in rows]

    def _record(self, claimed: list[tuple[int, int, dict]], answer: LrsAnswer) -> None:
        now = self.clock()
        with self.db.session() as session:
            for row_id, attempts, _ in claimed:
                row = session.get(XapiOutboxRow, row_id)
                if row is None:
                    continue
                row.attempts, row.last_http_status, row.lrs_answer = attempts + 1, answer.status, answer.body
                row.lease_until = None
                if answer.stored:
                    row.status, row.sent_at = SENT, now
                elif is_transient(answer.status) or answer.status in (401, 403):
                    delay = self.policy.delay(attempts + 1, answer.retry_after, self.rng)
                    row.status, row.next_attempt_at = QUEUED, now + timedelta(seconds=delay)
                else:
                    row.status = FAILED

    def run_once(self) -> int:
        """Deliver one batch; returns how many rows were tried."""
        claimed = self._claim()
        if not claimed:
            return 0
        answer = post_statements(self.http, self.lrs, [statement for _, _, statement in claimed])
        if answer.status == 400 and len(claimed) > 1:
            # One bad statement refuses the whole batch (xAPI §2.1.3): send each alone to find it.
            for one in claimed:
                self._record([one], post_statements(self.http, self.lrs, [one[2]]))
        else:
            self._record(claimed, answer)
        return len(claimed)

    def seconds_until_due(self) -> float | None:
        with self.db.session(readonly=True) as session:
            due = session.scalars(
                select(XapiOutboxRow.next_attempt_at)
                .where(XapiOutboxRow.status == QUEUED)
                .order_by(XapiOutboxRow.next_attempt_at)
            ).first()
        return None if due is None else max(0.0, (due - self.clock()).total_seconds())

    def run_forever(
        self,
        issuer: Issuer,
        stop: Callable[[], bool],
        poll_seconds: float = 5.0,
        lookback: timedelta = timedelta(days=1),
    ) -> None:
        """Collect new statements and deliver due ones until `stop()` says so. The first round scans every
        attempt (a worker that was stopped for a week must not miss that week); then the last `lookback`."""
        since: datetime | None = None
        while not stop():
            with self.db.session() as session:
                collect(session, issuer, since=since)
            since = self.clock() - lookback
            while self.run_once():
                pass
            time.sleep(min(poll_seconds, self.seconds_until_due() or poll_seconds))


def outbox_counts(session: Session) -> dict[str, int]:
    counts = {QUEUED: 0, SENDING: 0, SENT: 0, FAILED: 0}
    for status in session.scalars(select(XapiOutboxRow.status)):
        counts[status] = counts.get(status, 0) + 1
    return counts


def lrs_from_settings(settings: dict) -> LrsSettings | None:
    """LRS_ENDPOINT, LRS_USERNAME, LRS_PASSWORD (CARECERT_* in the environment); None when no LRS is set."""
    endpoint = str(settings.get("LRS_ENDPOINT") or "").strip()
    if not endpoint:
        return None
    return LrsSettings(
        endpoint,
        str(settings.get("LRS_USERNAME") or ""),
        str(settings.get("LRS_PASSWORD") or ""),
        float(settings.get("HTTP_TIMEOUT_SECONDS") or 10),
    )
