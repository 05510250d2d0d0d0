"""The SCORM 1.2 run-time data model (``cmi.core.*`` and friends)."""

from scorm.cmi.scorm12.table import TABLE

__all__ = ["TABLE"]
