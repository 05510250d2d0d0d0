"""What the LMS does when a session ends (Terminate / LMSFinish): total time, and 1.2's status rules."""

from __future__ import annotations

import functools
from decimal import Decimal

from scorm.cmi.common.model import DataModel
from scorm.cmi.common.timevalues import (
    format_iso_duration,
    format_timespan12,
    iso_duration_seconds,
    timespan12_seconds,
)


def _time_names(version: str) -> tuple[str, str]:
    if version == "1.2":
        return "cmi.core.session_time", "cmi.core.total_time"
    return "cmi.session_time", "cmi.total_time"


# Every commit's result parses the stored total time again (the same text all session) and the session
# time; a parse is a regular expression and a few Decimals (5-15 us), a cached one a lookup (a Decimal is
# immutable, so one object can be shared).
@functools.lru_cache(maxsize=1024)
def seconds_of(version: str, text: str | None) -> Decimal:
    if not text:
        return Decimal(0)
    parsed = timespan12_seconds(text) if version == "1.2" else iso_duration_seconds(text)
    return parsed or Decimal(0)


def total_seconds(model: DataModel) -> Decimal:
    """Time in this attempt so far: earlier sessions plus the session time reported in this one."""
    version = model.table.version
    session_name, total_name = _time_names(version)
    return seconds_of(version, model.stored(total_name)) + seconds_of(version, model.values.get(session_name))


def fold_session_time(model: DataModel) -> None:
    """total_time += session_time (2004 RTE 4.2.26, 1.2 RTE 3.4.4); the session time is then spent."""
    version = model.table.version
    session_name, total_name = _time_names(version)
    if session_name not in model.values:
        return
    seconds = total_seconds(model)
    model.seed(total_name, format_timespan12(seconds) if version == "1.2" else format_iso_duration(seconds))
    del model.values[session_name]


def mastery_status(model: DataModel, status: str) -> str:
    """1.2 RTE 3.4.4: with credit, a mastery score and a raw score, the LMS decides passed or failed."""
    if status in ("incomplete", "not attempted"):
        return status
    mastery = model.stored("cmi.student_data.mastery_score")
    raw = model.stored("cmi.core.score.raw")
    if model.stored("cmi.core.credit") != "credit" or not mastery or not raw:
        return status
    return "passed" if Decimal(raw) >= Decimal(mastery) else "failed"


def finish_status_12(model: DataModel) -> None:
    """1.2 RTE 3.4.4 'Additional behavior requirements' at LMSFinish.

    Content that never set lesson_status is "completed" (or "browsed" in browse mode); then the mastery
    score, if the manifest gave one, turns a scored status into passed or failed.
    """
    status = model.stored("cmi.core.lesson_status") or "not attempted"
    if status == "not attempted":
        status = "browsed" if model.stored("cmi.core.lesson_mode") == "browse" else "completed"
    status = mastery_status(model, status)
    model.seed("cmi.core.lesson_status", status)


def end_session(model: DataModel) -> None:
    fold_session_time(model)
    if model.table.version == "1.2":
        finish_status_12(model)
