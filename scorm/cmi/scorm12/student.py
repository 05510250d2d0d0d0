"""SCORM 1.2 ``cmi.student_data`` (from the manifest, read-only) and ``cmi.student_preference``."""

from __future__ import annotations

from scorm.cmi.common.datatypes import characterstring, decimal12, sinteger12, timespan12, vocabulary
from scorm.cmi.common.elements import Element, ro, rw

TIME_LIMIT_ACTIONS = ("exit,message", "exit,no message", "continue,message", "continue,no message")

ELEMENTS: dict[str, Element] = {
    "cmi.student_data.mastery_score": ro(decimal12(0, 100), default=""),
    "cmi.student_data.max_time_allowed": ro(timespan12(), default=""),
    "cmi.student_data.time_limit_action": ro(vocabulary(*TIME_LIMIT_ACTIONS), default=""),
    "cmi.student_preference.audio": rw(sinteger12(-1, 100), default=""),
    "cmi.student_preference.language": rw(characterstring(), default="", spm=255),
    "cmi.student_preference.speed": rw(sinteger12(-100, 100), default=""),
    "cmi.student_preference.text": rw(sinteger12(-1, 1), default=""),
}

GROUPS = {
    "cmi.student_data": "mastery_score,max_time_allowed,time_limit_action",
    "cmi.student_preference": "audio,language,speed,text",
}
