"""Unit results: recomputed from the SCOs' results on every commit (rollup across SCOs for multi-SCO
packages), handed to grades, and listed for learners, instructors and assessors."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple, Protocol

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from lti_tool.db.models import ResourceLink, User, utcnow
from lti_tool.grades import UnitScore, queue_score_for_result
from lti_tool.player.attempts import counted_attempt, settings_for
from lti_tool.player.course import Course
from lti_tool.player.models import ScoState, UnitAttempt
from lti_tool.records.issuer import Issuer
from lti_tool.records.xapi_events import AttemptFacts, record_result_event
from lti_tool.records.xapi_statements import AttemptResult as XapiResult
from scorm.runtime import AttemptResult
from scorm.sequencing import UnitResult, rollup_unit_result

log = logging.getLogger(__name__)


class ScoResultFacts(Protocol):
    """What the rollup reads of one SCO's state (a ScoState, a row of its columns, or ScoFacts)."""

    item_id: str
    result: dict | None
    ended: bool
    suspended: bool
    session_count: int


# A NamedTuple, not a frozen dataclass: built on every commit, and a frozen dataclass sets each field through
# object.__setattr__ (about seven times the cost of a tuple).
class ScoFacts(NamedTuple):
    item_id: str
    result: dict | None
    ended: bool
    suspended: bool
    session_count: int


# Columns, not ORM objects: the commit path writes state rows with Core UPDATEs, which an identity map
# holding earlier copies would not see. Statements are built once (a commit is on every slide).
_ATTEMPT_FACTS = select(
    ScoState.item_id,
    ScoState.result,
    ScoState.ended,
    ScoState.suspended,
    ScoState.session_count,
).where(ScoState.attempt_pk == bindparam("attempt_pk"))
_attempts = UnitAttempt.__table__
_STORE_UNIT_RESULT = (
    _attempts.update()
    .where(_attempts.c.id == bindparam("attempt_id"))
    .values(
        completion=bindparam("new_completion"),
        success=bindparam("new_success"),
        score_scaled=bindparam("new_score_scaled", type_=_attempts.c.score_scaled.type),
        total_time_seconds=bindparam("new_total_time_seconds", type_=_attempts.c.total_time_seconds.type),
        updated_at=bindparam("new_updated_at", type_=_attempts.c.updated_at.type),
    )
)


def _sco_results(states: list[ScoResultFacts]) -> dict[str, AttemptResult]:
    return {s.item_id: AttemptResult(**s.result) for s in states if s.result}


def compute_unit_result(course: Course, states: list[ScoResultFacts]) -> UnitResult:
    """The unit's result from its SCOs' states. The UnitResult may be shared: never modify it."""
    if len(states) == 1 and states[0].result is not None:
        return _single_sco_result(course, states[0])
    return _rollup(course, states)


def _rollup(course: Course, states: list[ScoResultFacts]) -> UnitResult:
    return rollup_unit_result(
        course.manifest,
        _sco_results(states),
        ended=[s.item_id for s in states if s.ended],
        suspended=[s.item_id for s in states if s.suspended],
        attempt_counts={s.item_id: s.session_count for s in states},
    )


# Most commits of a single-SCO unit (a page turn) give the result the last one gave; the rollup (manifest
# walk, tracked items, AttemptResult rebuilt) was a fifth of what storing a commit costs. Kept by the
# inputs, which are plain values, and bounded; the course is checked by identity, not equality.
_SINGLE_SCO_KEPT = 4096
_single_sco_results: dict[tuple, tuple[Course, UnitResult]] = {}


def _single_sco_result(course: Course, state: ScoResultFacts) -> UnitResult:
    assert state.result is not None
    try:
        result = tuple(state.result.items())
        key = (id(course), state.item_id, result, state.ended, state.suspended, state.session_count)
        kept = _single_sco_results.get(key)
    except TypeError:  # pragma: no cover - a result's values are str, float or None
        return _rollup(course, [state])
    if kept is not None and kept[0] is course:
        return kept[1]
    unit = _rollup(course, [state])
    if len(_single_sco_results) >= _SINGLE_SCO_KEPT:
        _single_sco_results.clear()
    _single_sco_results[key] = (course, unit)
    return unit


def update_unit_result(
    session: Session,
    attempt: UnitAttempt,
    course: Course,
    changed: ScoResultFacts,
    xapi_issuer: Issuer | None = None,
) -> dict:
    """Recompute the attempt's unit result after `changed` was stored, and queue the grade if it moved."""
    if len(course.tracked_ids) <= 1:
        states: list[ScoResultFacts] = [changed]
    else:
        states = list(session.connection().execute(_ATTEMPT_FACTS, {"attempt_pk": attempt.id}))
    unit = compute_unit_result(course, states)
    before = (attempt.completion, attempt.success, attempt.score_scaled)
    _store_unit_result(session, attempt, unit)
    if grade_moved(unit, before):
        result_moved(session, attempt, before, unit, xapi_issuer)  # most commits (a page turn) do not
    return unit_answer(unit)


