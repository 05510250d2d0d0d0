"""SCORM 1.2 ``cmi.objectives`` (RTE 3.4.4): id, score and status, all read-write."""

from __future__ import annotations

from scorm.cmi.common.datatypes import identifier12, vocabulary
from scorm.cmi.common.elements import Collection, Element, rw
from scorm.cmi.scorm12.core import STATUSES, score_elements

ELEMENTS: dict[str, Element] = {
    "cmi.objectives.n.id": rw(identifier12(), spm=255),
    **score_elements("cmi.objectives.n"),
    "cmi.objectives.n.status": rw(vocabulary(*STATUSES)),
}

COLLECTIONS = {"cmi.objectives": Collection("id,score,status")}
GROUPS = {"cmi.objectives.n.score": "raw,min,max"}
