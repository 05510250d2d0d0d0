"""Build one unit into a SCORM package: launch page, the SCO's scripts and styles, and the manifest."""

from __future__ import annotations

from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from scorm.builder.html_page import SCRIPT_FILES, STYLE_FILE, render_launch_page
from scorm.builder.manifest import manifest_12, manifest_2004, package_identifier
from scorm.builder.unit import check_unit
from scorm.builder.zipfile_writer import deterministic_zip

SCORM_VERSIONS = ("1.2", "2004")
ASSET_FILES = (*SCRIPT_FILES, STYLE_FILE)


def package_filename(unit: Mapping[str, Any], scorm_version: str) -> str:
    """``carecert-u01-v1-scorm2004.zip``: unit, content version and SCORM version in one stable name."""
    return f"{package_identifier(unit)}-scorm{scorm_version.replace('.', '')}.zip"


def _asset(name: str) -> bytes:
    return resources.files("scorm.builder.assets").joinpath(name).read_bytes()


def package_files(unit: Mapping[str, Any], scorm_version: str) -> dict[str, bytes]:
    """Every file of the package by its path inside the zip, manifest included."""
    if scorm_version not in SCORM_VERSIONS:
        raise ValueError(f"scorm_version must be one of {', '.join(SCORM_VERSIONS)}, got {scorm_version!r}")
    check_unit(unit)
    files = {name: _asset(name) for name in ASSET_FILES}
    files["index.html"] = render_launch_page(unit, scorm_version).encode("utf-8")
    write_manifest = manifest_12 if scorm_version == "1.2" else manifest_2004
    files["imsmanifest.xml"] = write_manifest(unit, list(files))
    return files


def build_package_bytes(unit: Mapping[str, Any], scorm_version: str) -> bytes:
    """The package as zip bytes; the same unit and version always give the same bytes."""
    return deterministic_zip(package_files(unit, scorm_version))


def build_package(unit: Mapping[str, Any], scorm_version: str, out_dir: str | Path) -> Path:
    """Write the unit's package into ``out_dir`` (created if missing) and return its path.

    Raises UnitError when the unit definition cannot be built, ValueError for an unknown SCORM version.
    """
    content = build_package_bytes(unit, scorm_version)
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / package_filename(unit, scorm_version)
    partial = target.with_name(target.name + ".part")
    partial.write_bytes(content)
    partial.replace(target)  # atomic on one file system: a reader never sees half a zip
    return target
