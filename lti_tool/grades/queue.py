"""Writing scores to the outbox, inside the caller's transaction (never a commit, never network I/O here).

Per (learner, activity) there is one `GradeState` row. Every write path locks it first (SELECT … FOR UPDATE on
PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers), so two commits of the same learner stamp
their scores one after the other and the timestamps strictly increase.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lti_tool.catalogue.app_catalogue import unit_id_of_ref
from lti_tool.catalogue.observation import catalogue_unit_needs_observation
from lti_tool.db.models import ResourceLink, utcnow
from lti_tool.grades.models import (
    FAILED,
    QUEUED,
    SENDING,
    SENT,
    SUPERSEDED,
    GradeLink,
    GradeState,
    OutboxScore,
    UnitSignoff,
)
from lti_tool.grades.scores import ScoreToSend, Signoff, UnitScore, next_timestamp, score_to_send


def signoff_required(session: Session, registration_id: int, resource_link_pk: int) -> bool:
    """The activity's setting when an instructor set one, else the catalogue unit's `observation.required`
    (uploaded packages need no sign-off unless an instructor asks for it)."""
    setting = session.scalars(
        select(GradeLink.signoff_required).where(
            GradeLink.registration_id == registration_id, GradeLink.resource_link_pk == resource_link_pk
        )
    ).first()
    if setting is not None:
        return setting
    unit_ref = session.scalars(
        select(ResourceLink.unit_ref).where(
            ResourceLink.registration_id == registration_id, ResourceLink.id == resource_link_pk
        )
    ).first()
    unit_id = unit_id_of_ref(unit_ref or "")
    return catalogue_unit_needs_observation(unit_id) if unit_id else False


def active_signoff(session: Session, registration_id: int, user_pk: int, link_pk: int) -> UnitSignoff | None:
    return session.scalars(
        select(UnitSignoff)
        .where(
            UnitSignoff.registration_id == registration_id,
            UnitSignoff.user_pk == user_pk,
            UnitSignoff.resource_link_pk == link_pk,
            UnitSignoff.undone_at.is_(None),
        )
        .order_by(UnitSignoff.id.desc())
    ).first()


def _state_query(registration_id: int, user_pk: int, link_pk: int):  # type: ignore[no-untyped-def]
    return select(GradeState).where(
        GradeState.registration_id == registration_id,
        GradeState.user_pk == user_pk,
        GradeState.resource_link_pk == link_pk,
    )


def locked_state(session: Session, registration_id: int, user_pk: int, link_pk: int) -> GradeState:
    """The learner's state row for the activity, created if needed, locked for this transaction."""
    query = (
        _state_query(registration_id, user_pk, link_pk)
        .with_for_update()
        .execution_options(populate_existing=True)  # what the lock protects, not what was read before it
    )
    state = session.scalars(query).first()
    if state is not None:
        return state
    try:
        with session.begin_nested():  # the unique constraint decides when two first results race
            session.add(
                GradeState(registration_id=registration_id, user_pk=user_pk, resource_link_pk=link_pk)
            )
    except IntegrityError:
        pass
    return session.scalars(query).one()


def find_state(session: Session, registration_id: int, user_pk: int, link_pk: int) -> GradeState | None:
    return session.scalars(_state_query(registration_id, user_pk, link_pk)).first()


def _result_of(state: GradeState) -> UnitScore:
    return UnitScore(state.completion, state.success, state.score_scaled, state.attempt_number)


def current_score(session: Session, state: GradeState) -> ScoreToSend:
    signoff = active_signoff(session, state.registration_id, state.user_pk, state.resource_link_pk)
    return score_to_send(
        _result_of(state),
        signoff_required=signoff_required(session, state.registration_id, state.resource_link_pk),
        signoff=Signoff(signoff.assessor_name, signoff.observed_on) if signoff else None,
    )


def _platform_may_hold(session: Session, state: GradeState) -> datetime | None:
    """The newest timestamp the platform may already have: of rows sent, in flight, or tried at least once."""
    return session.scalar(
        select(func.max(OutboxScore.timestamp)).where(
            OutboxScore.registration_id == state.registration_id,
            OutboxScore.user_pk == state.user_pk,
            OutboxScore.resource_link_pk == state.resource_link_pk,
            or_(OutboxScore.status.in_((SENT, SENDING)), OutboxScore.attempts > 0),
        )
    )


