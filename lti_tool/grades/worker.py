"""The delivery worker: takes due scores from the outbox under a lease, posts them, records the answers.

Taking rows (claims.py): one short transaction marks a batch `sending` with this worker's name and a lease.
A worker that dies (SIGKILL) leaves rows whose lease expires; the next worker takes them again, marked
`outcome_unknown` (the POST may have arrived), never after a newer score of the same learner and line item.
Time comes from `clock` and waiting from `sleep`, so tests can simulate minutes of platform downtime.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from lti_tool.db import Database
from lti_tool.db.models import Registration, utcnow
from lti_tool.grades import delivery
from lti_tool.grades.ags import AgsClient, Answer, TokenSource, pooled_http_session
from lti_tool.grades.claims import OUTBOX, ClaimedScore, Claimer
from lti_tool.grades.lineitems import LineItemLookup, ensure_line_item
from lti_tool.grades.models import FAILED, QUEUED, SENDING, SENT, SUPERSEDED, OutboxScore

log = logging.getLogger(__name__)


@dataclass
class Outcome:
    row: ClaimedScore
    answer: Answer | None
    decision: delivery.Decision
    problem: str = ""
    extra: dict = field(default_factory=dict)


def worker_name() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class DeliveryWorker:
    def __init__(
        self,
        db: Database,
        *,
        clock: Callable[[], datetime] = utcnow,
        sleep: Callable[[float], None] = time.sleep,
        batch_size: int = 200,
        concurrency: int = 8,
        lease_seconds: float = 120.0,
        poll_seconds: float = 1.0,
        timeout: float = 10.0,
        policy: delivery.RetryPolicy | None = None,
        rng: random.Random | None = None,
        name: str | None = None,
    ) -> None:
        self.db = db
        self.clock, self.sleep = clock, sleep
        self.batch_size, self.lease_seconds, self.poll_seconds = batch_size, lease_seconds, poll_seconds
        self.policy = policy or delivery.RetryPolicy()
        self.rng = rng or random.Random()
        self.name = name or worker_name()
        self.client = AgsClient(pooled_http_session(concurrency), timeout, connections=concurrency)
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="grades-send")
        self._sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="grades-batch")
        self._tokens: dict[int, TokenSource] = {}
        self._tokens_lock = threading.Lock()
        self._claimer = Claimer(db, owner=self.name, batch_size=batch_size, lease_seconds=lease_seconds)

    # -- taking rows --------------------------------------------------------------------------------------
    def claim(self) -> list[ClaimedScore]:
        return self._claimer.claim(self.clock())

    # -- sending ------------------------------------------------------------------------------------------
    def tokens_for(self, registration_id: int) -> TokenSource:
        with self._tokens_lock:
            source = self._tokens.get(registration_id)
            if source is None:
                with self.db.session(readonly=True) as session:
                    registration = session.get(Registration, registration_id)
                    if registration is None:
                        raise LookupError(f"registration {registration_id} no longer exists")
                source = TokenSource(self.db, registration, self.client.http, self.client.timeout)
                self._tokens[registration_id] = source
            return source

    def _line_items(self, claimed: list[ClaimedScore]) -> dict[int, LineItemLookup]:
        lookups: dict[int, LineItemLookup] = {}
        for row in claimed:
            if row.lineitem_url or row.link_pk in lookups:
                continue
            tokens = self.tokens_for(row.registration_id)
            lookups[row.link_pk] = ensure_line_item(
                self.db, self.client, tokens, row.registration_id, row.link_pk, self.name, self.clock
            )
        return lookups

    def deliver(self, claimed: list[ClaimedScore]) -> list[Outcome]:
        lookups = self._line_items(claimed)
        ready, outcomes = [], []
        for row in claimed:
            lookup = lookups.get(row.link_pk)
            if lookup is not None and not lookup.url:
                outcomes.append(self._without_line_item(row, lookup))
                continue
            row.lineitem_url = row.lineitem_url or (lookup.url if lookup else "")
            ready.append(row)
        answers = self._pool.map(self._post, ready)
        for row, answer in zip(ready, answers, strict=True):
            decision = delivery.decide(
                answer, outcome_unknown_before=row.outcome_unknown, restamped=row.restamped
            )
            outcomes.append(Outcome(row, answer, decision))
        return outcomes

    def _post(self, row: ClaimedScore) -> Answer:
        try:
            return self.client.post_score(self.tokens_for(row.registration_id), row.lineitem_url, row.body)
        except Exception as exc:  # noqa: BLE001 - any local failure is retried like a network error
            log.exception("score %s: sending failed locally", row.id)
            return Answer(None, "", error=f"{type(exc).__name__}: {exc}")

    @staticmethod
    def _without_line_item(row: ClaimedScore, lookup: LineItemLookup) -> Outcome:
        if lookup.wait:  # another worker is creating the line item right now
            return Outcome(
                row, None, delivery.Decision(delivery.RETRY), "waiting for the line item", {"soon": True}
            )
        if lookup.answer is not None and delivery.is_transient(lookup.answer.status):
            return Outcome(row, lookup.answer, delivery.Decision(delivery.RETRY), lookup.problem)
        return Outcome(row, lookup.answer, delivery.Decision(delivery.FAILED), lookup.problem)

    # -- recording ----------------------------------------------------------------------------------------
    def record(self, outcomes: list[Outcome]) -> None:
        now = self.clock()
        with self.db.session() as session:
            updates = [self._values(session, outcome, now) for outcome in outcomes]
            statement = (
                update(OUTBOX)
                .where(
                    OUTBOX.c.id == bindparam("row_id"),
                    OUTBOX.c.lease_owner == self.name,
                    OUTBOX.c.status == SENDING,
                )
                .values(
                    status=bindparam("new_status"),
                    attempts=bindparam("new_attempts"),
                    next_attempt_at=bindparam("new_next"),
                    last_http_status=bindparam("new_http"),
                    platform_answer=bindparam("new_answer"),
                    outcome_unknown=bindparam("new_unknown"),
                    timestamp=bindparam("new_timestamp"),
                    restamped=bindparam("new_restamped"),
                    superseded_by=bindparam("new_superseded_by"),
                    sent_at=bindparam("new_sent_at"),
                    lease_owner="",
                    lease_until=None,
                    updated_at=now,
                )
            )
            if updates:
                session.connection().execute(statement, updates)

    def _values(self, session: Session, outcome: Outcome, now: datetime) -> dict:
        row, answer, action = outcome.row, outcome.answer, outcome.decision.action
        tried = answer is not None and not outcome.extra.get("soon")
        attempts = row.attempts + (1 if tried else 0)
        values = {
            "row_id": row.id,
            "new_status": QUEUED,
            "new_attempts": attempts,
            "new_next": now,
            "new_http": answer.status if answer else None,
            "new_answer": (outcome.problem + " — " if outcome.problem and answer else outcome.problem)
            + (answer.describe() if answer else ""),
            "new_unknown": row.outcome_unknown or outcome.decision.outcome_unknown,
            "new_timestamp": row.timestamp,
            "new_restamped": row.restamped,
            "new_superseded_by": None,
            "new_sent_at": None,
        }
        if action == delivery.SENT:
            values.update(new_status=SENT, new_sent_at=now)
        elif action == delivery.RETRY and outcome.extra.get("soon"):
            values.update(new_next=now + timedelta(seconds=1))
        elif action == delivery.RETRY and attempts < self.policy.max_attempts:
            delay = self.policy.delay(attempts, answer.retry_after if answer else None, self.rng)
            values.update(new_next=now + timedelta(seconds=delay))
        elif action == delivery.RESTAMP:
            newer = self._newer_sibling_of(session, row)
            if newer is not None:  # a newer score of ours will set the gradebook: nothing to re-send
                values.update(new_status=SUPERSEDED, new_superseded_by=newer)
            else:
                values.update(new_timestamp=delivery.restamped_time(row.timestamp, now), new_restamped=True)
        else:
            if action == delivery.RETRY:
                values["new_answer"] = f"gave up after {attempts} tries; last answer: {values['new_answer']}"
            values.update(new_status=FAILED, new_superseded_by=self._newer_sibling_of(session, row))
        return values

    @staticmethod
    def _newer_sibling_of(session: Session, row: ClaimedScore) -> int | None:
        return session.scalar(
            select(func.max(OutboxScore.id)).where(
                OutboxScore.registration_id == row.registration_id,
                OutboxScore.user_pk == row.user_pk,
                OutboxScore.resource_link_pk == row.link_pk,
                OutboxScore.id > row.id,
                OutboxScore.status != SUPERSEDED,
            )
        )

    # -- loops --------------------------------------------------------------------------------------------
    def run_once(self) -> int:
        claimed = self.claim()
        if claimed:
            self.record(self.deliver(claimed))
        return len(claimed)

    def _pipelined_round(self, in_flight: Future | None) -> tuple[bool, Future | None]:
        """Take the next batch while the previous one is on the wire, so the platform is not idle while we
        claim; then record the previous batch and send the new one. Rows in flight are leased, so the new
        batch never holds a pair of the previous one (order per pair is kept). Answers (whether a batch was
        taken or recorded, the batch now in flight)."""
        try:
            claimed = self.claim()
        finally:
            if in_flight is not None:
                self.record(in_flight.result())
        if not claimed:
            return in_flight is not None, None
        return True, self._sender.submit(self.deliver, claimed)

    def seconds_until_due(self) -> float | None:
        """How long until a row can be taken (a retry falls due, a lease expires); None: nothing pending.
        A due row that was not taken waits for its pair's row in flight: for that lease, or a poll."""
        now = self.clock()
        with self.db.session(readonly=True) as session:
            next_retry = session.scalar(
                select(func.min(OutboxScore.next_attempt_at)).where(
                    OutboxScore.status == QUEUED, OutboxScore.next_attempt_at > now
                )
            )
            next_lease = session.scalar(
                select(func.min(OutboxScore.lease_until)).where(OutboxScore.status == SENDING)
            )
            blocked = session.scalar(
                select(OutboxScore.id)
                .where(OutboxScore.status == QUEUED, OutboxScore.next_attempt_at <= now)
                .limit(1)
            )
        moments = [m for m in (next_retry, next_lease) if m is not None]
        if not moments:
            return self.poll_seconds if blocked is not None else None
        return max(0.0, (min(moments) - now).total_seconds())

    def run_until_idle(self, max_rounds: int = 100_000) -> None:
        """Deliver until nothing is pending, waiting (with the injected sleep) for retries to fall due."""
        in_flight = None
        try:
            for _ in range(max_rounds):
                busy, in_flight = self._pipelined_round(in_flight)
                if busy:
                    continue
                wait = self.seconds_until_due()
                if wait is None:
                    return
                self.sleep(max(wait, 0.001))
        finally:
            if in_flight is not None:
                self.record(in_flight.result())
        raise RuntimeError("the outbox did not drain")

    def run_forever(self, stop: threading.Event) -> None:
        log.info("grade delivery worker %s started", self.name)
        in_flight = None
        while not stop.is_set():
            try:
                busy, in_flight = self._pipelined_round(in_flight)
                if busy:
                    continue
                wait = self.seconds_until_due()
            except Exception:  # noqa: BLE001 - a database hiccup must not end the worker
                log.exception("grade delivery round failed; trying again")
                in_flight, wait = None, self.poll_seconds * 5  # a failed batch's rows wait for their lease
            stop.wait(self.poll_seconds if wait is None else min(wait, self.poll_seconds))
        if in_flight is not None:
            self.record(in_flight.result())
        self.close()

    def close(self) -> None:
        self._sender.shutdown(wait=True)
        self._pool.shutdown(wait=True)
        self.client.close()
