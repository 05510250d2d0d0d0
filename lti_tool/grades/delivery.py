"""What to do with a score after the platform answered: the retry rules, as pure functions.

- 2xx: delivered.
- No answer (network error, timeout), 408, 429, 5xx: try again later, with exponential backoff and jitter, and
  never sooner than the platform's Retry-After. A timeout or a 5xx may still have been applied by the platform
  (`outcome_unknown`), which matters for the 409 rule below.
- 401: the client has already fetched a fresh token once and tried again; a second 401 is a failure.
- 409 (Moodle: the timestamp is not later than the stored score's, to the second): re-stamped with a later
  time and sent once more ONLY when the platform most likely holds this very score from an earlier attempt
  whose answer we lost (a timeout or 5xx, or a worker killed mid-send) and no newer score of ours exists. Then
  the stored score IS ours, our values are the newest we have, and sending them again later changes nothing
  but the time. On a first attempt a 409 means the gradebook holds something newer that we did not send
  (a teacher's override, another tool): overwriting it blindly would lose their grade, so it is failed with
  the platform's answer for a person to look at (and re-send if right).
- 400, 403, 404 and any other 4xx: failed with the platform's answer (400 with an empty body: Moodle's answer
  for a user who cannot be graded).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from lti_tool.grades.ags import Answer

SENT, RETRY, FAILED, RESTAMP = "sent", "retry", "failed", "restamp"


@dataclass(frozen=True)
class RetryPolicy:
    base_seconds: float = 2.0
    cap_seconds: float = 3600.0
    max_attempts: int = 20  # about ten hours of tries with the defaults

    def delay(self, attempts: int, retry_after: float | None, rng: random.Random) -> float:
        """Seconds before the next try after `attempts` tries: exponential backoff with equal jitter (half
        fixed, half random, so tries spread without collapsing to zero), at least Retry-After."""
        backoff = min(self.cap_seconds, self.base_seconds * 2 ** max(0, attempts - 1))
        jittered = backoff / 2 + rng.uniform(0, backoff / 2)
        return max(jittered, retry_after or 0.0)


@dataclass(frozen=True)
class Decision:
    action: str  # SENT | RETRY | FAILED | RESTAMP
    outcome_unknown: bool = False  # the platform may have applied this try


def is_transient(status: int | None) -> bool:
    return status is None or status in (408, 429) or status >= 500


def decide(answer: Answer, *, outcome_unknown_before: bool, restamped: bool) -> Decision:
    """The worker supersedes a RESTAMP instead when a newer score of the pair exists."""
    if answer.ok:
        return Decision(SENT)
    if is_transient(answer.status):
        # A 429 is refused before it is applied; a 5xx or a lost answer may have been applied.
        return Decision(RETRY, outcome_unknown=answer.status != 429)
    if answer.status == 409 and outcome_unknown_before and not restamped:
        return Decision(RESTAMP)
    return Decision(FAILED)


def restamped_time(previous: datetime, now: datetime) -> datetime:
    """Now, but at least one whole second after the score's previous timestamp (Moodle compares seconds)."""
    now = now.astimezone(UTC)
    minimum = previous.astimezone(UTC).replace(microsecond=0) + timedelta(seconds=1)
    return max(now.replace(microsecond=now.microsecond // 1000 * 1000), minimum)
