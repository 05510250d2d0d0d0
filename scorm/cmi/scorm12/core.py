"""SCORM 1.2 ``cmi.core.*`` and the top-level strings (RTE 3.4.4)."""

from __future__ import annotations

from scorm.cmi.common.datatypes import characterstring, decimal12, timespan12, vocabulary
from scorm.cmi.common.elements import Element, Size, ro, rw, wo

STATUSES = ("passed", "completed", "failed", "incomplete", "browsed", "not attempted")
CORE_CHILDREN = ",".join(
    (
        "student_id,student_name,lesson_location,credit,lesson_status,entry",
        "score,total_time,lesson_mode,exit,session_time",
    )
)


def score_elements(prefix: str) -> dict[str, Element]:
    """CMIDecimal or blank; ADL's 1.2 test suite (CMIScore) holds scores to 0..100."""
    score = decimal12(0, 100, blank_ok=True)
    return {
        f"{prefix}.score.raw": rw(score),
        f"{prefix}.score.min": rw(score),
        f"{prefix}.score.max": rw(score),
    }


ELEMENTS: dict[str, Element] = {
    "cmi._version": ro(default="3.4"),
    # CMIIdentifier in the specification; only the LMS writes it (an opaque LTI "sub"), see 2004's learner_id.
    "cmi.core.student_id": ro(characterstring(), default="", spm=255),
    "cmi.core.student_name": ro(characterstring(), default="", spm=255),
    "cmi.core.lesson_location": rw(characterstring(), default="", spm=255),
    "cmi.core.credit": ro(vocabulary("credit", "no-credit"), default="credit"),
    # The content may not set "not attempted" (ADL CMICore); the LMS seeds it for a first launch.
    "cmi.core.lesson_status": rw(vocabulary(*STATUSES[:-1]), default="not attempted"),
    "cmi.core.entry": ro(vocabulary("ab-initio", "resume", ""), default=""),
    **score_elements("cmi.core"),
    "cmi.core.total_time": ro(timespan12(), default="0000:00:00.00"),
    "cmi.core.lesson_mode": ro(vocabulary("browse", "normal", "review"), default="normal"),
    "cmi.core.exit": wo(vocabulary("time-out", "suspend", "logout", "")),
    "cmi.core.session_time": wo(timespan12()),
    "cmi.suspend_data": rw(characterstring(), default="", size=Size.SUSPEND, spm=4096),
    "cmi.launch_data": ro(characterstring(), default="", size=Size.LONG, spm=4096),
    "cmi.comments": rw(characterstring(), default="", size=Size.LONG, spm=4096),
    "cmi.comments_from_lms": ro(characterstring(), default="", size=Size.LONG, spm=4096),
}

GROUPS = {"cmi.core": CORE_CHILDREN, "cmi.core.score": "raw,min,max"}
