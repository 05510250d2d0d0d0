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
from lti_tool.catalogue.observation import (
    catalogue_unit_needs_observation,
    catalogue_unit_observed_outcomes,
)

# In the running tool (lti_tool.catalogue.app_catalogue, imported apart: it needs Flask and the database):
#   resolve_catalogue_unit(unit_id) -> ProvisionedPackage | None    the current app's package for u01 …
#   catalogue_package(session, registration, unit_id) -> Package | None   the registration's row to play it
# Provisioning: lti_tool.catalogue.provision.provision_catalogue(data_dir, scorm_version) -> ProvisionOutcome

__all__ = [
    "UNITS_DIR",
    "CatalogueError",
    "catalogue_unit_needs_observation",
    "catalogue_unit_observed_outcomes",
    "load_catalogue",
    "load_unit",
]
