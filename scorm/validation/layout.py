"""Package-level checks made from file names alone: where the manifest is, or what the package is instead.

Run before the manifest is read. When there is no manifest at the root, exactly one explanation is
given: the first of LAYOUT_RULES that recognises the package (most specific first): a manifest one
folder down (zipped a folder too high), an AICC course, a cmi5 course, an xAPI (Tin Can) package;
CP-001 when none of them does.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field

from scorm.manifest import MANIFEST_NAME
from scorm.problems import Problem, Severity

_AICC_SUFFIXES = (".crs", ".au", ".des", ".cst")
_EXPORT_AGAIN = "Export the course as SCORM 1.2 or SCORM 2004."

LayoutRule = Callable[[list[str]], Problem | None]


@dataclass
class Layout:
    manifest_name: str | None  # the root manifest's name in the package, None if there is none
    problems: list[Problem] = field(default_factory=list)


def check_layout(file_names: list[str]) -> Layout:
    root_manifest = _root_manifest(file_names)
    if root_manifest == MANIFEST_NAME:
        return Layout(root_manifest)
    if root_manifest is not None:
        return Layout(root_manifest, [_wrong_case(root_manifest)])
    explanation = next((p for p in (rule(file_names) for rule in LAYOUT_RULES) if p is not None), None)
    return Layout(None, [explanation or _no_manifest()])


def _root_manifest(file_names: list[str]) -> str | None:
    if MANIFEST_NAME in file_names:
        return MANIFEST_NAME
    return next((n for n in file_names if n.lower() == MANIFEST_NAME), None)


def _wrong_case(name: str) -> Problem:
    return Problem(
        "CP-006",
        Severity.WARNING,
        f"the manifest is named {name!r}; SCORM requires 'imsmanifest.xml' in lower case. "
        "It is used, but some LMSs will not find it.",
        name,
    )


def _no_manifest() -> Problem:
    return Problem(
        "CP-001",
        Severity.ERROR,
        "the package has no imsmanifest.xml at its root, so it is not a SCORM package.",
    )


def manifest_in_subfolder(file_names: list[str]) -> Problem | None:
    nested = sorted((n for n in file_names if posixpath.basename(n.lower()) == MANIFEST_NAME), key=len)
    if not nested:
        return None
    folder = posixpath.dirname(nested[0])
    return Problem(
        "CP-002",
        Severity.ERROR,
        f"imsmanifest.xml is in the folder '{folder}/', not at the root of the package. The package was "
        f"zipped one folder too high: zip the contents of '{folder}/' instead.",
        nested[0],
    )


def aicc_course(file_names: list[str]) -> Problem | None:
    aicc = sorted(n for n in file_names if n.lower().endswith(_AICC_SUFFIXES))
    if not aicc:
        return None
    return Problem(
        "CP-003",
        Severity.ERROR,
        f"this is an AICC course (it has AICC course files such as {', '.join(aicc[:4])}), not SCORM. "
        + _EXPORT_AGAIN,
        aicc[0],
    )


def cmi5_course(file_names: list[str]) -> Problem | None:
    found = [n for n in file_names if posixpath.basename(n.lower()) == "cmi5.xml"]
    if not found:
        return None
    return Problem(
        "CP-004",
        Severity.ERROR,
        f"this is a cmi5 course (it has cmi5.xml), not SCORM. {_EXPORT_AGAIN}",
        found[0],
    )


def xapi_package(file_names: list[str]) -> Problem | None:
    found = [n for n in file_names if posixpath.basename(n.lower()) == "tincan.xml"]
    if not found:
        return None
    return Problem(
        "CP-005",
        Severity.ERROR,
        f"this is an xAPI (Tin Can) package (it has tincan.xml), not SCORM. {_EXPORT_AGAIN}",
        found[0],
    )


LAYOUT_RULES: list[LayoutRule] = [manifest_in_subfolder, aicc_course, cmi5_course, xapi_package]
