"""xAPI 1.0.3 statements for an attempt's significant events, in the vocabulary of the ADL SCORM profile and
cmi5: initialized, completed, passed or failed, scored, terminated. The unit is the activity; the attempt is
the registration (a UUID stable across exports). Pure functions: the same attempt gives the same statements,
with ids derived from the event, so re-queuing or re-sending one never duplicates it in the LRS.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

ADL = "http://adlnet.gov/expapi/verbs/"
VERBS = {
    "initialized": ADL + "initialized",
    "completed": ADL + "completed",
    "passed": ADL + "passed",
    "failed": ADL + "failed",
    "scored": ADL + "scored",
    "terminated": ADL + "terminated",
}
SCORM_PROFILE = "https://w3id.org/xapi/scorm"  # ADL's xAPI profile for SCORM content
CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
CMI5_MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon"  # cmi5 §9.6.2: statements that decide
CMI5_SESSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
LESSON = "http://adlnet.gov/expapi/activities/lesson"  # the SCORM profile's type for a SCO-level activity
COURSE = "http://adlnet.gov/expapi/activities/course"
STATEMENT_NAMESPACE = uuid.UUID("3c0e8d6a-9c55-4a0c-b7f1-7b4c1e2f9a10")  # ours: event → statement id


@dataclass(frozen=True)
class AttemptEvents:
    """What one attempt did, as the player stored it."""

    registration_id: int
    attempt_pk: int
    attempt_uuid: str
    lms_issuer: str  # the LMS, as the actor account's home page
    learner_sub: str
    learner_name: str
    activity_id: str
    activity_name: str
    started_at: datetime
    updated_at: datetime
    completion: str  # completed | incomplete | not attempted | unknown
    success: str  # passed | failed | unknown
    score_scaled: float | None
    total_time_seconds: float
    terminated: bool
    course_id: str = ""
    course_name: str = ""


def statement_id(events: AttemptEvents, verb: str, detail: str = "") -> str:
    key = f"{events.registration_id}:{events.attempt_pk}:{verb}:{detail}"
    return str(uuid.uuid5(STATEMENT_NAMESPACE, key))


def _timestamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _duration(seconds: float) -> str:
    return f"PT{max(seconds, 0.0):.2f}S"  # ISO 8601, 0.01 s precision as cmi5 asks


def _base(events: AttemptEvents, verb: str, moment: datetime, detail: str = "") -> dict[str, Any]:
    categories = [{"id": SCORM_PROFILE}, {"id": CMI5_CATEGORY}]
    if verb in ("completed", "passed", "failed"):
        categories.append({"id": CMI5_MOVEON})
    context: dict[str, Any] = {
        "registration": events.attempt_uuid,
        "contextActivities": {"category": categories},
        "extensions": {CMI5_SESSION: events.attempt_uuid},
        "platform": "carecert-lti",
        "language": "en-GB",
    }
    if events.course_id:
        context["contextActivities"]["grouping"] = [
            {
                "id": events.course_id,
                "objectType": "Activity",
                "definition": {"type": COURSE, "name": {"en-GB": events.course_name or "Course"}},
            }
        ]
    return {
        "id": statement_id(events, verb, detail),
        "actor": {
            "objectType": "Agent",
            "name": events.learner_name or events.learner_sub,
            "account": {"homePage": events.lms_issuer, "name": events.learner_sub},
        },
        "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
        "object": {
            "objectType": "Activity",
            "id": events.activity_id,
            "definition": {"type": LESSON, "name": {"en-GB": events.activity_name}},
        },
        "context": context,
        "timestamp": _timestamp(moment),
    }


def _score(events: AttemptEvents) -> dict[str, Any]:
    scaled = max(-1.0, min(1.0, float(events.score_scaled or 0.0)))
    return {"scaled": round(scaled, 4), "raw": round(scaled * 100, 2), "min": 0, "max": 100}


def _completed(events: AttemptEvents) -> dict[str, Any]:
    statement = _base(events, "completed", events.updated_at)
    statement["result"] = {"completion": True, "duration": _duration(events.total_time_seconds)}
    return statement


def _passed_or_failed(events: AttemptEvents) -> dict[str, Any]:
    statement = _base(events, events.success, events.updated_at)
    statement["result"] = {
        "success": events.success == "passed",
        "duration": _duration(events.total_time_seconds),
    }
    if events.score_scaled is not None:
        statement["result"]["score"] = _score(events)
    return statement


def _scored(events: AttemptEvents) -> dict[str, Any]:
    # One "scored" per distinct score: a later, different score is a new event, the same one is not.
    statement = _base(events, "scored", events.updated_at, detail=_score_key(events.score_scaled))
    statement["result"] = {"score": _score(events)}
    return statement


def _score_key(score_scaled: float | None) -> str:
    return "" if score_scaled is None else f"{score_scaled:.4f}"


def statements_for_attempt(events: AttemptEvents) -> list[dict[str, Any]]:
    """The statements this attempt has earned so far, in the order they happened."""
    found = [_base(events, "initialized", events.started_at)]
    if events.completion == "completed":
        found.append(_completed(events))
    if events.success in ("passed", "failed"):
        found.append(_passed_or_failed(events))
    if events.score_scaled is not None:
        found.append(_scored(events))
    if events.terminated:
        statement = _base(events, "terminated", events.updated_at)
        statement["result"] = {"duration": _duration(events.total_time_seconds)}
        found.append(statement)
    return found


@dataclass(frozen=True)
class AttemptResult:
    """The result fields of an attempt at one moment (before or after a commit)."""

    completion: str = "unknown"
    success: str = "unknown"
    score_scaled: float | None = None


def statements_for_change(events: AttemptEvents, before: AttemptResult) -> list[dict[str, Any]]:
    """The statements of what changed from `before` to the result in `events` (stamped events.updated_at).

    Built with the same ids as `statements_for_attempt`, so the collector never queues them a second time;
    a failure later followed by a pass in the same attempt gives both, each with the score it had then."""
    found = []
    if events.completion == "completed" and before.completion != "completed":
        found.append(_completed(events))
    if events.success in ("passed", "failed") and events.success != before.success:
        found.append(_passed_or_failed(events))
    if events.score_scaled is not None and _score_key(events.score_scaled) != _score_key(before.score_scaled):
        found.append(_scored(events))
    return found
