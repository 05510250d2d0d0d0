"""SCORM 2004 ``cmi.comments_from_learner`` and ``cmi.comments_from_lms`` (RTE 4.2.1, 4.2.2)."""

from __future__ import annotations

from scorm.cmi.common.datatypes import characterstring, iso_time, localized_string
from scorm.cmi.common.elements import Collection, Element, Size, ro, rw

CHILDREN = "comment,location,timestamp"

ELEMENTS: dict[str, Element] = {
    "cmi.comments_from_learner.n.comment": rw(localized_string(), size=Size.LONG, spm=4000),
    "cmi.comments_from_learner.n.location": rw(characterstring(), spm=250),
    "cmi.comments_from_learner.n.timestamp": rw(iso_time()),
    "cmi.comments_from_lms.n.comment": ro(localized_string(), size=Size.LONG, spm=4000),
    "cmi.comments_from_lms.n.location": ro(characterstring(), spm=250),
    "cmi.comments_from_lms.n.timestamp": ro(iso_time()),
}

COLLECTIONS = {
    "cmi.comments_from_learner": Collection(CHILDREN),
    "cmi.comments_from_lms": Collection(CHILDREN),
}
