"""Which items a learner may open outside SCORM 2004 sequencing: SCORM 1.2 ``adlcp:prerequisites``
against the lesson_status each SCO reached in this attempt (1.2 CAM 2.3.2.5; enforcement is the LMS's)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import object_session

from lti_tool.player.course import Course
from lti_tool.player.models import ScoState, UnitAttempt
from scorm.sequencing.prerequisites import prerequisites_met


def item_statuses(attempt: UnitAttempt) -> dict[str, str]:
    """Each delivered item's SCORM 1.2 lesson_status in this attempt."""
    session = object_session(attempt)
    if session is None:
        return {}
    rows = session.execute(
        select(ScoState.item_id, ScoState.state).where(ScoState.attempt_pk == attempt.id)
    ).all()
    return {
        item_id: (state or {}).get("values", {}).get("cmi.core.lesson_status", "not attempted")
        for item_id, state in rows
    }


def locked_items(course: Course, statuses: dict[str, str]) -> list[str]:
    if course.version != "1.2":
        return []  # SCORM 2004: scorm-again's sequencing engine decides in the browser
    known = set(course.items)
    return [
        entry.identifier
        for entry in course.toc
        if entry.launch
        and entry.prerequisites
        and not prerequisites_met(entry.prerequisites, statuses, known)
    ]
