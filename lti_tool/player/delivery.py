"""Delivering a SCO: the run-time state its session starts from, stored before the browser seeds
scorm-again with it (``loadFromJSON``), so the browser's commits agree with the server record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lti_tool.db.models import User, utcnow
from lti_tool.player.course import Course
from lti_tool.player.models import ScoState, UnitAttempt
from scorm.manifest.model import Item
from scorm.runtime import Attempt, SessionState, launch_seed
from scorm.runtime.session_end import end_session


@dataclass(frozen=True)
class Delivery:
    item_id: str
    delivery: int  # the number a commit must carry for this SCO session
    seed: dict[str, Any]  # for scorm-again's loadFromJSON
    entry: str


def _number_text(value: float | None) -> str | None:
    if value is None:
        return None
    return format(value, "g")


def item_seed(course: Course, item: Item, user: User, review: bool) -> dict[str, Any]:
    """What the LMS puts in the data model before a first session (RTE 4.2 / 1.2 RTE 3.4)."""
    sequencing = item.sequencing
    primary = next((o for o in sequencing.objectives if o.is_primary), None) if sequencing else None
    objective_ids = (
        tuple(o.objective_id for o in sequencing.objectives if o.objective_id) if sequencing else ()
    )
    threshold = item.completion_threshold
    name = user.name or " ".join(p for p in (user.given_name, user.family_name) if p) or user.sub
    common: dict[str, Any] = {
        "learner_id": user.sub,
        "learner_name": name[:255],
        "credit": not review,
        "mode": "review" if review else "normal",
        "launch_data": item.data_from_lms,
        "time_limit_action": item.time_limit_action,
    }
    if course.version == "1.2":
        return launch_seed(
            "1.2",
            **common,
            mastery_score=_number_text(item.mastery_score),
            max_time_allowed=item.max_time_allowed,
        )
    return launch_seed(
        "2004",
        **common,
        scaled_passing_score=(
            _number_text(primary.min_normalized_measure) if primary and primary.satisfied_by_measure else None
        ),
        completion_threshold=(
            _number_text(threshold.min_progress_measure)
            if threshold and threshold.completed_by_measure
            else None
        ),
        objective_ids=objective_ids,
    )


def sco_state(session: Session, attempt: UnitAttempt, item_id: str) -> ScoState | None:
    return session.scalars(
        select(ScoState).where(ScoState.attempt_pk == attempt.id, ScoState.item_id == item_id)
    ).one_or_none()


def _next_session(stored: dict[str, Any]) -> Attempt:
    previous = Attempt.from_json(stored)
    if previous.state is SessionState.NOT_INITIALIZED:
        return previous  # delivered before but never committed: the same first session
    if previous.state is SessionState.RUNNING:
        end_session(previous.model)  # the page closed without Terminate: the session ended there
    return previous.next_session()


def deliver_item(
    session: Session, attempt: UnitAttempt, course: Course, item_id: str, user: User, review: bool
) -> Delivery:
    """Prepare the item's next session and record that it is the one whose commits count."""
    item = course.items[item_id]
    state = sco_state(session, attempt, item_id)
    if state is None:
        runtime = Attempt.new(course.version, item_seed(course, item, user, review))
        state = ScoState(
            registration_id=attempt.registration_id,
            attempt_pk=attempt.id,
            item_id=item_id,
            session_count=0,
            ended=False,
            suspended=False,
        )
        session.add(state)
    else:
        runtime = _next_session(state.state)
    attempt.deliveries += 1
    attempt.current_item = item_id
    attempt.updated_at = utcnow()
    if not review:
        state.state = runtime.to_json()
        state.delivery = attempt.deliveries
        state.last_sequence = 0
        state.last_body_hash = ""
        state.session_count += 1
        state.updated_at = utcnow()
    session.flush()
    entry = runtime.model.values.get("cmi.core.entry" if course.version == "1.2" else "cmi.entry", "")
    seed = runtime.browser_seed()
    if review:
        _mark_review(seed, course.version)
    return Delivery(item_id, attempt.deliveries, seed, entry)


def _mark_review(seed: dict[str, Any], version: str) -> None:
    """A finished attempt opened again is shown in review mode, without credit (RTE 4.2.4, 4.2.14)."""
    cmi = seed.setdefault("cmi", {})
    if version == "1.2":
        core = cmi.setdefault("core", {})
        core["lesson_mode"], core["credit"] = "review", "no-credit"
    else:
        cmi["mode"], cmi["credit"] = "review", "no-credit"
