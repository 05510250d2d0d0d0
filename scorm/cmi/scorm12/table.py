"""The SCORM 1.2 data model: every element, collection and group in one table."""

from __future__ import annotations

from scorm.cmi.common.elements import Table
from scorm.cmi.scorm12 import core, interactions, objectives, student

TABLE = Table(
    version="1.2",
    elements={**core.ELEMENTS, **objectives.ELEMENTS, **student.ELEMENTS, **interactions.ELEMENTS},
    collections={**objectives.COLLECTIONS, **interactions.COLLECTIONS},
    groups={**core.GROUPS, **objectives.GROUPS, **student.GROUPS},
)
