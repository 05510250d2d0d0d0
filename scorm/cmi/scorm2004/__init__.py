"""The SCORM 2004 run-time data model (``cmi.*``, ``adl.nav.*``, ``adl.data``)."""

from scorm.cmi.scorm2004.status import DERIVED
from scorm.cmi.scorm2004.table import TABLE

__all__ = ["DERIVED", "TABLE"]