def result_moved(
    session: Session,
    attempt: UnitAttempt,
    before: tuple[str, str, float | None],
    unit: UnitResult,
    xapi_issuer: Issuer | None = None,
) -> None:
    """What a moved unit result sets off, in the commit's own transaction, for both commit paths (the
    locked one above and commit_plan's): the gradebook's score, and with an LRS configured (`xapi_issuer`)
    the xAPI statements of this very change, so a fail then a pass within one attempt both reach the LRS.
    `attempt` holds the stored new result."""
    queue_grade(session, attempt)
    if xapi_issuer is not None:
        facts = AttemptFacts(
            attempt.registration_id,
            attempt.id,
            attempt.resource_link_pk,
            attempt.user_pk,
            attempt.started_at,
            attempt.total_time_seconds,
        )
        new = (unit.completion, unit.success, unit.score_scaled)
        record_result_event(
            session, xapi_issuer, attempt=facts, old=XapiResult(*before), new=XapiResult(*new), at=utcnow()
        )


def grade_moved(unit: UnitResult, before: tuple[str, str, float | None]) -> bool:
    """Whether the result the gradebook gets (completion, success, score) differs from `before`."""
    return (unit.completion, unit.success, unit.score_scaled) != before


def unit_answer(unit: UnitResult) -> dict[str, Any]:
    """The unit result as the commit's answer tells the player."""
    return {
        "completion": unit.completion,
        "success": unit.success,
        "score_scaled": unit.score_scaled,
        "total_time": unit.total_time,
        "activities": unit.activities,
    }


def unit_row_values(unit: UnitResult) -> dict[str, Any]:
    """The attempt row's columns that hold the unit result."""
    return {
        "completion": unit.completion,
        "success": unit.success,
        "score_scaled": unit.score_scaled,
        "total_time_seconds": unit.total_time_seconds,
        "updated_at": utcnow(),
    }


def _store_unit_result(session: Session, attempt: UnitAttempt, unit: UnitResult) -> None:
    """One Core UPDATE of the attempt row; the loaded attempt is told the same values as already stored,
    so the grade code that reads it sees them without a flush (nothing is left dirty for one)."""
    stored = unit_row_values(unit)
    session.connection().execute(
        _STORE_UNIT_RESULT,
        {"attempt_id": attempt.id, **{f"new_{name}": value for name, value in stored.items()}},
    )
    for name, value in stored.items():
        set_committed_value(attempt, name, value)


def queue_grade(session: Session, attempt: UnitAttempt) -> None:
    """Queue the gradebook's score for the attempt's learner and activity, in the caller's transaction."""
    link = session.get(ResourceLink, attempt.resource_link_pk)
    if link is None:
        return
    user = session.get(User, attempt.user_pk)
    attempts = _attempts_of(session, attempt)
    counted = counted_attempt(attempts, settings_for(session, link).counted_attempt) or attempt
    # The gradebook gets the attempt that counts under the unit's settings (highest, last or first).
    score = UnitScore(counted.completion, counted.success, counted.score_scaled, counted.number, True)
    queue_score_for_result(
        session,
        registration_id=attempt.registration_id,
        user_id=user.id if user else attempt.user_pk,
        resource_link_id=link.id,
        unit_result=score,
        produced_at=utcnow(),
    )


def _attempts_of(session: Session, attempt: UnitAttempt) -> list[UnitAttempt]:
    # populate_existing: a commit earlier in the same group-commit batch may have stored a unit result at
    # the driver level (commit_rows) under a copy this session loaded before.
    return list(
        session.scalars(
            select(UnitAttempt)
            .where(
                UnitAttempt.registration_id == attempt.registration_id,
                UnitAttempt.user_pk == attempt.user_pk,
                UnitAttempt.resource_link_pk == attempt.resource_link_pk,
            )
            .execution_options(populate_existing=True)
        )
    )


@dataclass(frozen=True)
class LearnerUnitResult:
    user_id: int
    user_sub: str
    user_name: str
    resource_link_id: int
    unit_title: str
    attempts: int
    counted_attempt: int | None
    completion: str
    success: str
    score_scaled: float | None
    last_activity: datetime | None

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.__dict__,
            "last_activity": self.last_activity.isoformat() if self.last_activity else None,
        }


def unit_results_for_context(
    session: Session, *, registration_id: int, context_id: int
) -> list[LearnerUnitResult]:
    """Every learner's result on every activity of one course (context primary key), counted attempt first."""
    rows = session.execute(
        select(UnitAttempt, ResourceLink, User)
        .join(ResourceLink, ResourceLink.id == UnitAttempt.resource_link_pk)
        .join(User, User.id == UnitAttempt.user_pk)
        .where(
            UnitAttempt.registration_id == registration_id,
            ResourceLink.registration_id == registration_id,
            ResourceLink.context_pk == context_id,
        )
        .order_by(ResourceLink.id, User.id, UnitAttempt.number)
    ).all()
    grouped: dict[tuple[int, int], list[UnitAttempt]] = {}
    links: dict[int, ResourceLink] = {}
    users: dict[int, User] = {}
    for attempt, link, user in rows:
        grouped.setdefault((link.id, user.id), []).append(attempt)
        links[link.id], users[user.id] = link, user
    found = []
    for (link_id, user_id), attempts in grouped.items():
        link, user = links[link_id], users[user_id]
        counted = counted_attempt(attempts, settings_for(session, link).counted_attempt)
        assert counted is not None
        found.append(
            LearnerUnitResult(
                user_id=user.id,
                user_sub=user.sub,
                user_name=user.name,
                resource_link_id=link.id,
                unit_title=link.title,
                attempts=len(attempts),
                counted_attempt=counted.number,
                completion=counted.completion,
                success=counted.success,
                score_scaled=counted.score_scaled,
                last_activity=max(a.updated_at for a in attempts),
            )
        )
    return found
