"""Achievement facts read from the player's attempts and the grades' sign-offs (the only place that knows
those tables). A catalogue unit may sit in several courses of one LMS: the learner's best placement counts
(an achieved one first, then one with an e-learning result)."""

from __future__ import annotations

import uuid
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from lti_tool.catalogue import load_catalogue
from lti_tool.db.models import Context, ResourceLink, User
from lti_tool.grades.queue import active_signoff, signoff_required
from lti_tool.player.attempts import counted_attempt, settings_for
from lti_tool.player.models import UnitAttempt
from lti_tool.records.facts import AchievementFacts, ElearningResult, Learner, Signoff

CATALOGUE_PREFIX = "catalogue:"
ATTEMPT_NAMESPACE = uuid.UUID("8f7c1d52-6b1e-4d8e-9a51-2f1f4c6d7e90")  # ours: attempt → xAPI registration


@cache
def catalogue_units() -> tuple[dict, ...]:
    return tuple(load_catalogue())


def attempt_uuid(registration_id: int, attempt_pk: int) -> str:
    """A stable UUID for an attempt: its xAPI registration, the same on every export."""
    return str(uuid.uuid5(ATTEMPT_NAMESPACE, f"{registration_id}:{attempt_pk}"))


def learner_of(session: Session, registration_id: int, user_pk: int) -> Learner:
    user = session.get(User, user_pk)
    if user is None or user.registration_id != registration_id:
        raise LookupError(f"no learner {user_pk} in this LMS")
    return Learner(registration_id, user.id, user.sub, user.name, user.email)


def _elearning(registration_id: int, attempt: UnitAttempt | None) -> ElearningResult | None:
    if attempt is None:
        return None
    score = None if attempt.score_scaled is None else round(attempt.score_scaled * 100, 2)
    return ElearningResult(
        passed=attempt.success == "passed",
        completed_at=attempt.updated_at,
        score_percent=score,
        attempt_number=attempt.number,
        attempt_uuid=attempt_uuid(registration_id, attempt.id),
    )


def _facts_on_link(session: Session, unit: dict, learner: Learner, link: ResourceLink) -> AchievementFacts:
    attempts = list(
        session.scalars(
            select(UnitAttempt).where(
                UnitAttempt.registration_id == learner.registration_id,
                UnitAttempt.user_pk == learner.user_pk,
                UnitAttempt.resource_link_pk == link.id,
            )
        )
    )
    counted = counted_attempt(attempts, settings_for(session, link).counted_attempt) if attempts else None
    signoff_row = active_signoff(session, learner.registration_id, learner.user_pk, link.id)
    signoff = (
        Signoff(
            signoff_row.observed_on, signoff_row.assessor_name, signoff_row.evidence, signoff_row.signed_at
        )
        if signoff_row
        else None
    )
    context = session.get(Context, link.context_pk) if link.context_pk else None
    return AchievementFacts(
        unit=unit,
        learner=learner,
        elearning=_elearning(learner.registration_id, counted),
        signoff=signoff,
        observation_required=signoff_required(session, learner.registration_id, link.id),
        course_title=context.title if context else "",
    )


def achievement_facts(session: Session, registration_id: int, user_pk: int) -> list[AchievementFacts]:
    """One AchievementFacts per catalogue unit, in unit order, achieved or not."""
    learner = learner_of(session, registration_id, user_pk)
    links = list(
        session.scalars(
            select(ResourceLink).where(
                ResourceLink.registration_id == registration_id,
                ResourceLink.unit_ref.like(f"{CATALOGUE_PREFIX}%"),
            )
        )
    )
    found = []
    for unit in catalogue_units():
        candidates = [
            _facts_on_link(session, unit, learner, link)
            for link in links
            if link.unit_ref == f"{CATALOGUE_PREFIX}{unit['id']}"
        ]
        candidates.sort(key=lambda f: (f.achieved, f.elearning is not None), reverse=True)
        required = bool((unit.get("observation") or {}).get("required"))
        found.append(candidates[0] if candidates else AchievementFacts(unit, learner, None, None, required))
    return found


def learners_of_course(session: Session, registration_id: int, context_pk: int | None) -> list[int]:
    """Users with an attempt on a catalogue unit (in one course, or anywhere in the LMS when None)."""
    query = (
        select(UnitAttempt.user_pk)
        .join(ResourceLink, ResourceLink.id == UnitAttempt.resource_link_pk)
        .where(UnitAttempt.registration_id == registration_id)
        .distinct()
    )
    if context_pk is not None:
        query = query.where(ResourceLink.context_pk == context_pk)
    return sorted(session.scalars(query))
