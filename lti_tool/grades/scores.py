"""From a unit's result to the AGS score the gradebook gets (LTI AGS 2.0 §3.4, Score publish service).

Pure functions: no database, no network. `UnitScore` is what the player hands over; `ScoreToSend` is what goes
into the outbox (everything but the timestamp, which the queue stamps).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

SCORE_MAXIMUM = 100.0
COMPLETIONS = ("completed", "incomplete", "not attempted", "unknown")
SUCCESSES = ("passed", "failed", "unknown")


class ResultLike(Protocol):
    completion: str
    success: str
    score_scaled: float | None


@dataclass(frozen=True)
class UnitScore:
    """A unit's result as the gradebook needs it (GRADES_CONTRACT.md)."""

    completion: str
    success: str
    score_scaled: float | None
    attempt_number: int
    counted: bool = True

    def __post_init__(self) -> None:
        # Called inside the learner's commit: a value outside the vocabulary must not lose their save, so it
        # is read as "unknown" (and a score outside -1..1 is clamped) rather than refused.
        if self.completion not in COMPLETIONS:
            object.__setattr__(self, "completion", "unknown")
        if self.success not in SUCCESSES:
            object.__setattr__(self, "success", "unknown")
        scaled = self.score_scaled
        if scaled is not None:
            number = float(scaled)
            object.__setattr__(
                self, "score_scaled", None if number != number else min(1.0, max(-1.0, number))
            )

    @classmethod
    def from_attempt_result(
        cls, result: ResultLike, *, attempt_number: int, counted: bool = True
    ) -> UnitScore:
        """From scorm.runtime.AttemptResult or scorm.sequencing's UnitResult (same three fields)."""
        return cls(result.completion, result.success, result.score_scaled, attempt_number, counted)

    @property
    def decided(self) -> bool:
        """The e-learning has reached its result: the learner completed it, or the check passed or failed."""
        return self.completion == "completed" or self.success in ("passed", "failed")

    @property
    def gradebook_score(self) -> float | None:
        """scoreGiven on 100. Negative scaled scores clamp to 0 (a gradebook has no negative marks); a pass or
        fail without a score becomes 100 or 0 so that Moodle's column is not left empty."""
        if self.score_scaled is not None:
            return round(max(0.0, float(self.score_scaled)) * SCORE_MAXIMUM, 2)
        if self.success == "passed":
            return SCORE_MAXIMUM
        if self.success == "failed":
            return 0.0
        return None


@dataclass(frozen=True)
class Signoff:
    assessor_name: str
    observed_on: date


@dataclass(frozen=True)
class ScoreToSend:
    score_given: float | None
    score_maximum: float | None
    activity_progress: str
    grading_progress: str
    comment: str

    @property
    def key(self) -> str:
        """What "changed" means for send-only-on-change: every field the platform stores."""
        return "|".join(
            str(part)
            for part in (
                self.score_given,
                self.score_maximum,
                self.activity_progress,
                self.grading_progress,
                self.comment,
            )
        )


ACTIVITY_PROGRESS = {
    "completed": "Completed",
    "incomplete": "InProgress",
    "not attempted": "Initialized",
    "unknown": "Started",
}


def _grading_progress(result: UnitScore, signoff_required: bool, signoff: Signoff | None) -> str:
    if not result.decided:
        return "NotReady"  # the learner is still working: nothing to grade yet
    if result.success == "failed":
        return "FullyGraded"  # a failed check is final for this attempt; no observation can pass it
    if signoff_required and signoff is None:
        # The e-learning is knowledge evidence only; Moodle stores an empty grade until FullyGraded, which is
        # right: the unit is not achieved before the assessor has observed the learner at work.
        return "PendingManual"
    return "FullyGraded"


def _comment(result: UnitScore, grading: str, signoff: Signoff | None) -> str:
    parts = []
    if result.success in ("passed", "failed"):
        parts.append(f"Knowledge check {result.success}")
    elif result.completion == "completed":
        parts.append("E-learning completed")
    else:
        parts.append("E-learning in progress")
    if result.attempt_number > 1:
        parts[-1] += f" (attempt {result.attempt_number})"
    if grading == "PendingManual":
        parts.append("awaiting the assessor's observation and sign-off")
    if signoff is not None:
        parts.append(
            f"observed at work and signed off by {signoff.assessor_name} on {signoff.observed_on.isoformat()}"
        )
    return "; ".join(parts) + "."


def score_to_send(result: UnitScore, *, signoff_required: bool, signoff: Signoff | None) -> ScoreToSend:
    grading = _grading_progress(result, signoff_required, signoff)
    given = result.gradebook_score
    return ScoreToSend(
        score_given=given,
        score_maximum=SCORE_MAXIMUM if given is not None else None,
        activity_progress=ACTIVITY_PROGRESS[result.completion],
        grading_progress=grading,
        comment=_comment(result, grading, signoff),
    )


def format_timestamp(moment: datetime) -> str:
    """ISO 8601 in UTC with milliseconds, as AGS asks (e.g. 2026-11-22T07:30:00.123Z)."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def truncate_to_millis(moment: datetime) -> datetime:
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


def next_timestamp(produced_at: datetime, floor: datetime | None) -> datetime:
    """The timestamp of a new score: when its result was produced, but later than `floor` (the newest score
    the platform may already hold) by at least a whole second, because Moodle compares timestamps to the
    whole second and answers 409 to one that is not strictly later. Order is kept: only ever pushed later."""
    stamped = truncate_to_millis(produced_at.astimezone(UTC))
    if floor is not None:
        minimum = floor.astimezone(UTC).replace(microsecond=0) + timedelta(seconds=1)
        stamped = max(stamped, minimum)
    return stamped


def score_body(row: Any, user_sub: str) -> dict[str, Any]:
    """The JSON body of the AGS score POST for an outbox row."""
    body: dict[str, Any] = {
        "userId": user_sub,
        "timestamp": format_timestamp(row.timestamp),
        "activityProgress": row.activity_progress,
        "gradingProgress": row.grading_progress,
    }
    if row.score_given is not None:
        body["scoreGiven"] = row.score_given
        body["scoreMaximum"] = row.score_maximum
    if row.comment:
        body["comment"] = row.comment
    return body
