"""The SCORM run-time data models, one declarative table per version.

``new_model(version)`` gives an empty :class:`DataModel` for "1.2" or "2004"; ``TABLES`` holds the tables.
"""

from __future__ import annotations

from scorm.cmi.common.elements import Access, Table
from scorm.cmi.common.errors import SCORM12_ERRORS, SCORM2004_ERRORS, CmiError, ErrorKind, error_code
from scorm.cmi.common.limits import DEFAULT_CEILINGS, Ceilings
from scorm.cmi.common.model import DataModel
from scorm.cmi.scorm12 import TABLE as SCORM12_TABLE
from scorm.cmi.scorm2004 import DERIVED as SCORM2004_DERIVED
from scorm.cmi.scorm2004 import TABLE as SCORM2004_TABLE

TABLES: dict[str, Table] = {"1.2": SCORM12_TABLE, "2004": SCORM2004_TABLE}
ERROR_STRINGS: dict[str, dict[str, str]] = {"1.2": SCORM12_ERRORS, "2004": SCORM2004_ERRORS}


def new_model(version: str, ceilings: Ceilings = DEFAULT_CEILINGS) -> DataModel:
    """An empty data model of SCORM ``version`` ("1.2" or "2004")."""
    if version not in TABLES:
        raise ValueError(f"unknown SCORM version {version!r}: expected '1.2' or '2004'")
    derived = SCORM2004_DERIVED if version == "2004" else None
    return DataModel(TABLES[version], ceilings, derived)


__all__ = [
    "Access",
    "Ceilings",
    "CmiError",
    "DEFAULT_CEILINGS",
    "DataModel",
    "ERROR_STRINGS",
    "ErrorKind",
    "TABLES",
    "error_code",
    "new_model",
]
