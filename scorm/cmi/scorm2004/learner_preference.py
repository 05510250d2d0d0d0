"""SCORM 2004 ``cmi.learner_preference`` (RTE 4.2.12), with the specification's defaults."""

from __future__ import annotations

from scorm.cmi.common.datatypes import language, real, vocabulary
from scorm.cmi.common.elements import Element, rw

ELEMENTS: dict[str, Element] = {
    "cmi.learner_preference.audio_level": rw(real(0), default="1"),
    "cmi.learner_preference.language": rw(language(), default=""),
    "cmi.learner_preference.delivery_speed": rw(real(0), default="1"),
    "cmi.learner_preference.audio_captioning": rw(vocabulary("-1", "0", "1"), default="0"),
}

GROUPS = {"cmi.learner_preference": "audio_level,language,delivery_speed,audio_captioning"}
