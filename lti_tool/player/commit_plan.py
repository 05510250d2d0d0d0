"""One commit, checked in the request's own thread and handed to the group committer as a short write.

Everything that needs no write lock happens before the writer's turn, so the work of several requests (and
processes) overlaps: the launch (LaunchCache), the attempt and SCO state as committed (one read), the
ownership, sequence and stale-delivery checks, validate_commit, the new state and the unit result. The
writer then runs two UPDATEs: the state's is conditional on the delivery and sequence that were read. When a
commit of the same SCO was stored in between, it changes no row and the job falls back to the locked path
(commits.record_commit), which reads, checks and validates again under the lock. Multi-SCO units always take
the locked path: their result rolls up the other SCOs' states, which may move meanwhile.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from lti_tool.db import Database
from lti_tool.db.models import utcnow
from lti_tool.player.access import MAX_TOKEN_LENGTH, PlayerLaunch, launch_cache
from lti_tool.player.commit_rows import CommitStatements, StoredRows, statements_for
from lti_tool.player.commits import AcceptedCommit, CommitOutcome, check_commit, owns
from lti_tool.player.course import Course
from lti_tool.player.models import UnitAttempt
from lti_tool.player.results import (
    compute_unit_result,
    grade_moved,
    queue_grade,
    unit_answer,
    unit_row_values,
)
from lti_tool.repo.launches import token_hash

Answer = tuple[dict[str, Any], int]  # the JSON answer and its HTTP status
Job = Callable[[Session], tuple[Answer, bool]]


@dataclass(frozen=True)
class CommitRequest:
    token: str
    attempt_id: int
    item_id: str
    delivery: int
    terminate: bool
    body: bytes


class CommitRefused(Exception):
    """Refused before any check of the commit itself (launch, ownership, package)."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _session_ended() -> CommitRefused:
    return CommitRefused(
        401, "LTI-LAUNCH-TOKEN-INVALID", "Your session has ended. Open the unit again from your course."
    )


def not_your_attempt() -> CommitRefused:
    return CommitRefused(403, "COMMIT-NOT-YOUR-ATTEMPT", "This attempt does not belong to this launch.")


def plan_commit(
    db: Database,
    request: CommitRequest,
    course_of: Callable[[int], Course],
    locked_job: Callable[[], Job],
) -> Answer | Job:
    """The answer when the commit is refused or replayed; else the writer's job that stores it.

    `course_of(package_pk)` gives the attempt's course; `locked_job()` the locked path's job. Raises
    CommitRefused."""
    token = request.token
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise _session_ended()
    launch = launch_cache.kept(db.url, token)
    statements = statements_for(db.engine)
    found, rows = statements.stored_rows(
        db.engine, token_hash(token) if launch is None else None, request.attempt_id, request.item_id
    )
    if launch is None:
        if found is None or found[4] <= utcnow():
            raise _session_ended()
        launch = PlayerLaunch(*found[:4])
        launch_cache.keep(db.url, token, launch, found[4])
    if rows is None or not owns(launch, rows):
        raise not_your_attempt()
    course = course_of(rows.package_pk)
    if len(course.tracked_ids) > 1:
        return locked_job()
    checked = check_commit(
        rows,
        course,
        item_id=request.item_id,
        delivery=request.delivery,
        body=request.body,
        terminate=request.terminate,
    )
    if isinstance(checked, CommitOutcome):
        return checked.to_json(), checked.status
    return _store_job(statements, request.attempt_id, rows, course, checked, locked_job)


def _store_job(
    statements: CommitStatements,
    attempt_id: int,
    rows: StoredRows,
    course: Course,
    checked: AcceptedCommit,
    locked_job: Callable[[], Job],
) -> Job:
    unit = compute_unit_result(course, [checked.facts])  # a single SCO: its own result is the unit's
    moved = grade_moved(unit, (rows.completion, rows.success, rows.score_scaled))
    now = statements.timestamp(utcnow())
    state_values = (
        json.dumps(checked.state),
        json.dumps(checked.facts.result),
        checked.sequence,
        checked.body_hash,
        checked.facts.ended,
        checked.facts.suspended,
        now,
    )
    result = unit_row_values(unit)
    unit_values = (
        result["completion"],
        result["success"],
        result["score_scaled"],
        result["total_time_seconds"],
        now,
    )
    answer = CommitOutcome(200, True, "COMMIT-STORED", unit=unit_answer(unit)).to_json()

    def job(session: Session) -> tuple[Answer, bool]:
        if not statements.store_state_if_unchanged(session, rows, state_values):
            return locked_job()(session)  # a commit of this SCO was stored since the read: check again
        statements.store_unit_result(session, attempt_id, unit_values)
        if moved:  # the stored result was read with the state, which has not moved since
            attempt = session.get(UnitAttempt, attempt_id, populate_existing=True)
            assert attempt is not None
            queue_grade(session, attempt)
        return (answer, 200), True

    return job