def enqueue(
    session: Session, state: GradeState, score: ScoreToSend, produced_at: datetime, reason: str
) -> OutboxScore:
    """Add the score to the outbox; older undelivered scores of the same pair are superseded by it."""
    pair = (
        OutboxScore.registration_id == state.registration_id,
        OutboxScore.user_pk == state.user_pk,
        OutboxScore.resource_link_pk == state.resource_link_pk,
    )
    first_score = state.last_timestamp is None  # no outbox row of this pair exists yet
    stamped = next_timestamp(produced_at, None if first_score else _platform_may_hold(session, state))
    if state.last_timestamp is not None and stamped <= state.last_timestamp:
        # Strictly after the last queued score too, even one superseded before it left: order is never lost.
        stamped = state.last_timestamp + timedelta(milliseconds=1)
    row = OutboxScore(
        registration_id=state.registration_id,
        user_pk=state.user_pk,
        resource_link_pk=state.resource_link_pk,
        status=QUEUED,
        reason=reason,
        score_given=score.score_given,
        score_maximum=score.score_maximum,
        activity_progress=score.activity_progress,
        grading_progress=score.grading_progress,
        comment=score.comment,
        timestamp=stamped,
        produced_at=produced_at,
        next_attempt_at=produced_at,  # due at once
    )
    session.add(row)
    session.flush()
    if first_score:
        state.queued_key, state.last_timestamp = score.key, stamped
        return row
    # Outstanding failures of the pair are answered by this newer score; undelivered ones are replaced by it.
    session.execute(
        update(OutboxScore)
        .where(
            *pair, OutboxScore.id < row.id, OutboxScore.status == FAILED, OutboxScore.superseded_by.is_(None)
        )
        .values(superseded_by=row.id)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(OutboxScore)
        .where(*pair, OutboxScore.id < row.id, OutboxScore.status == QUEUED)
        .values(status=SUPERSEDED, superseded_by=row.id, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    state.queued_key = score.key
    state.last_timestamp = stamped
    return row


def queue_score_for_result(
    db: Session,
    *,
    registration_id: int,
    user_id: int,
    resource_link_id: int,
    unit_result: UnitScore,
    produced_at: datetime,
) -> bool:
    """Queue the AGS score for a unit's new result, in the caller's transaction. True when a score was
    queued; False when the counted result's score has not changed (send only on change) or the attempt
    does not count. `user_id` and `resource_link_id` are our primary keys (users.id, resource_links.id)."""
    if not unit_result.counted:
        return False
    if produced_at.tzinfo is None:
        produced_at = produced_at.replace(tzinfo=UTC)
    # Most commits do not change the result: one plain read answers them (the player calls on every commit).
    seen = find_state(db, registration_id, user_id, resource_link_id)
    if seen is not None and _same_result(seen, unit_result):
        return False
    state = locked_state(db, registration_id, user_id, resource_link_id)
    if _same_result(state, unit_result):  # another transaction recorded it while we waited for the lock
        return False
    state.completion = unit_result.completion
    state.success = unit_result.success
    state.score_scaled = unit_result.score_scaled
    state.attempt_number = unit_result.attempt_number
    state.result_at = produced_at
    score = current_score(db, state)
    if score.key == state.queued_key:
        return False
    enqueue(db, state, score, produced_at, "result")
    return True


def _same_result(state: GradeState, result: UnitScore) -> bool:
    return state.result_at is not None and (
        state.completion,
        state.success,
        state.score_scaled,
        state.attempt_number,
    ) == (result.completion, result.success, result.score_scaled, result.attempt_number)


def requeue_current(session: Session, state: GradeState, reason: str, *, force: bool = False) -> bool:
    """Queue the pair's score again after a sign-off, an undo or a re-send (force: even when unchanged)."""
    score = current_score(session, state)
    if not force and score.key == state.queued_key:
        return False
    enqueue(session, state, score, utcnow(), reason)
    return True
