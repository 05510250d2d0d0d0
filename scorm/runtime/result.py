"""An attempt's outcome as the rest of the tool needs it: completion, success, score and time."""

from __future__ import annotations

import functools
from dataclasses import dataclass, fields
from decimal import Decimal

from scorm.cmi.common.model import DataModel
from scorm.cmi.common.timevalues import format_iso_duration
from scorm.runtime.session_end import mastery_status, total_seconds


@dataclass(frozen=True)
class AttemptResult:
    completion: str  # "completed" | "incomplete" | "not attempted" | "unknown"
    success: str  # "passed" | "failed" | "unknown"
    score_scaled: float | None  # -1..1 (2004 cmi.score.scaled; 1.2 raw normalised by min/max into 0..1)
    score_raw: float | None
    score_min: float | None
    score_max: float | None
    total_time_seconds: float
    total_time: str  # ISO 8601 duration, whichever the version

    def to_dict(self) -> dict:
        # Every field is a str, float or None: a plain copy of them (dataclasses.asdict deep-copies each, a
        # tenth of the commit endpoint's own checks).
        return {name: getattr(self, name) for name in _RESULT_FIELDS}


_RESULT_FIELDS = tuple(field.name for field in fields(AttemptResult))


def _number(text: str | None) -> Decimal | None:
    try:
        return Decimal(text) if text not in (None, "") else None
    except ArithmeticError:  # pragma: no cover - stored values passed their type checks
        return None


def _as_float(number: Decimal | None) -> float | None:
    return None if number is None else float(number)


def compute_result(model: DataModel) -> AttemptResult:
    seconds = total_seconds(model)
    if model.table.version == "1.2":
        return _result_12(model, seconds)
    raw, low, high = (_number(model.stored(f"cmi.score.{part}")) for part in ("raw", "min", "max"))
    return AttemptResult(
        completion=model.current("cmi.completion_status") or "unknown",
        success=model.current("cmi.success_status") or "unknown",
        score_scaled=_as_float(_number(model.stored("cmi.score.scaled"))),
        score_raw=_as_float(raw),
        score_min=_as_float(low),
        score_max=_as_float(high),
        total_time_seconds=float(seconds),
        total_time=format_iso_duration(seconds),
    )


# 1.2 folds completion and success into lesson_status: "failed" means the learner finished and failed,
# so it counts as completed (the common LMS reading; the specification leaves the mapping to the LMS).
_COMPLETION_12 = {
    "passed": "completed",
    "completed": "completed",
    "failed": "completed",
    "incomplete": "incomplete",
    "browsed": "incomplete",
    "not attempted": "not attempted",
}


def _result_12(model: DataModel, seconds: Decimal) -> AttemptResult:
    status = mastery_status(model, model.stored("cmi.core.lesson_status") or "not attempted")
    stored = model.stored
    texts = (stored("cmi.core.score.raw"), stored("cmi.core.score.min"), stored("cmi.core.score.max"))
    return _result_12_of(status, texts, seconds)


# Every commit computes the result again, mostly from the same status, score and time as the last one: the
# Decimal arithmetic runs once per distinct input (an AttemptResult is immutable, so one can be shared).
@functools.lru_cache(maxsize=1024)
def _result_12_of(status: str, score_texts: tuple[str | None, ...], seconds: Decimal) -> AttemptResult:
    raw, low, high = (_number(text) for text in score_texts)
    scaled = None
    if raw is not None:
        bottom = low if low is not None else Decimal(0)
        top = high if high is not None else Decimal(100)
        if top > bottom:
            scaled = min(max((raw - bottom) / (top - bottom), Decimal(0)), Decimal(1))
    return AttemptResult(
        completion=_COMPLETION_12.get(status, "unknown"),
        success=status if status in ("passed", "failed") else "unknown",
        score_scaled=_as_float(scaled),
        score_raw=_as_float(raw),
        score_min=_as_float(low),
        score_max=_as_float(high),
        total_time_seconds=float(seconds),
        total_time=format_iso_duration(seconds),
    )
