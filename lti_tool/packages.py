"""Importing an uploaded SCORM package for one registration: inspect, refuse with reasons, or store it."""

from __future__ import annotations

import hashlib
import logging
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from sqlalchemy.orm import Session

from lti_tool.db.models import Package, Registration, User
from lti_tool.repo import packages as package_repo
from scorm.problems import PackageRefused, Problem, Severity

log = logging.getLogger(__name__)
CHUNK = 1024 * 1024
UNREADABLE = Problem(
    "TOOL-IMPORT-FAILED",
    Severity.ERROR,
    "The package could not be read. Check that it is a SCORM zip file, then upload it again.",
)


@dataclass
class ImportOutcome:
    package: Package | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def imported(self) -> bool:
        return self.package is not None


def _save_upload(stream: IO[bytes], folder: Path) -> tuple[Path, str]:
    folder.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".zip", delete=False) as out:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
    return Path(out.name), digest.hexdigest()


def import_package(
    session: Session,
    registration: Registration,
    data_dir: Path,
    stream: IO[bytes],
    filename: str,
    uploaded_by: User | None,
) -> ImportOutcome:
    """Inspect the upload with the scorm importer; store and record it when it is importable."""
    from scorm.inspect import inspect_package
    from scorm.package import open_package

    upload, sha256 = _save_upload(stream, data_dir / "uploads")
    try:
        try:
            report = inspect_package(upload)
        except PackageRefused as refused:
            return ImportOutcome(None, list(refused.problems))
        except Exception:  # an untrusted file must never become a server error
            log.exception("registration %s: inspecting %r failed", registration.id, filename)
            return ImportOutcome(None, [UNREADABLE])
        if not report.importable:
            return ImportOutcome(None, list(report.problems))
        relative = Path("packages") / f"reg{registration.id}" / sha256[:32]
        destination = data_dir / relative
        if not destination.exists():
            try:
                with open_package(upload) as source:
                    source.extract_to(destination)
            except FileExistsError:
                pass  # the same package, uploaded twice at once: the other upload's copy is complete
            except PackageRefused as refused:
                return ImportOutcome(None, list(refused.problems))
        package = package_repo.add_package(
            session,
            registration,
            title=(report.title or Path(filename).stem or "Untitled package")[:1024],
            scorm_version=str(report.version or "")[:32],
            original_filename=filename[:1024],
            sha256=sha256,
            storage_path=str(relative),
            sco_count=len(report.scos),
            warnings=[p.to_dict() for p in report.problems],
            uploaded_by_pk=uploaded_by.id if uploaded_by else None,
        )
        log.info("registration %s: imported package %s (%s)", registration.id, package.id, package.title)
        return ImportOutcome(package, list(report.problems))
    finally:
        upload.unlink(missing_ok=True)


def remove_package_files(data_dir: Path, package: Package) -> None:
    shutil.rmtree(data_dir / package.storage_path, ignore_errors=True)
