"""SCORM 2004 ``cmi.objectives`` (RTE 4.2.17): identifiers set first, unique and fixed once set."""

from __future__ import annotations

from scorm.cmi.common.datatypes import all_of, identifier, localized_string, real, vocabulary
from scorm.cmi.common.elements import Collection, Element, Size, rw
from scorm.cmi.scorm2004.checks import id_fixed_once_set, unique_id_in_collection
from scorm.cmi.scorm2004.core import COMPLETION_STATES, SCORE_CHILDREN, SUCCESS_STATES, score_elements

CHILDREN = "id,score,success_status,completion_status,progress_measure,description"

ELEMENTS: dict[str, Element] = {
    "cmi.objectives.n.id": rw(
        all_of(identifier(), unique_id_in_collection, id_fixed_once_set), size=Size.LONG, spm=4000
    ),
    **score_elements("cmi.objectives.n"),
    "cmi.objectives.n.success_status": rw(vocabulary(*SUCCESS_STATES), default="unknown"),
    "cmi.objectives.n.completion_status": rw(vocabulary(*COMPLETION_STATES), default="unknown"),
    "cmi.objectives.n.progress_measure": rw(real(0, 1)),
    "cmi.objectives.n.description": rw(localized_string(), size=Size.LONG, spm=250),
}

COLLECTIONS = {"cmi.objectives": Collection(CHILDREN, opened_by=frozenset({"id"}))}
GROUPS = {"cmi.objectives.n.score": SCORE_CHILDREN}
