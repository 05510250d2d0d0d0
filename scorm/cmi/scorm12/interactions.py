"""SCORM 1.2 ``cmi.interactions`` (RTE 3.4.4): a write-only journal of the learner's answers.

CMIFeedback (correct_responses.n.pattern, student_response) is checked for size only. The 1.2 specification
describes its form per interaction type only loosely, and real 1.2 exports (Storyline, iSpring, Captivate)
write free text such as full answer labels; refusing them would refuse the whole commit that carries the
learner's progress.
"""

from __future__ import annotations

from scorm.cmi.common.datatypes import (
    characterstring,
    decimal12,
    identifier12,
    real_or_vocabulary,
    time12,
    timespan12,
    vocabulary,
)
from scorm.cmi.common.elements import Collection, Element, Size, wo

TYPES = ("true-false", "choice", "fill-in", "matching", "performance", "sequencing", "likert", "numeric")
CHILDREN = "id,objectives,time,type,correct_responses,weighting,student_response,result,latency"

ELEMENTS: dict[str, Element] = {
    "cmi.interactions.n.id": wo(identifier12(), spm=255),
    "cmi.interactions.n.objectives.n.id": wo(identifier12(), spm=255),
    "cmi.interactions.n.time": wo(time12()),
    "cmi.interactions.n.type": wo(vocabulary(*TYPES)),
    "cmi.interactions.n.correct_responses.n.pattern": wo(characterstring(), size=Size.LONG, spm=255),
    "cmi.interactions.n.weighting": wo(decimal12()),
    "cmi.interactions.n.student_response": wo(characterstring(), size=Size.LONG, spm=255),
    "cmi.interactions.n.result": wo(
        real_or_vocabulary(("correct", "wrong", "unanticipated", "neutral"), decimal12())
    ),
    "cmi.interactions.n.latency": wo(timespan12()),
}

COLLECTIONS = {
    "cmi.interactions": Collection(CHILDREN),
    "cmi.interactions.n.objectives": Collection(None, nested=True),
    "cmi.interactions.n.correct_responses": Collection(None, nested=True),
}
