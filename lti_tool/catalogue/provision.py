"""The built-in catalogue's packages in a data folder: found when already built, else built, checked by our
importer and extracted once, then shared read-only by every registration (attempts stay per registration).

Layout under ``DATA_DIR/catalogue/``::

    index/<unit>-scorm<version>-<source key>.json   what the unit file, as it is now, was built into
    packages/<content id>/                          the extracted package (content id: its zip's sha256)
    .lock                                           held while building: workers starting together build once

The source key hashes the unit file's bytes, the builder's own files and the SCORM version, so a changed unit
(or builder) is built again and an unchanged catalogue is found with a few file reads. The package folder is
named by the zip's hash instead, so a builder change that leaves the bytes alone keeps learners on the same
package. Crash safety: a package folder appears complete or not at all (``extract_to`` stages it and renames),
and its index entry is written (temporary file, fsync, rename) only once the folder is in place.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import scorm.builder
from lti_tool.catalogue.loader import UNIT_ID, UNITS_DIR, CatalogueError, load_unit

log = logging.getLogger(__name__)

CATALOGUE_FOLDER = "catalogue"
STORAGE_PREFIX = f"{CATALOGUE_FOLDER}/packages/"  # Package.storage_path of every catalogue package
SCORM_VERSIONS = ("2004", "1.2")
DEFAULT_SCORM_VERSION = "2004"
LOCK_TIMEOUT_SECONDS = 300.0
RECORD_FORMAT = 1


class ProvisionError(Exception):
    """The catalogue cannot be provisioned at all (bad setting, folder not writable, lock never free)."""


class PackageProblems(Exception):
    """Our own importer found problems in a package the builder made: it is not offered to anyone."""


@dataclass(frozen=True)
class ProvisionedPackage:
    """One catalogue unit's package, ready to play: where it is and what it holds."""

    unit_id: str
    title: str
    summary: str
    standards: tuple[int, ...]
    scorm_version: str  # "2004" or "1.2"
    content_id: str  # sha256 of the package zip
    storage_path: str  # relative to DATA_DIR, like Package.storage_path
    identifier: str  # the manifest identifier, e.g. carecert-u01-v1
    sco_count: int
    observation_required: bool
    source_key: str

    @property
    def ref(self) -> str:
        return f"catalogue:{self.unit_id}"

    def folder(self, data_dir: str | Path) -> Path:
        return Path(data_dir) / self.storage_path

    def to_json(self) -> dict[str, Any]:
        return {"format": RECORD_FORMAT, **asdict(self), "standards": list(self.standards)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ProvisionedPackage:
        fields = {name: data[name] for name in cls.__dataclass_fields__}
        return cls(**{**fields, "standards": tuple(int(n) for n in fields["standards"])})


@dataclass
class ProvisionOutcome:
    """What one provisioning run found, imported and could not provide (unit id → reason)."""

    packages: list[ProvisionedPackage] = field(default_factory=list)
    found: list[str] = field(default_factory=list)
    imported: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class UnitSource:
    unit_id: str
    path: Path
    data: bytes


def scorm_version_setting(value: Any) -> str:
    """The CATALOGUE_SCORM_VERSION setting as "2004" or "1.2"; ProvisionError names what is allowed."""
    text = str(value if value is not None else "").strip() or DEFAULT_SCORM_VERSION
    if text not in SCORM_VERSIONS:
        raise ProvisionError(f"CATALOGUE_SCORM_VERSION must be 2004 or 1.2, not {text!r}")
    return text


@cache
def builder_fingerprint() -> str:
    """A hash of the builder's source and assets: the builder's version, without anyone bumping a number."""
    root = Path(scorm.builder.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def unit_sources(units_dir: Path | None = None) -> list[UnitSource]:
    folder = units_dir or UNITS_DIR
    files = sorted(path for path in folder.glob("u*.yaml") if UNIT_ID.match(path.stem))
    return [UnitSource(path.stem, path, path.read_bytes()) for path in files]


def source_key(source: UnitSource, scorm_version: str) -> str:
    digest = hashlib.sha256()
    for part in (b"carecert-catalogue", source.data, builder_fingerprint().encode(), scorm_version.encode()):
        digest.update(hashlib.sha256(part).digest())
    return digest.hexdigest()[:32]


def _store(data_dir: str | Path) -> Path:
    return Path(data_dir) / CATALOGUE_FOLDER


def _index_path(store: Path, source: UnitSource, scorm_version: str) -> Path:
    version = scorm_version.replace(".", "")
    return store / "index" / f"{source.unit_id}-scorm{version}-{source_key(source, scorm_version)}.json"


def _read_record(store: Path, source: UnitSource, scorm_version: str) -> ProvisionedPackage | None:
    """The unit's package when its index entry and its folder are both there, else None (build it)."""
    try:
        record = ProvisionedPackage.from_json(
            json.loads(_index_path(store, source, scorm_version).read_text())
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None  # absent, or unreadable: building again replaces it
    if not (store.parent / record.storage_path / "imsmanifest.xml").is_file():
        return None  # the folder was removed by hand: build it again
    return record


def find_provisioned(
    data_dir: str | Path,
    unit_id: str,
    scorm_version: str = DEFAULT_SCORM_VERSION,
    units_dir: Path | None = None,
) -> ProvisionedPackage | None:
    """The unit's provisioned package for the catalogue as it is now, without building anything."""
    source = next((s for s in unit_sources(units_dir) if s.unit_id == unit_id), None)
    return None if source is None else _read_record(_store(data_dir), source, scorm_version)


def provision_catalogue(
    data_dir: str | Path,
    scorm_version: str = DEFAULT_SCORM_VERSION,
    units_dir: Path | None = None,
    only: list[str] | None = None,
) -> ProvisionOutcome:
    """Find or build every catalogue unit's package in ``data_dir`` (or the units named in ``only``).

    A unit that cannot be built is reported in ``failed`` and the others are still provided.
    """
    version = scorm_version_setting(scorm_version)
    store = _store(data_dir)
    sources = [s for s in unit_sources(units_dir) if only is None or s.unit_id in only]
    outcome = ProvisionOutcome()
    found = {s.unit_id: _read_record(store, s, version) for s in sources}
    missing = [s for s in sources if found[s.unit_id] is None]
    if missing:
        with _store_lock(store):
            _remove_leftovers(store)
            try:
                for source in missing:
                    # Another process may have built it while this one waited for the lock.
                    found[source.unit_id] = _read_record(store, source, version)
                    if found[source.unit_id] is None:
                        found[source.unit_id] = _provision_one(store, source, version, units_dir, outcome)
            finally:
                _remove_leftovers(store)
    for source in sources:
        record = found[source.unit_id]
        if record is not None:
            outcome.packages.append(record)
            if source.unit_id not in outcome.imported:
                outcome.found.append(source.unit_id)
    return outcome


def _provision_one(
    store: Path, source: UnitSource, version: str, units_dir: Path | None, outcome: ProvisionOutcome
) -> ProvisionedPackage | None:
    try:
        record = _build_and_import(store, source, version, units_dir)
    except (CatalogueError, scorm.builder.UnitError, PackageProblems) as error:
        outcome.failed[source.unit_id] = str(error)
        log.error("catalogue unit %s cannot be provided: %s", source.unit_id, error)
        return None
    except OSError as error:
        outcome.failed[source.unit_id] = f"cannot write the package: {error.strerror or error}"
        log.error("catalogue unit %s cannot be written under %s: %s", source.unit_id, store, error)
        return None
    outcome.imported.append(source.unit_id)
    log.debug("catalogue unit %s: SCORM %s package %s", source.unit_id, version, record.content_id[:12])
    return record


# Built zips by source key, for this process: a test run (or a second data folder) skips the build.
_built: dict[str, tuple[bytes, dict[str, Any]]] = {}
_built_lock = threading.Lock()
build_count = 0  # packages built by this process (read by tests: an unchanged catalogue builds nothing)


def _built_package(source: UnitSource, version: str, units_dir: Path | None) -> tuple[bytes, dict[str, Any]]:
    global build_count
    key = source_key(source, version)
    with _built_lock:
        if key in _built:
            return _built[key]
    unit = load_unit(source.unit_id, units_dir)
    zip_bytes = scorm.builder.build_package_bytes(unit, version)
    facts = {
        "unit_id": unit["id"],
        "title": unit["title"],
        "summary": unit.get("summary") or "",
        "standards": tuple(unit.get("standards") or ()),
        "identifier": scorm.builder.package_identifier(unit),
        "observation_required": bool((unit.get("observation") or {}).get("required")),
    }
    with _built_lock:
        _built[key] = (zip_bytes, facts)
        build_count += 1
    return zip_bytes, facts


def _build_and_import(
    store: Path, source: UnitSource, version: str, units_dir: Path | None
) -> ProvisionedPackage:
    from scorm.inspect import inspect_package
    from scorm.package import open_package

    zip_bytes, facts = _built_package(source, version, units_dir)
    content_id = hashlib.sha256(zip_bytes).hexdigest()
    storage_path = STORAGE_PREFIX + content_id[:32]
    (store / "work").mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=store / "work", suffix=".zip") as upload:
        upload.write(zip_bytes)
        upload.flush()
        # The same safe path as an instructor's upload: our importer must accept it with nothing to say.
        report = inspect_package(upload.name)
        if not report.importable or report.problems:
            listed = "; ".join(f"{p.code} {p.message}" for p in report.problems)
            raise PackageProblems(f"our importer does not accept the built package: {listed}")
        destination = store.parent / storage_path
        try:
            with open_package(upload.name) as package:
                package.extract_to(destination)
        except FileExistsError:
            pass  # the same bytes were imported before (another SCORM setting or unit file version)
    record = ProvisionedPackage(
        **facts,
        scorm_version=version,
        content_id=content_id,
        storage_path=storage_path,
        sco_count=len(report.scos),
        source_key=source_key(source, version),
    )
    _write_atomically(_index_path(store, source, version), json.dumps(record.to_json(), indent=1))
    return record


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, suffix=".part", delete=False) as out:
        out.write(text)
        out.flush()
        os.fsync(out.fileno())
    os.replace(out.name, path)


def _remove_leftovers(store: Path) -> None:
    """What a crash halfway left behind: partial extractions, zips and index entries being written.

    Only a process holding the lock writes these, so whatever exists when the lock is taken is dead.
    """
    shutil.rmtree(store / "work", ignore_errors=True)
    for pattern, folder in (("*.partial", store / "packages"), ("*.part", store / "index")):
        for leftover in folder.glob(pattern) if folder.is_dir() else ():
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)


@contextmanager
def _store_lock(store: Path, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """An exclusive lock on the store across processes (flock: released by the kernel if a holder dies)."""
    try:
        store.mkdir(parents=True, exist_ok=True)
        handle = open(store / ".lock", "a+b")  # noqa: SIM115 - held across the yield
    except OSError as error:
        raise ProvisionError(f"cannot use the catalogue folder {store}: {error.strerror or error}") from error
    deadline = time.monotonic() + timeout
    try:
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() > deadline:
                    raise ProvisionError(
                        f"the catalogue folder {store} stayed locked by another process for {timeout:.0f} s"
                    ) from error
                time.sleep(0.05)
        yield
    finally:
        handle.close()  # closing the file releases the lock
