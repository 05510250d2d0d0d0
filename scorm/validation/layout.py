"""Package-level checks made from file names alone: where the manifest is, or what the package is instead.

Run before the manifest is read. When there is no manifest at the root, exactly one explanation is
given, the most specific that fits: a manifest one folder down (zipped a folder too high), an AICC
course, a cmi5 course, an xAPI (Tin Can) package, or simply no manifest.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from scorm.manifest import MANIFEST_NAME
from scorm.problems import Problem, Severity

_AICC_SUFFIXES = (".crs", ".au", ".des", ".cst")


@dataclass
class Layout:
    manifest_name: str | None  # the root manifest's name in the package, None if there is none
    problems: list[Problem] = field(default_factory=list)


def check_layout(file_names: list[str]) -> Layout:
    root_manifest = _root_manifest(file_names)
    if root_manifest == MANIFEST_NAME:
        return Layout(root_manifest)
    if root_manifest is not None:
        return Layout(
            root_manifest,
            [
                Problem(
                    "CP-006",
                    Severity.WARNING,
                    f"the manifest is named {root_manifest!r}; SCORM requires 'imsmanifest.xml' in lower "
                    "case. It is used, but some LMSs will not find it.",
                    root_manifest,
                )
            ],
        )
    return Layout(None, [_explain_missing_manifest(file_names)])


def _root_manifest(file_names: list[str]) -> str | None:
    if MANIFEST_NAME in file_names:
        return MANIFEST_NAME
    return next((n for n in file_names if n.lower() == MANIFEST_NAME), None)


def _explain_missing_manifest(file_names: list[str]) -> Problem:
    lowered = [name.lower() for name in file_names]
    nested = sorted((n for n in file_names if posixpath.basename(n.lower()) == MANIFEST_NAME), key=len)
    if nested:
        folder = posixpath.dirname(nested[0])
        return Problem(
            "CP-002",
            Severity.ERROR,
            f"imsmanifest.xml is in the folder '{folder}/', not at the root of the package. The package was "
            f"zipped one folder too high: zip the contents of '{folder}/' instead.",
            nested[0],
        )
    aicc = [n for n, low in zip(file_names, lowered, strict=True) if low.endswith(_AICC_SUFFIXES)]
    if aicc:
        return Problem(
            "CP-003",
            Severity.ERROR,
            "this is an AICC course (it has AICC course files such as "
            f"{', '.join(sorted(aicc)[:4])}), not SCORM. Export the course as SCORM 1.2 or SCORM 2004.",
            sorted(aicc)[0],
        )
    if any(posixpath.basename(low) == "cmi5.xml" for low in lowered):
        return Problem(
            "CP-004",
            Severity.ERROR,
            "this is a cmi5 course (it has cmi5.xml), not SCORM. "
            "Export the course as SCORM 1.2 or SCORM 2004.",
            "cmi5.xml",
        )
    if any(posixpath.basename(low) == "tincan.xml" for low in lowered):
        return Problem(
            "CP-005",
            Severity.ERROR,
            "this is an xAPI (Tin Can) package (it has tincan.xml), not SCORM. "
            "Export the course as SCORM 1.2 or SCORM 2004.",
            "tincan.xml",
        )
    return Problem(
        "CP-001",
        Severity.ERROR,
        "the package has no imsmanifest.xml at its root, so it is not a SCORM package.",
        "",
    )
