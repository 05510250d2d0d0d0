"""record_commit: one browser commit, checked and stored in the caller's transaction.

The browser is untrusted. A commit names its attempt, SCO and delivery in the URL and carries scorm-again's
``commitSequence``; the launch behind the request must own the attempt, the delivery must be the SCO's
current one (an older tab is stale), the sequence must move forward (a repeat of the last one with the same
body is answered again without storing; anything else older is refused), and every value goes through
``scorm.runtime``'s data model again. Only then is the SCO's state stored and the unit result recomputed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any, NamedTuple, Protocol

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session

from lti_tool.db.models import utcnow
from lti_tool.json_text import load_json
from lti_tool.player.course import Course
from lti_tool.player.models import ScoState, UnitAttempt
from lti_tool.player.results import ScoFacts, update_unit_result
from lti_tool.records.issuer import Issuer
from scorm.runtime.commit import validate_commit

MAX_SEQUENCE = 2**31 - 1


# A NamedTuple, not a frozen dataclass: built on every commit, and a frozen dataclass sets each field through
# object.__setattr__ (about seven times the cost of a tuple).
class CommitOutcome(NamedTuple):
    status: int  # HTTP status for the answer
    accepted: bool
    code: str  # "COMMIT-STORED", "COMMIT-REPLAYED" or the refusal's stable code
    message: str = ""
    refusals: Sequence[dict[str, str]] = ()
    unit: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        # scorm-again reads {"result": bool, "errorCode": int}; the rest is for people and our player.
        answer: dict[str, Any] = {
            "result": self.accepted,
            "errorCode": 0 if self.accepted else 101,
            "code": self.code,
        }
        if self.message:
            answer["message"] = self.message
        if self.refusals:
            answer["refusals"] = self.refusals
        if self.unit is not None:
            answer["unit"] = self.unit
        return answer


def refuse(
    status: int, code: str, message: str, refusals: list[dict[str, str]] | None = None
) -> CommitOutcome:
    return CommitOutcome(status, False, code, message, refusals or [])


def parse_body(body: bytes) -> tuple[dict[str, Any] | None, int | None, CommitOutcome | None]:
    """The commit object and its sequence number, or a refusal."""
    try:
        committed = load_json(body)
    except (UnicodeDecodeError, ValueError):
        return None, None, refuse(400, "COMMIT-NOT-JSON", "The commit is not JSON.")
    if not isinstance(committed, dict):
        return None, None, refuse(400, "COMMIT-NOT-JSON", "The commit must be a JSON object.")
    sequence = committed.get("commitSequence")
    if isinstance(sequence, bool) or not isinstance(sequence, int) or not 1 <= sequence <= MAX_SEQUENCE:
        return None, None, refuse(400, "COMMIT-NO-SEQUENCE", "The commit has no valid commitSequence.")
    return committed, sequence, None


# The commit path reads and writes the state row with Core statements built once, not the ORM: a commit is
# on every slide, and building statements and loading, tracking and flushing an ORM object cost more than the
# commit's own checks.
# FOR UPDATE on PostgreSQL: two commits of one SCO queue here; SQLite's BEGIN IMMEDIATE already does.
_LOCKED_STATE = (
    select(
        ScoState.id,
        ScoState.state,
        ScoState.delivery,
        ScoState.last_sequence,
        ScoState.last_body_hash,
        ScoState.session_count,
    )
    .where(ScoState.attempt_pk == bindparam("attempt_pk"), ScoState.item_id == bindparam("item_id"))
    .with_for_update()
)
_states = ScoState.__table__
_STORE_STATE = (
    _states.update()
    .where(_states.c.id == bindparam("state_pk"))
    .values(
        state=bindparam("new_state", type_=_states.c.state.type),
        result=bindparam("new_result", type_=_states.c.result.type),
        last_sequence=bindparam("new_sequence"),
        last_body_hash=bindparam("new_body_hash"),
        ended=bindparam("new_ended"),
        suspended=bindparam("new_suspended"),
        updated_at=bindparam("new_updated_at", type_=_states.c.updated_at.type),
    )
)


def _locked_state(session: Session, attempt: UnitAttempt, item_id: str) -> Row | None:
    found = session.connection().execute(_LOCKED_STATE, {"attempt_pk": attempt.id, "item_id": item_id})
    return found.one_or_none()


class LaunchFacts(Protocol):
    registration_id: int
    user_pk: int
    resource_link_pk: int | None


class AttemptOwner(Protocol):
    registration_id: int
    user_pk: int
    resource_link_pk: int | None


def owns(launch: LaunchFacts, attempt: AttemptOwner) -> bool:
    """Whether the attempt is this launch's learner's attempt at this launch's activity."""
    return (
        attempt.registration_id == launch.registration_id
        and attempt.user_pk == launch.user_pk
        and attempt.resource_link_pk == launch.resource_link_pk
    )


