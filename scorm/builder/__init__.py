"""Build SCORM 1.2 and SCORM 2004 4th Edition packages from a unit definition (see UNIT_FORMAT).

One SCO per unit: short content pages, then a knowledge check drawn at random from the unit's bank, reporting
completion, success, score, interactions and objectives, with resume through ``cmi.location`` and
``cmi.suspend_data``. The SCO is plain HTML, CSS and JavaScript inside the package and makes no network
requests.

Public API:
    build_package(unit, scorm_version, out_dir) -> Path     # writes carecert-u01-v1-scorm2004.zip
    build_package_bytes(unit, scorm_version) -> bytes        # deterministic zip bytes
    package_files(unit, scorm_version) -> dict[str, bytes]   # the files before zipping
    package_identifier(unit) -> str                          # "carecert-u01-v1"
    package_filename(unit, scorm_version) -> str
    check_unit(unit) -> None                                  # raises UnitError with every reason
    SCORM_VERSIONS = ("1.2", "2004")
"""

from scorm.builder.manifest import package_identifier
from scorm.builder.package import (
    SCORM_VERSIONS,
    build_package,
    build_package_bytes,
    package_filename,
    package_files,
)
from scorm.builder.unit import UnitError, check_unit

__all__ = [
    "SCORM_VERSIONS",
    "UnitError",
    "build_package",
    "build_package_bytes",
    "check_unit",
    "package_filename",
    "package_files",
    "package_identifier",
]
