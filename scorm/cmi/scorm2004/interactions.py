"""SCORM 2004 ``cmi.interactions`` (RTE 4.2.9): the id first, then the type, then responses."""

from __future__ import annotations

from scorm.cmi.common.datatypes import (
    all_of,
    identifier,
    iso_duration,
    iso_time,
    localized_string,
    real,
    real_or_vocabulary,
    vocabulary,
)
from scorm.cmi.common.elements import Collection, Element, Size, rw
from scorm.cmi.scorm2004.checks import unique_id_in_collection
from scorm.cmi.scorm2004.responses import check_correct_pattern, check_learner_response

TYPES = (
    "true-false",
    "choice",
    "fill-in",
    "long-fill-in",
    "matching",
    "performance",
    "sequencing",
    "likert",
    "numeric",
    "other",
)
RESULTS = ("correct", "incorrect", "unanticipated", "neutral")
CHILDREN = (
    "id,type,objectives,timestamp,correct_responses,weighting,learner_response,result,latency,description"
)

# Declaration order is the order a commit applies values: id, then type, before the rest.
ELEMENTS: dict[str, Element] = {
    "cmi.interactions.n.id": rw(identifier(), size=Size.LONG, spm=4000),
    "cmi.interactions.n.type": rw(vocabulary(*TYPES)),
    "cmi.interactions.n.objectives.n.id": rw(
        all_of(identifier(), unique_id_in_collection), size=Size.LONG, spm=4000
    ),
    "cmi.interactions.n.timestamp": rw(iso_time()),
    "cmi.interactions.n.correct_responses.n.pattern": rw(check_correct_pattern, size=Size.LONG),
    "cmi.interactions.n.weighting": rw(real()),
    "cmi.interactions.n.learner_response": rw(check_learner_response, size=Size.LONG),
    "cmi.interactions.n.result": rw(real_or_vocabulary(RESULTS, real())),
    "cmi.interactions.n.latency": rw(iso_duration()),
    "cmi.interactions.n.description": rw(localized_string(), size=Size.LONG, spm=250),
}

COLLECTIONS = {
    "cmi.interactions": Collection(CHILDREN, opened_by=frozenset({"id"})),
    "cmi.interactions.n.objectives": Collection(None, opened_by=frozenset({"id"}), nested=True),
    "cmi.interactions.n.correct_responses": Collection(None, opened_by=frozenset({"pattern"}), nested=True),
}