def find_own_attempt(session: Session, launch: LaunchFacts, attempt_id: int) -> UnitAttempt | None:
    """The attempt, if it is this launch's learner's attempt at this launch's activity; else None."""
    # populate_existing: within a group-commit batch an earlier commit may have updated the row at the
    # driver level (commit_rows), under a copy this session loaded before.
    attempt = session.get(UnitAttempt, attempt_id, populate_existing=True)
    return attempt if attempt is not None and owns(launch, attempt) else None


class StateFacts(Protocol):
    """The commit bookkeeping of a stored SCO state (a locked row, or commit_rows.StoredRows)."""

    state: dict[str, Any] | None
    delivery: int
    last_sequence: int
    last_body_hash: str
    session_count: int


def _sequence_refusal(
    state: StateFacts, delivery: int, sequence: int, body_hash: str
) -> CommitOutcome | None:
    if delivery != state.delivery:
        return refuse(409, "COMMIT-STALE", "This page is out of date: the unit was opened again elsewhere.")
    if sequence == state.last_sequence:
        if body_hash == state.last_body_hash:
            return CommitOutcome(200, True, "COMMIT-REPLAYED", "This commit was already stored.")
        return refuse(409, "COMMIT-SEQUENCE-REPEATED", "This commit number was already used for other data.")
    if sequence < state.last_sequence:
        return refuse(409, "COMMIT-OUT-OF-ORDER", "A newer commit has already been stored.")
    return None


class AcceptedCommit(NamedTuple):  # a NamedTuple as CommitOutcome
    """A commit that passed every check against one stored state: what to store in its place."""

    state: dict[str, Any]
    sequence: int
    body_hash: str
    facts: ScoFacts


def check_commit(
    state: StateFacts | None, course: Course, *, item_id: str, delivery: int, body: bytes, terminate: bool
) -> CommitOutcome | AcceptedCommit:
    """Check one commit against the SCO's stored `state` (None: never delivered): a refusal or replay
    answer, or what to store."""
    committed, sequence, refusal = parse_body(body)
    if refusal is not None:
        return refusal
    assert committed is not None and sequence is not None
    if state is None or state.state is None:
        return refuse(409, "COMMIT-NOT-DELIVERED", "This part of the unit was not opened in this attempt.")
    body_hash = hashlib.sha256(body).hexdigest()
    refusal = _sequence_refusal(state, delivery, sequence, body_hash)
    if refusal is not None:
        return refusal
    checked = validate_commit(course.version, state.state, committed, terminate=terminate)
    if not checked.accepted:
        refusals = [r.to_dict() for r in checked.refusals]
        first = checked.refusals[0]
        message = f"{first.element or 'The commit'} was refused: {first.reason}"
        return refuse(422, "COMMIT-VALUE-REFUSED", message, refusals)
    assert checked.state is not None and checked.result is not None
    facts = ScoFacts(
        item_id=item_id,
        result=checked.result.to_dict(),
        ended=terminate,
        suspended=_suspends(course.version, checked.state.get("values", {})),
        session_count=state.session_count,
    )
    return AcceptedCommit(checked.state, sequence, body_hash, facts)


def _suspends(version: str, values: dict[str, Any]) -> bool:
    """Whether the SCO left suspended: cmi.exit "suspend", or (2004) a suspendAll navigation request,
    which suspends the whole activity tree whatever cmi.exit says (SCORM 2004 SN, suspendAll)."""
    if version == "1.2":
        return values.get("cmi.core.exit") == "suspend"
    return values.get("cmi.exit") == "suspend" or values.get("adl.nav.request") == "suspendAll"


def record_commit(
    session: Session,
    attempt: UnitAttempt,
    course: Course,
    *,
    item_id: str,
    delivery: int,
    body: bytes,
    terminate: bool,
    xapi_issuer: Issuer | None = None,
) -> CommitOutcome:
    """Check and store one commit of `attempt` (already checked to be the launch's own, see
    find_own_attempt) with the SCO's state row locked; the caller commits the transaction, or rolls back
    on a refusal. The locked path: for multi-SCO units, and when a prepared commit (commit_plan) missed.
    `xapi_issuer`: queue the xAPI statements of a moved result (an LRS is configured)."""
    state = _locked_state(session, attempt, item_id)
    checked = check_commit(state, course, item_id=item_id, delivery=delivery, body=body, terminate=terminate)
    if isinstance(checked, CommitOutcome):
        return checked
    assert state is not None
    session.connection().execute(
        _STORE_STATE,
        {
            "state_pk": state.id,
            "new_state": checked.state,
            "new_result": checked.facts.result,
            "new_sequence": checked.sequence,
            "new_body_hash": checked.body_hash,
            "new_ended": checked.facts.ended,
            "new_suspended": checked.facts.suspended,
            "new_updated_at": utcnow(),
        },
    )
    unit = update_unit_result(session, attempt, course, checked.facts, xapi_issuer)
    return CommitOutcome(200, True, "COMMIT-STORED", unit=unit)
