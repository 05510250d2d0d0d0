"""inspect_package: open, find the manifest, read it, validate it; a report, never an exception."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

from scorm.inspect.report import PackageReport
from scorm.manifest import read_manifest
from scorm.manifest.xml_source import MAX_MANIFEST_BYTES
from scorm.package import Limits, PackageSource, open_package
from scorm.problems import PackageRefused, Problem, Severity
from scorm.validation import check_layout, validate

# Called with (bytes checked so far, total bytes) while every file is read back.
ProgressCallback = Callable[[int, int], None]
_CHUNK = 1024 * 1024
# What reading a damaged or hostile entry can raise; each becomes a CP-080 problem.
_READ_ERRORS = (PackageRefused, OSError, zipfile.BadZipFile, zlib.error, EOFError, ValueError, KeyError)


def inspect_package(
    path: str | Path,
    limits: Limits | None = None,
    strict: bool = False,
    xsd_dir: str | Path | None = None,
    *,
    check_files: bool = False,
    on_progress: ProgressCallback | None = None,
) -> PackageReport:
    """Everything about a package in one call. A refused package is a report with importable False.

    `check_files` reads every file back (zip CRCs, limits while decompressing), reporting progress to
    `on_progress`; without it only names and the manifest are read, which is fast for any size.
    """
    report = PackageReport(source=str(path))
    try:
        source = open_package(path, limits) if limits is not None else open_package(path)
    except PackageRefused as refused:
        report.problems.extend(refused.problems)
        return report
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        report.problems.append(Problem("CP-007", Severity.ERROR, f"the package cannot be opened: {exc}"))
        return report
    with source:
        _inspect_open_package(source, report, strict, xsd_dir)
        if check_files and report.manifest is not None:
            report.problems.extend(read_every_file(source, on_progress))
    return report


def _inspect_open_package(
    source: PackageSource, report: PackageReport, strict: bool, xsd_dir: str | Path | None
) -> None:
    names = source.names()
    report.file_count = len(names)
    report.total_bytes = sum(source.size(name) for name in names)
    report.problems.extend(source.warnings())
    layout = check_layout(names)
    report.problems.extend(layout.problems)
    if layout.manifest_name is None:
        return
    if source.size(layout.manifest_name) > MAX_MANIFEST_BYTES:
        report.problems.append(
            Problem(
                "CP-013",
                Severity.ERROR,
                "imsmanifest.xml is too large to be a manifest.",
                layout.manifest_name,
            )
        )
        return
    try:
        manifest_xml = source.read(layout.manifest_name)
    except _READ_ERRORS as exc:
        report.problems.append(_unreadable(layout.manifest_name, exc))
        return
    reading = read_manifest(manifest_xml, layout.manifest_name)
    if reading.manifest is None:
        report.problems.extend(reading.problems)
        return
    report.manifest = reading.manifest
    report.problems.extend(
        validate(
            reading.manifest,
            names,
            strict=strict,
            xsd_dir=xsd_dir,
            manifest_xml=manifest_xml,
            manifest_name=layout.manifest_name,
        )
    )


def read_every_file(source: PackageSource, on_progress: ProgressCallback | None = None) -> list[Problem]:
    """Read each file to the end so damaged entries are found now, not when a learner opens them."""
    names = source.names()
    total = sum(source.size(name) for name in names)
    done = 0
    problems: list[Problem] = []
    for name in names:
        try:
            with source.open(name) as stream:
                while chunk := stream.read(_CHUNK):
                    done += len(chunk)
                    if on_progress:
                        on_progress(done, total)
        except _READ_ERRORS as exc:
            problems.append(_unreadable(name, exc))
    if on_progress:
        on_progress(total, total)
    return problems


def _unreadable(name: str, exc: BaseException) -> Problem:
    if isinstance(exc, PackageRefused) and exc.problems:
        first = exc.problems[0]
        return Problem(first.code, first.severity, first.message, first.location or name)
    return Problem("CP-080", Severity.ERROR, f"the file cannot be read from the package ({exc}).", name)
