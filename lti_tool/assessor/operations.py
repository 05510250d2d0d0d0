"""The assessor's write paths: sign off a unit, undo a sign-off, re-send grades. Each writes the audit trail
and queues the new score in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from lti_tool.db.models import ResourceLink, User, utcnow
from lti_tool.grades.models import FAILED, AuditEntry, OutboxScore, UnitSignoff
from lti_tool.grades.queue import active_signoff, find_state, locked_state, requeue_current

EVIDENCE_LIMIT = 4000


class AssessorError(ValueError):
    """A request the assessor can correct; the message says how."""


@dataclass(frozen=True)
class Actor:
    registration_id: int
    context_pk: int
    user_pk: int
    name: str
    role: str


def audit(
    session: Session, actor: Actor, action: str, learner_pk: int | None, link_pk: int | None, **detail
) -> None:  # type: ignore[no-untyped-def]
    session.add(
        AuditEntry(
            registration_id=actor.registration_id,
            context_pk=actor.context_pk,
            actor_pk=actor.user_pk,
            actor_name=actor.name,
            action=action,
            learner_pk=learner_pk,
            resource_link_pk=link_pk,
            detail={key: value for key, value in detail.items() if value is not None},
        )
    )


def course_link(session: Session, actor: Actor, link_pk: int) -> ResourceLink:
    link = session.get(ResourceLink, link_pk)
    if link is None or link.registration_id != actor.registration_id or link.context_pk != actor.context_pk:
        raise AssessorError("That unit is not an activity of this course.")
    return link


def course_learner(session: Session, actor: Actor, learner_pk: int) -> User:
    user = session.get(User, learner_pk)
    if user is None or user.registration_id != actor.registration_id:
        raise AssessorError("That learner is not known in this LMS.")
    return user


def sign_off(
    session: Session, actor: Actor, *, learner_pk: int, link_pk: int, observed_on: date, evidence: str
) -> UnitSignoff:
    """Record that the assessor observed the learner and signs the unit off; the grade becomes FullyGraded."""
    course_link(session, actor, link_pk)
    course_learner(session, actor, learner_pk)
    if observed_on > utcnow().date():
        raise AssessorError("The observation date cannot be in the future.")
    evidence = evidence.strip()
    if not evidence:
        raise AssessorError("Write what you observed (the evidence) before signing off.")
    if len(evidence) > EVIDENCE_LIMIT:
        raise AssessorError(f"Keep the evidence notes under {EVIDENCE_LIMIT} characters.")
    state = locked_state(session, actor.registration_id, learner_pk, link_pk)  # serialises sign-offs too
    if active_signoff(session, actor.registration_id, learner_pk, link_pk) is not None:
        raise AssessorError("This unit is already signed off for this learner.")
    signoff = UnitSignoff(
        registration_id=actor.registration_id,
        user_pk=learner_pk,
        resource_link_pk=link_pk,
        observed_on=observed_on,
        evidence=evidence,
        assessor_pk=actor.user_pk,
        assessor_name=actor.name,
    )
    session.add(signoff)
    session.flush()
    audit(
        session,
        actor,
        "sign-off",
        learner_pk,
        link_pk,
        observed_on=observed_on.isoformat(),
        evidence=evidence,
    )
    if state.result_at is not None:  # a learner with no result yet gets the score with their first result
        requeue_current(session, state, "signoff")
    return signoff


def undo_sign_off(session: Session, actor: Actor, *, signoff_id: int, reason: str) -> UnitSignoff:
    signoff = session.get(UnitSignoff, signoff_id)
    if signoff is None or signoff.registration_id != actor.registration_id or signoff.undone_at is not None:
        raise AssessorError("There is no current sign-off to undo.")
    course_link(session, actor, signoff.resource_link_pk)
    reason = reason.strip()[:EVIDENCE_LIMIT]
    if not reason:
        raise AssessorError("Say why the sign-off is being undone.")
    state = locked_state(session, actor.registration_id, signoff.user_pk, signoff.resource_link_pk)
    signoff.undone_at, signoff.undone_by_name, signoff.undo_reason = utcnow(), actor.name, reason
    session.flush()
    audit(
        session,
        actor,
        "undo-sign-off",
        signoff.user_pk,
        signoff.resource_link_pk,
        signoff_id=signoff.id,
        reason=reason,
    )
    if state.result_at is not None:
        requeue_current(session, state, "undo")
    return signoff


def _open_failures(session: Session, actor: Actor, row_id: int | None = None) -> list[OutboxScore]:
    query = (
        select(OutboxScore)
        .join(ResourceLink, ResourceLink.id == OutboxScore.resource_link_pk)
        .where(
            OutboxScore.registration_id == actor.registration_id,
            ResourceLink.context_pk == actor.context_pk,
            OutboxScore.status == FAILED,
            OutboxScore.superseded_by.is_(None),
        )
    )
    if row_id is not None:
        query = query.where(OutboxScore.id == row_id)
    return list(session.scalars(query))


def resend(session: Session, actor: Actor, row_id: int | None = None) -> int:
    """Queue the current score again for one failed sync (row_id) or every open failure of the course.
    The current score, not the failed row's: a result may have changed since."""
    failures = _open_failures(session, actor, row_id)
    if row_id is not None and not failures:
        raise AssessorError("That grade sync is not an open failure of this course.")
    pairs = sorted({(row.user_pk, row.resource_link_pk) for row in failures})
    for learner_pk, link_pk in pairs:
        if find_state(session, actor.registration_id, learner_pk, link_pk) is None:
            continue
        state = locked_state(session, actor.registration_id, learner_pk, link_pk)
        requeue_current(session, state, "resend", force=True)
    audit(
        session, actor, "resend" if row_id else "resend-all-failed", None, None, rows=[r.id for r in failures]
    )
    return len(pairs)


SIGNOFF_SETTINGS = {"default": None, "required": True, "not-required": False}


def set_signoff_setting(session: Session, actor: Actor, *, link_pk: int, setting: str) -> int:
    """Instructors decide whether a unit needs an assessor's sign-off ("default": the catalogue unit's
    observation setting). Learners' grades follow at once: the scores that change are queued."""
    from lti_tool.grades.lineitems import grade_link
    from lti_tool.grades.models import GradeState

    if actor.role not in ("instructor", "administrator"):
        raise AssessorError("Only instructors can change whether a unit needs a sign-off.")
    if setting not in SIGNOFF_SETTINGS:
        raise AssessorError("Choose required, not required or the unit's default.")
    course_link(session, actor, link_pk)
    grade_link(session, actor.registration_id, link_pk).signoff_required = SIGNOFF_SETTINGS[setting]
    session.flush()
    audit(session, actor, "signoff-setting", None, link_pk, setting=setting)
    learners = session.scalars(
        select(GradeState.user_pk).where(
            GradeState.registration_id == actor.registration_id,
            GradeState.resource_link_pk == link_pk,
            GradeState.result_at.is_not(None),
        )
    ).all()
    changed = 0
    for learner_pk in learners:
        state = locked_state(session, actor.registration_id, learner_pk, link_pk)
        changed += requeue_current(session, state, "setting")
    return changed
