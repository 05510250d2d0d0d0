"""The built-in catalogue: the 15 units of the Level 2 Adult Social Care Certificate.

Each unit is one YAML file in ``units/`` (format: /tmp/team/UNIT_FORMAT.md, schema: ``unit.schema.json``).
The SCORM builder takes the dicts returned here as they are.
"""

from lti_tool.catalogue.loader import (
    UNITS_DIR,
    CatalogueError,
    load_catalogue,
    load_unit,
)

__all__ = ["UNITS_DIR", "CatalogueError", "load_catalogue", "load_unit"]
