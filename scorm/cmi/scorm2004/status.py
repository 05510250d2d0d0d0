"""Completion and success status as a SCORM 2004 LMS reports them (RTE 4.2.4.1 and 4.2.22.1).

With a completion threshold, progress_measure decides completion; with a scaled passing score,
score.scaled decides success; a threshold or passing score without its measure reads "unknown". Only when the
LMS has neither does the content's own value stand.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

Lookup = Callable[[str], str | None]


def completion_status(stored: Lookup) -> str | None:
    threshold = stored("cmi.completion_threshold")
    if threshold is None:
        return None
    measure = stored("cmi.progress_measure")
    if measure is None:
        return "unknown"
    return "completed" if Decimal(measure) >= Decimal(threshold) else "incomplete"


def success_status(stored: Lookup) -> str | None:
    passing = stored("cmi.scaled_passing_score")
    if passing is None:
        return None
    scaled = stored("cmi.score.scaled")
    if scaled is None:
        return "unknown"
    return "passed" if Decimal(scaled) >= Decimal(passing) else "failed"


DERIVED = {"cmi.completion_status": completion_status, "cmi.success_status": success_status}
