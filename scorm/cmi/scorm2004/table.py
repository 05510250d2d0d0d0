"""The SCORM 2004 (3rd and 4th edition) data model: every element, collection and group in one table."""

from __future__ import annotations

from scorm.cmi.common.elements import Table
from scorm.cmi.scorm2004 import adl, comments, core, interactions, learner_preference, objectives

TABLE = Table(
    version="2004",
    elements={
        **core.ELEMENTS,
        **comments.ELEMENTS,
        **learner_preference.ELEMENTS,
        **objectives.ELEMENTS,
        **interactions.ELEMENTS,
        **adl.ELEMENTS,
    },
    collections={
        **comments.COLLECTIONS,
        **objectives.COLLECTIONS,
        **interactions.COLLECTIONS,
        **adl.COLLECTIONS,
    },
    groups={**core.GROUPS, **objectives.GROUPS, **learner_preference.GROUPS},
)
