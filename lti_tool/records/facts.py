"""What a credential states, as plain values: the domain's input, whatever database or test produced it.

A unit is achieved when its counted e-learning result passed AND, where the unit needs workplace observation,
an assessor's sign-off stands (not undone). `queries.achievement_facts` reads these from the player's and the
grades' tables; tests build them directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time


@dataclass(frozen=True)
class Learner:
    registration_id: int
    user_pk: int
    sub: str  # the LMS user id (opaque)
    name: str
    email: str
    did: str = ""  # a wallet DID the learner gave us, when known: becomes credentialSubject.id


@dataclass(frozen=True)
class ElearningResult:
    passed: bool
    completed_at: datetime
    score_percent: float | None  # 0..100, from cmi score scaled
    attempt_number: int
    attempt_uuid: str  # the attempt as an xAPI registration


@dataclass(frozen=True)
class Signoff:
    observed_on: date
    assessor_name: str
    evidence_notes: str
    signed_at: datetime


@dataclass(frozen=True)
class AchievementFacts:
    unit: dict  # the catalogue unit (lti_tool.catalogue.load_unit)
    learner: Learner
    elearning: ElearningResult | None
    signoff: Signoff | None = None
    observation_required: bool = False
    course_title: str = ""
    problems: list[str] = field(default_factory=list)  # why not achieved, for people

    @property
    def unit_id(self) -> str:
        return str(self.unit["id"])

    @property
    def achieved(self) -> bool:
        return not self.missing()

    def missing(self) -> list[str]:
        """What still stands between the learner and the unit, in plain words (empty when achieved)."""
        missing = []
        if self.elearning is None:
            missing.append("the e-learning has not been started")
        elif not self.elearning.passed:
            missing.append("the e-learning knowledge check has not been passed yet")
        if self.observation_required and self.signoff is None:
            missing.append("an assessor has not yet signed off the observation at work")
        return missing

    @property
    def achieved_at(self) -> datetime:
        """When the last requirement was met: the e-learning pass, or the sign-off after it."""
        if self.elearning is None:
            raise ValueError("not achieved")
        moments = [self.elearning.completed_at]
        if self.observation_required and self.signoff is not None:
            moments.append(self.signoff.signed_at)
        return max(moments)


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=UTC)
