"""The built-in catalogue inside the running tool: provisioned when the app starts, offered in the picker of
every registration, and played through a Package row of the learner's own registration.

The package files are shared by all registrations (read-only content, see provision.py). Attempts, results and
content grants hang off a Package row, so each registration gets its own row pointing at the shared folder the
first time one of its learners opens the unit: what learners of one LMS did never mixes with another's.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask, current_app, has_app_context
from sqlalchemy import select
from sqlalchemy.orm import Session

from lti_tool.catalogue.provision import (
    STORAGE_PREFIX,
    ProvisionedPackage,
    ProvisionError,
    ProvisionOutcome,
    provision_catalogue,
    scorm_version_setting,
)
from lti_tool.config import ConfigError
from lti_tool.db.models import Package, Registration
from lti_tool.repo import packages as package_repo
from lti_tool.units import UnitChoice, set_catalogue_source

log = logging.getLogger(__name__)

EXTENSION_KEY = "carecert_catalogue"
CATALOGUE_PREFIX = "catalogue:"


class AppCatalogue:
    """One app's catalogue: the packages provisioned in its data folder, found once per process."""

    def __init__(self, data_dir: str, scorm_version: str):
        self.data_dir = data_dir
        self.scorm_version = scorm_version
        self._packages: dict[str, ProvisionedPackage] | None = None
        self._lock = threading.Lock()

    def provision(self) -> ProvisionOutcome:
        """Find or build every unit's package now (the app's start, or the first request that needs one)."""
        with self._lock:
            outcome = provision_catalogue(self.data_dir, self.scorm_version)
            self._packages = {package.unit_id: package for package in outcome.packages}
        log.info(
            "catalogue (SCORM %s): %d units ready (%d imported now, %d found)",
            self.scorm_version,
            len(outcome.packages),
            len(outcome.imported),
            len(outcome.found),
        )
        if outcome.failed:
            log.error("catalogue units not offered (cannot be built): %s", ", ".join(sorted(outcome.failed)))
        return outcome

    def packages(self) -> dict[str, ProvisionedPackage]:
        if self._packages is None:
            try:
                self.provision()
            except ProvisionError as error:
                log.error("the built-in catalogue is not available: %s", error)
                return {}
        return self._packages or {}

    def package(self, unit_id: str) -> ProvisionedPackage | None:
        return self.packages().get(unit_id)

    def choices(self) -> list[UnitChoice]:
        return [_choice(package) for _, package in sorted(self.packages().items())]


def _choice(package: ProvisionedPackage) -> UnitChoice:
    standards = " and ".join(str(number) for number in package.standards)
    plural = "s" if len(package.standards) > 1 else ""
    parts = [f"Care Certificate standard{plural} {standards}", f"SCORM {package.scorm_version}"]
    if package.observation_required:
        parts.append("needs workplace observation")
    return UnitChoice(package.ref, package.title, " · ".join(parts), source="catalogue")


def install_catalogue(app: Flask) -> AppCatalogue:
    """Give the app its catalogue (built or found now unless CATALOGUE_PROVISION_ON_START is false) and offer
    it in every registration's picker."""
    try:
        version = scorm_version_setting(app.config.get("CATALOGUE_SCORM_VERSION"))
    except ProvisionError as error:
        raise ConfigError(str(error)) from None
    catalogue = AppCatalogue(str(app.config["DATA_DIR"]), version)
    app.extensions[EXTENSION_KEY] = catalogue
    if app.config.get("CATALOGUE_PROVISION_ON_START", True):
        try:
            catalogue.provision()
        except ProvisionError as error:  # the tool still serves uploads; the picker retries later
            log.error("the built-in catalogue could not be provisioned at start: %s", error)
    set_catalogue_source(offered_catalogue_units)
    return catalogue


def app_catalogue() -> AppCatalogue | None:
    return current_app.extensions.get(EXTENSION_KEY) if has_app_context() else None


def offered_catalogue_units() -> list[UnitChoice]:
    """The picker's catalogue source: the units whose packages are ready in this app's data folder."""
    catalogue = app_catalogue()
    return catalogue.choices() if catalogue is not None else []


def resolve_catalogue_unit(unit_id: str) -> ProvisionedPackage | None:
    """The current app's package for a catalogue unit id (``u01``), or None for an unknown unit."""
    catalogue = app_catalogue()
    return catalogue.package(unit_id) if catalogue is not None and isinstance(unit_id, str) else None


def unit_id_of_ref(unit_ref: str) -> str | None:
    """``u01`` for the unit reference ``catalogue:u01``; None for any other reference."""
    if isinstance(unit_ref, str) and unit_ref.startswith(CATALOGUE_PREFIX):
        return unit_ref[len(CATALOGUE_PREFIX) :]
    return None


def is_catalogue_package(package: Package) -> bool:
    return package.storage_path.startswith(STORAGE_PREFIX)


def catalogue_package(session: Session, registration: Registration, unit_id: str) -> Package | None:
    """The registration's Package row for a catalogue unit's current package, made on first use."""
    provisioned = resolve_catalogue_unit(unit_id)
    if provisioned is None:
        return None
    found = _registration_row(session, registration, provisioned)
    if found is not None:
        return found
    # Two first launches at once must not make two rows (attempts name one): lock the registration's row
    # (PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers) and look again before adding.
    session.execute(select(Registration.id).where(Registration.id == registration.id).with_for_update())
    found = _registration_row(session, registration, provisioned)
    if found is not None:
        return found
    return package_repo.add_package(
        session,
        registration,
        title=provisioned.title[:1024],
        scorm_version=provisioned.scorm_version,
        original_filename=provisioned.ref,
        sha256=provisioned.content_id,
        storage_path=provisioned.storage_path,
        sco_count=provisioned.sco_count,
        warnings=[],
        uploaded_by_pk=None,
    )


def _registration_row(
    session: Session, registration: Registration, provisioned: ProvisionedPackage
) -> Package | None:
    return session.scalars(
        select(Package)
        .where(Package.registration_id == registration.id, Package.storage_path == provisioned.storage_path)
        .order_by(Package.id)
        .limit(1)
    ).first()
