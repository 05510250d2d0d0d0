"""Writing scores to the outbox, inside the caller's transaction (never a commit, never network I/O here).

Per (learner, activity) there is one `GradeState` row. Every write path locks it first (SELECT … FOR UPDATE on
PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers), so two commits of the same learner stamp
their scores one after the other and the timestamps strictly increase.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta

from sqlalchemy import Row, and_, bindparam, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
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
    required, _ = signoff_facts(session, registration_id, None, resource_link_pk)
    return required


SIGNOFF = UnitSignoff.__table__
GRADE_LINK = GradeLink.__table__


def _active_signoff_column(column):  # type: ignore[no-untyped-def]
    return (
        select(column)
        .where(
            SIGNOFF.c.registration_id == bindparam("registration_id"),
            SIGNOFF.c.user_pk == bindparam("user_pk"),
            SIGNOFF.c.resource_link_pk == bindparam("link_pk"),
            SIGNOFF.c.undone_at.is_(None),
        )
        .order_by(SIGNOFF.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )


# One read for what the score depends on besides the result: the activity's sign-off setting, its unit,
# and the learner's active sign-off (built once: building it costs as much as running it).
SIGNOFF_FACTS = (
    select(
        GRADE_LINK.c.signoff_required,
        ResourceLink.__table__.c.unit_ref,
        _active_signoff_column(SIGNOFF.c.assessor_name).label("assessor_name"),
        _active_signoff_column(SIGNOFF.c.observed_on).label("observed_on"),
    )
    .select_from(
        ResourceLink.__table__.outerjoin(
            GRADE_LINK,
            and_(
                GRADE_LINK.c.resource_link_pk == ResourceLink.__table__.c.id,
                GRADE_LINK.c.registration_id == ResourceLink.__table__.c.registration_id,
            ),
        )
    )
    .where(
        ResourceLink.__table__.c.registration_id == bindparam("registration_id"),
        ResourceLink.__table__.c.id == bindparam("link_pk"),
    )
)


def signoff_facts(
    session: Session, registration_id: int, user_pk: int | None, link_pk: int
) -> tuple[bool, Signoff | None]:
    """(sign-off required, the learner's active sign-off) for an activity; user_pk None: no learner."""
    row = (
        session.connection()
        .execute(
            SIGNOFF_FACTS,
            {"registration_id": registration_id, "user_pk": user_pk or 0, "link_pk": link_pk},
        )
        .first()
    )
    if row is None:
        return False, None
    if row.signoff_required is not None:
        required = bool(row.signoff_required)
    else:
        unit_id = unit_id_of_ref(row.unit_ref or "")
        required = catalogue_unit_needs_observation(unit_id) if unit_id else False
    signoff = Signoff(row.assessor_name, row.observed_on) if row.observed_on is not None else None
    return required, signoff


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


def _result_of(state: PairState | GradeState) -> UnitScore:
    return UnitScore(state.completion, state.success, state.score_scaled, state.attempt_number)


def current_score(session: Session, state: PairState | GradeState) -> ScoreToSend:
    required, signoff = signoff_facts(session, state.registration_id, state.user_pk, state.resource_link_pk)
    return score_to_send(_result_of(state), signoff_required=required, signoff=signoff)


OUTBOX = OutboxScore.__table__
STATE = GradeState.__table__
_PAIR = (
    OUTBOX.c.registration_id == bindparam("pair_registration_id"),
    OUTBOX.c.user_pk == bindparam("pair_user_pk"),
    OUTBOX.c.resource_link_pk == bindparam("link_pk"),
)
# The newest timestamp the platform may already have: of rows sent, in flight, or tried at least once.
PLATFORM_MAY_HOLD = select(func.max(OUTBOX.c.timestamp)).where(
    *_PAIR, or_(OUTBOX.c.status.in_((SENT, SENDING)), OUTBOX.c.attempts > 0)
)
# Outstanding failures of the pair are answered by a newer score; undelivered ones are replaced by it.
ANSWER_FAILURES = (
    update(OUTBOX)
    .where(
        *_PAIR,
        OUTBOX.c.id < bindparam("new_id"),
        OUTBOX.c.status == FAILED,
        OUTBOX.c.superseded_by.is_(None),
    )
    .values(superseded_by=bindparam("new_id"))
)
SUPERSEDE_QUEUED = (
    update(OUTBOX)
    .where(*_PAIR, OUTBOX.c.id < bindparam("new_id"), OUTBOX.c.status == QUEUED)
    .values(status=SUPERSEDED, superseded_by=bindparam("new_id"), updated_at=bindparam("now"))
)
INSERT_SCORE = insert(OUTBOX)


def _pair_params(state: PairState | GradeState) -> dict:
    return {
        "pair_registration_id": state.registration_id,
        "pair_user_pk": state.user_pk,
        "link_pk": state.resource_link_pk,
    }


def enqueue(
    session: Session, state: PairState | GradeState, score: ScoreToSend, produced_at: datetime, reason: str
) -> int:
    """Add the score to the outbox (answering its id); older undelivered scores of the same pair are
    superseded by it. Sets the state's queued_key and last_timestamp, which the caller saves."""
    connection = session.connection()
    pair = _pair_params(state)
    first_score = state.last_timestamp is None  # no outbox row of this pair exists yet
    held = None if first_score else connection.execute(PLATFORM_MAY_HOLD, pair).scalar()
    stamped = next_timestamp(produced_at, held)
    if state.last_timestamp is not None and stamped <= state.last_timestamp:
        # Strictly after the last queued score too, even one superseded before it left: order is never lost.
        stamped = state.last_timestamp + timedelta(milliseconds=1)
    now = utcnow()
    new_id = connection.execute(
        INSERT_SCORE,
        {
            "registration_id": state.registration_id,
            "user_pk": state.user_pk,
            "resource_link_pk": state.resource_link_pk,
            "status": QUEUED,
            "reason": reason,
            "score_given": score.score_given,
            "score_maximum": score.score_maximum,
            "activity_progress": score.activity_progress,
            "grading_progress": score.grading_progress,
            "comment": score.comment,
            "timestamp": stamped,
            "produced_at": produced_at,
            "next_attempt_at": produced_at,  # due at once
            "created_at": now,
            "updated_at": now,
        },
    ).inserted_primary_key[0]
    if not first_score:
        connection.execute(ANSWER_FAILURES, {**pair, "new_id": new_id})
        connection.execute(SUPERSEDE_QUEUED, {**pair, "new_id": new_id, "now": now})
    state.queued_key, state.last_timestamp = score.key, stamped
    return new_id


@dataclass
class PairState:
    """The columns of a GradeState row that queueing reads and writes, without the ORM object."""

    id: int
    registration_id: int
    user_pk: int
    resource_link_pk: int
    completion: str = "not attempted"
    success: str = "unknown"
    score_scaled: float | None = None
    attempt_number: int = 0
    result_at: datetime | None = None
    queued_key: str = ""
    last_timestamp: datetime | None = None


_STATE_COLUMNS = [getattr(STATE.c, name.name) for name in fields(PairState)]
_STATE_OF_PAIR = (
    STATE.c.registration_id == bindparam("registration_id"),
    STATE.c.user_pk == bindparam("user_pk"),
    STATE.c.resource_link_pk == bindparam("link_pk"),
)
READ_STATE = select(*_STATE_COLUMNS).where(*_STATE_OF_PAIR)
LOCK_STATE = READ_STATE.with_for_update()
SAVE_STATE = (
    update(STATE)
    .where(STATE.c.id == bindparam("state_id"))
    .values(
        {
            name: bindparam(f"new_{name}")
            for name in (
                "completion",
                "success",
                "score_scaled",
                "attempt_number",
                "result_at",
                "queued_key",
                "last_timestamp",
            )
        }
    )
)


def _insert_state_unless_present(make_insert):  # type: ignore[no-untyped-def]
    return (
        make_insert(STATE)
        .values(
            registration_id=bindparam("state_registration_id"),
            user_pk=bindparam("state_user_pk"),
            resource_link_pk=bindparam("link_pk"),
        )
        .on_conflict_do_nothing(index_elements=["registration_id", "user_pk", "resource_link_pk"])
        .returning(STATE.c.id)
    )


CREATE_STATE = {
    "postgresql": _insert_state_unless_present(postgresql_insert),
    "sqlite": _insert_state_unless_present(sqlite_insert),
}


def _create_state(session: Session, pair: dict) -> int | None:
    """Insert the pair's state row unless one exists; its id when this transaction created it (and so
    holds it: a concurrent first result waits on the unique key until we commit)."""
    connection = session.connection()
    params = {
        "state_registration_id": pair["registration_id"],
        "state_user_pk": pair["user_pk"],
        "link_pk": pair["link_pk"],
    }
    return connection.execute(CREATE_STATE[connection.dialect.name], params).scalar()


def _locked_pair_state(session: Session, pair: dict, seen: Row | None) -> PairState:
    """The pair's state, locked for this transaction (SELECT … FOR UPDATE on PostgreSQL; SQLite's
    BEGIN IMMEDIATE already serialises writers), created if needed."""
    if seen is None:
        created = _create_state(session, pair)
        if created is not None:
            return PairState(created, pair["registration_id"], pair["user_pk"], pair["link_pk"])
    row = session.connection().execute(LOCK_STATE, pair).one()
    return PairState(*row)


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
    db.flush()  # the statements below go to the connection: pending ORM changes first
    pair = {"registration_id": registration_id, "user_pk": user_id, "link_pk": resource_link_id}
    # Most commits do not change the result: one plain read answers them (the player calls on every commit).
    seen = db.connection().execute(READ_STATE, pair).first()
    if seen is not None and _same_result(PairState(*seen), unit_result):
        return False
    state = _locked_pair_state(db, pair, seen)
    if _same_result(state, unit_result):  # another transaction recorded it while we waited for the lock
        return False
    state.completion = unit_result.completion
    state.success = unit_result.success
    state.score_scaled = unit_result.score_scaled
    state.attempt_number = unit_result.attempt_number
    state.result_at = produced_at
    score = current_score(db, state)
    changed = score.key != state.queued_key
    if changed:
        enqueue(db, state, score, produced_at, "result")
    db.connection().execute(SAVE_STATE, _saved(state))
    loaded = db.identity_map.get(db.identity_key(GradeState, state.id))
    if loaded is not None:  # an ORM copy in this session would hide what we just wrote
        db.expire(loaded)
    return changed


def _saved(state: PairState) -> dict:
    return {"state_id": state.id, **{f"new_{f.name}": getattr(state, f.name) for f in fields(PairState)[4:]}}


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
