"""The units an instructor can pick when adding the activity: catalogue units and this LMS's own packages.

The built-in catalogue plugs in through `set_catalogue_source` (lti_tool.catalogue registers itself when it
can), so the picker does not depend on how the catalogue is stored. A unit reference is "package:<id>" or
"catalogue:<unit id>"; it travels to the LMS as the custom parameter `unit` and comes back in every launch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from lti_tool.db.models import Registration
from lti_tool.repo import packages as package_repo

CATALOGUE_STORAGE_PREFIX = "catalogue/packages/"  # lti_tool.catalogue.provision.STORAGE_PREFIX


@dataclass(frozen=True)
class UnitChoice:
    ref: str  # "package:12" or "catalogue:unit-01"
    title: str
    description: str = ""
    source: str = "package"  # "package" | "catalogue"


CatalogueSource = Callable[[], list[UnitChoice]]
_catalogue_source: CatalogueSource | None = None


def set_catalogue_source(source: CatalogueSource | None) -> None:
    """Plug in (or remove) the function that lists the built-in catalogue's units."""
    global _catalogue_source
    _catalogue_source = source


def catalogue_source() -> CatalogueSource | None:
    """The function plugged in now (so a test can put it back after replacing it)."""
    return _catalogue_source


def catalogue_units() -> list[UnitChoice]:
    return list(_catalogue_source()) if _catalogue_source is not None else []


def available_units(session: Session, registration: Registration) -> list[UnitChoice]:
    packages = [
        UnitChoice(
            ref=f"package:{package.id}",
            title=package.title,
            description=f"SCORM {package.scorm_version}, uploaded {package.created_at:%d %b %Y}",
        )
        for package in package_repo.list_packages(session, registration)
        if not package.storage_path.startswith(CATALOGUE_STORAGE_PREFIX)  # catalogue rows are listed above
    ]
    return catalogue_units() + packages


def find_unit(session: Session, registration: Registration, ref: str) -> UnitChoice | None:
    """The unit with this reference, if this registration may use it (another LMS's package is not found)."""
    for unit in available_units(session, registration):
        if unit.ref == ref:
            return unit
    return None
