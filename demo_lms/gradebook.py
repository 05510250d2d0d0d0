"""AGS score rules: validate a score, apply it to the gradebook, keep a record of every score received.

Lenient mode follows the AGS 2.0 specification; `strict=True` adds what Moodle 4.5 does (PLATFORMS.md):
409 unless the timestamp is later than the stored one to the whole second, 400 with an empty body for a
user who cannot be graded, and an empty grade for any gradingProgress other than FullyGraded.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from demo_lms.models import GradebookEntry, LineItem, ScoreRecord, User

ACTIVITY_PROGRESS = {"Initialized", "Started", "InProgress", "Submitted", "Completed"}
GRADING_PROGRESS = {"FullyGraded", "Pending", "PendingManual", "Failed", "NotReady"}
REQUIRED_FIELDS = ("userId", "timestamp", "activityProgress", "gradingProgress")


@dataclass
class ScoreRefused(Exception):
    status: int
    reason: str
    body: str | None = None  # what the platform answers; None = a JSON error with the reason


def parse_timestamp(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ScoreRefused(400, "timestamp must be an ISO 8601 string")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ScoreRefused(400, f"timestamp is not ISO 8601: {value!r}") from exc
    if parsed.tzinfo is None:
        raise ScoreRefused(400, "timestamp must carry a time zone offset")
    return parsed


def _number(body: dict[str, Any], name: str) -> float | None:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ScoreRefused(400, f"{name} must be a finite number")
    return float(value)


def validate_score(body: Any) -> tuple[datetime, float | None, float | None]:
    """Check the AGS score schema; answer (timestamp, scoreGiven, scoreMaximum)."""
    if not isinstance(body, dict):
        raise ScoreRefused(400, "the score must be a JSON object")
    missing = [name for name in REQUIRED_FIELDS if name not in body]
    if missing:
        raise ScoreRefused(400, "missing required fields: " + ", ".join(missing))
    if body["activityProgress"] not in ACTIVITY_PROGRESS:
        raise ScoreRefused(400, f"unknown activityProgress {body['activityProgress']!r}")
    if body["gradingProgress"] not in GRADING_PROGRESS:
        raise ScoreRefused(400, f"unknown gradingProgress {body['gradingProgress']!r}")
    score_given = _number(body, "scoreGiven")
    score_maximum = _number(body, "scoreMaximum")
    if score_given is not None and score_maximum is None:
        raise ScoreRefused(400, "scoreMaximum is required with scoreGiven")
    if score_given is not None and score_given < 0:
        raise ScoreRefused(400, "scoreGiven must not be negative")
    if score_maximum is not None and score_maximum <= 0:
        raise ScoreRefused(400, "scoreMaximum must be positive")
    return parse_timestamp(body["timestamp"]), score_given, score_maximum


class Gradebook:
    def __init__(self, strict: bool = False) -> None:
        self.strict = strict
        self.entries: dict[tuple[str, str], GradebookEntry] = {}
        self.score_log: list[ScoreRecord] = []

    def receive(self, line_item: LineItem, user: User | None, body: Any) -> GradebookEntry:
        """Apply one score POST; raise ScoreRefused with the platform's answer. Every call is logged."""
        now = datetime.now(UTC)
        try:
            entry = self._apply(line_item, user, body, now)
        except ScoreRefused as refusal:
            self.score_log.append(ScoreRecord(line_item.id, body, refusal.status, refusal.reason, now))
            raise
        self.score_log.append(ScoreRecord(line_item.id, body, 200, "applied", now))
        return entry

    def _apply(self, line_item: LineItem, user: User | None, body: Any, now: datetime) -> GradebookEntry:
        timestamp, score_given, score_maximum = validate_score(body)
        if user is None:
            raise ScoreRefused(400, f"user {body['userId']!r} is not a member of this course")
        if self.strict and not user.gradable:
            raise ScoreRefused(400, f"user {user.id!r} ({user.role}) cannot be graded", body="")
        previous = self.entries.get((line_item.id, user.id))
        if previous is not None and self._is_stale(timestamp, previous.timestamp):
            raise ScoreRefused(409, "the score's timestamp is not later than the stored score's")
        entry = GradebookEntry(
            line_item_id=line_item.id,
            user_id=user.id,
            score_given=score_given,
            score_maximum=score_maximum,
            grade=self._grade(line_item, body["gradingProgress"], score_given, score_maximum),
            activity_progress=body["activityProgress"],
            grading_progress=body["gradingProgress"],
            comment=body.get("comment"),
            timestamp=timestamp,
            received_at=now,
        )
        self.entries[(line_item.id, user.id)] = entry
        return entry

    def _is_stale(self, timestamp: datetime, stored: datetime) -> bool:
        if self.strict:
            # Moodle compares whole seconds and wants strictly later.
            return int(timestamp.timestamp()) <= int(stored.timestamp())
        return timestamp < stored

    def _grade(
        self, line_item: LineItem, grading: str, given: float | None, maximum: float | None
    ) -> float | None:
        if given is None or maximum is None:
            return None
        if self.strict and grading != "FullyGraded":
            return None
        return given * line_item.score_maximum / maximum

    def results_for(self, line_item_id: str) -> list[GradebookEntry]:
        return [entry for (item_id, _), entry in self.entries.items() if item_id == line_item_id]
