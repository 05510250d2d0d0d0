"""SCORM 2004 top-level ``cmi.*`` elements and ``cmi.score`` (RTE 4.2)."""

from __future__ import annotations

from scorm.cmi.common.datatypes import (
    characterstring,
    iso_duration,
    localized_string,
    real,
    vocabulary,
)
from scorm.cmi.common.elements import Element, Size, ro, rw, wo

COMPLETION_STATES = ("completed", "incomplete", "not attempted", "unknown")
SUCCESS_STATES = ("passed", "failed", "unknown")
EXIT_VALUES = ("time-out", "suspend", "logout", "normal", "")
TIME_LIMIT_ACTIONS = ("exit,message", "exit,no message", "continue,message", "continue,no message")

SCORE_CHILDREN = "scaled,raw,min,max"


def score_elements(prefix: str) -> dict[str, Element]:
    """A score group: scaled in -1..1, raw/min/max any real (RTE 4.2.20)."""
    return {
        f"{prefix}.score.scaled": rw(real(-1, 1)),
        f"{prefix}.score.raw": rw(real()),
        f"{prefix}.score.min": rw(real()),
        f"{prefix}.score.max": rw(real()),
    }


ELEMENTS: dict[str, Element] = {
    "cmi._version": ro(default="1.0"),
    "cmi.completion_status": rw(vocabulary(*COMPLETION_STATES), default="unknown"),
    "cmi.completion_threshold": ro(real(0, 1)),
    "cmi.credit": ro(vocabulary("credit", "no-credit"), default="credit"),
    "cmi.entry": ro(vocabulary("ab-initio", "resume", ""), default=""),
    "cmi.exit": wo(vocabulary(*EXIT_VALUES)),
    "cmi.launch_data": ro(characterstring(), size=Size.LONG, spm=4000),
    # long_identifier_type in the specification; only the LMS writes it, and an LTI "sub" is an opaque
    # string, so it is not held to URI form (a refused seed would refuse the launch).
    "cmi.learner_id": ro(characterstring(), default="", size=Size.LONG, spm=4000),
    "cmi.learner_name": ro(localized_string(), default="", spm=250),
    "cmi.location": rw(characterstring(), size=Size.LONG, spm=1000),
    "cmi.max_time_allowed": ro(iso_duration()),
    "cmi.mode": ro(vocabulary("browse", "normal", "review"), default="normal"),
    "cmi.progress_measure": rw(real(0, 1)),
    "cmi.scaled_passing_score": ro(real(-1, 1)),
    **score_elements("cmi"),
    "cmi.session_time": wo(iso_duration()),
    "cmi.success_status": rw(vocabulary(*SUCCESS_STATES), default="unknown"),
    "cmi.suspend_data": rw(characterstring(), size=Size.SUSPEND, spm=64000),
    "cmi.time_limit_action": ro(vocabulary(*TIME_LIMIT_ACTIONS), default="continue,no message"),
    "cmi.total_time": ro(iso_duration(), default="PT0H0M0S"),
}

GROUPS = {"cmi.score": SCORE_CHILDREN}
