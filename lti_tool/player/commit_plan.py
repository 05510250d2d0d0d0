"""One commit, checked in the request's own thread and handed to the group committer as a short write.

Everything that needs no write lock happens before the writer's turn, so the work of several requests (and
processes) overlaps: the launch (LaunchCache), the attempt and SCO state as committed (one read), the
ownership, sequence and stale-delivery checks, validate_commit, the new state and the unit result. The
writer then runs two UPDATEs: the state's is conditional on the delivery and sequence that were read. When a
commit of the same SCO was stored in between, it changes no row and the job falls back to the locked path
(commits.record_commit), which reads, checks and validates again under the lock. Multi-SCO units always take
the locked path: their result rolls up the other SCOs' states, which may move meanwhile. A commit that moves
nothing of the unit's grade is a DriverJob (no ORM session in the writer); one that moves it needs the ORM
(results.result_moved) and is a session job.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

from lti_tool.db import Database
from lti_tool.db.driver import cursor_of
from lti_tool.db.models import utcnow
from lti_tool.json_text import dump_json, dump_result_json
from lti_tool.player.access import (
    MAX_TOKEN_LENGTH,
    PlayerLaunch,
    course_for,
    course_of_package,
    launch_cache,
)
from lti_tool.player.commit_rows import CommitStatements, StoredRows, statements_for
from lti_tool.player.commits import AcceptedCommit, CommitOutcome, check_commit, owns, record_commit
from lti_tool.player.course import Course, CourseUnavailable
from lti_tool.player.group_commit import DriverJob
from lti_tool.player.models import UnitAttempt
from lti_tool.player.navigation import item_statuses, locked_items
from lti_tool.player.results import (
    compute_unit_result,
    grade_moved,
    result_moved,
    unit_answer,
)
from lti_tool.records.issuer import Issuer
from lti_tool.repo.launches import token_hash

Answer = tuple[dict[str, Any], int]  # the JSON answer and its HTTP status
Job = Callable[[Session], tuple[Answer, bool]]  # a DriverJob is one too


class CommitRequest(NamedTuple):  # a NamedTuple as commits.CommitOutcome
    token: str
    attempt_id: int
    item_id: str
    delivery: int
    terminate: bool
    body: bytes
    xapi_issuer: Issuer | None = None  # set when an LRS is configured: a moved result queues its statements


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


def plan_commit(db: Database, request: CommitRequest, data_dir: str) -> Answer | Job:
    """The answer when the commit is refused or replayed; else the writer's job that stores it (to run
    with GroupCommitter.run(job, isolated=False)). Raises CommitRefused."""
    token = request.token
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise _session_ended()
    launch = launch_cache.kept((db.url, token))
    statements = statements_for(db.engine)
    found, rows = statements.stored_rows(
        db, token_hash(token) if launch is None else None, request.attempt_id, request.item_id
    )
    if launch is None:
        if found is None or found[4] <= utcnow():
            raise _session_ended()
        launch = PlayerLaunch(*found[:4])
        launch_cache.keep((db.url, token), launch, found[4])
    if rows is None or not owns(launch, rows):
        raise not_your_attempt()
    course = _course(lambda: course_for(db, rows.package_pk, data_dir))
    if len(course.tracked_ids) > 1:
        return locked_commit_job(request, data_dir)
    checked = check_commit(
        rows,
        course,
        item_id=request.item_id,
        delivery=request.delivery,
        body=request.body,
        terminate=request.terminate,
    )
    if isinstance(checked, CommitOutcome):
        if checked.status == 422 and _state_moved(db, statements, rows):
            return locked_commit_job(request, data_dir)  # refused against a state since replaced: recheck
        return checked.to_json(), checked.status
    locked = lambda: locked_commit_job(request, data_dir)  # noqa: E731
    return _store_job(statements, rows, course, checked, locked, request.xapi_issuer)


def _state_moved(db: Database, statements: CommitStatements, rows: StoredRows) -> bool:
    """Whether a commit of the SCO was stored since `rows` was read. Sequence and delivery refusals stand
    whatever came after (both numbers only grow); a value refused against an older state is checked again."""
    _, now = statements.stored_rows(db, None, rows.attempt_id, rows.item_id)
    return now is None or (now.delivery, now.last_sequence) != (rows.delivery, rows.last_sequence)


def _store_job(
    statements: CommitStatements,
    rows: StoredRows,
    course: Course,
    checked: AcceptedCommit,
    locked_job: Callable[[], Job],
    xapi_issuer: Issuer | None,
) -> Job:
    unit = compute_unit_result(course, [checked.facts])  # a single SCO: its own result is the unit's
    before = (rows.completion, rows.success, rows.score_scaled)
    moved = grade_moved(unit, before)
    now = statements.timestamp(utcnow())
    state_values = (
        dump_json(checked.state),
        dump_result_json(checked.facts.result),
        checked.sequence,
        checked.body_hash,
        checked.facts.ended,
        checked.facts.suspended,
        now,
    )
    # The attempt row's result columns (as results.unit_row_values names them), with this commit's time.
    unit_values = (unit.completion, unit.success, unit.score_scaled, unit.total_time_seconds, now)
    answer = CommitOutcome(200, True, "COMMIT-STORED", unit=unit_answer(unit)).to_json()

    if not moved:

        def store(cursor: Any) -> tuple[Answer, bool] | None:
            if not statements.store_if_unchanged(cursor, rows, state_values, unit_values):
                return None  # a commit of this SCO was stored since the read: the locked path checks again
            return (answer, 200), True

        return DriverJob(store, locked_job, one_statement=statements.one_statement_store)

    def job(session: Session) -> tuple[Answer, bool]:
        if not statements.store_if_unchanged(cursor_of(session), rows, state_values, unit_values):
            return locked_job()(session)  # a commit of this SCO was stored since the read: check again
        # The stored result was read with the state, which has not moved since.
        attempt = session.get(UnitAttempt, rows.attempt_id, populate_existing=True)
        assert attempt is not None
        result_moved(session, attempt, before, unit, xapi_issuer)
        return (answer, 200), True

    return job


def locked_commit_job(request: CommitRequest, data_dir: str) -> Job:
    """The locked path: read the SCO's state locked, check, validate and store it, roll the unit result up
    across SCOs. The launch was checked by plan_commit (an attempt's owner never changes)."""

    def job(session: Session) -> tuple[Answer, bool]:
        attempt = session.get(UnitAttempt, request.attempt_id, populate_existing=True)
        if attempt is None:
            raise not_your_attempt()
        course = _course(lambda: course_of_package(session, attempt.package_pk, data_dir))
        outcome = record_commit(
            session,
            attempt,
            course,
            item_id=request.item_id,
            delivery=request.delivery,
            body=request.body,
            terminate=request.terminate,
            xapi_issuer=request.xapi_issuer,
        )
        answer: dict[str, Any] = outcome.to_json()
        keep = outcome.accepted and outcome.code != "COMMIT-REPLAYED"  # nothing of a refusal is written
        if keep and course.version == "1.2" and len(course.tracked_ids) > 1:
            answer["locked"] = locked_items(course, item_statuses(attempt))
        return (answer, outcome.status), keep

    return job


def _course(load: Callable[[], Course]) -> Course:
    try:
        return load()
    except CourseUnavailable as error:
        raise CommitRefused(
            503, "PLAYER-PACKAGE-UNAVAILABLE", f"This unit cannot be opened: {error}."
        ) from error
