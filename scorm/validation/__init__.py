"""Validation of SCORM packages: small rules with stable codes (documented in CODES.md).

check_layout(file_names) -> Layout(manifest_name | None, problems)     # before the manifest is read
validate(manifest, file_names, *, strict=False, xsd_dir=None, manifest_xml=None) -> list[Problem]
RULES: every registered manifest rule (code, severity, summary)
"""

from __future__ import annotations

from pathlib import Path

from scorm.manifest import Manifest
from scorm.problems import Problem
from scorm.validation import (  # noqa: F401 - importing registers the rules
    rules_resources,
    rules_sequencing,
    rules_structure,
)
from scorm.validation.context import ManifestContext
from scorm.validation.layout import Layout, check_layout
from scorm.validation.registry import MANIFEST_RULES, Rule
from scorm.validation.xsd import validate_against_xsd

RULES: list[Rule] = sorted(MANIFEST_RULES, key=lambda r: r.code)


def validate(
    manifest: Manifest,
    file_names: list[str],
    *,
    strict: bool = False,
    xsd_dir: str | Path | None = None,
    manifest_xml: bytes | None = None,
    manifest_name: str = "imsmanifest.xml",
) -> list[Problem]:
    """Every problem of a parsed manifest against the package's files; never raises for bad content."""
    context = ManifestContext(manifest, list(file_names), manifest_name)
    problems = list(manifest.notes)
    for registered in RULES:
        problems.extend(registered.run(context))
    if strict:
        problems.extend(validate_against_xsd(manifest_xml, manifest.version, xsd_dir))
    return problems


__all__ = ["RULES", "Layout", "Rule", "check_layout", "validate", "validate_against_xsd"]
