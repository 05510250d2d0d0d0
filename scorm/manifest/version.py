"""Which SCORM a manifest is: metadata/schemaversion first, namespaces as evidence and fallback.

Decisions (documented in scorm/validation/CODES.md):
- "1.2" -> SCORM 1.2; "CAM 1.3" or "1.3" -> 2004 2nd Edition; "2004 3rd Edition" -> 3;
  "2004 4th Edition" -> 4.
- No (or an unrecognised) schemaversion: adlcp_rootv1p2 means 1.2; imscp_v1p1 with adlcp_v1p3, imsss, adlseq
  or adlnav means 2004. The edition then comes from features only one edition has (4th: adlcp:data,
  adlseq:objectives, completionThreshold attributes; 3rd: completionThreshold element text), otherwise
  the 3rd Edition: the most widely deployed, and its run-time is a superset of the 2nd's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from scorm.manifest.xml_read import ADLCP, ADLSEQ, is_element, name_of

_EXACT = {
    "1.2": ("1.2", None),
    "cam 1.3": ("2004", 2),
    "1.3": ("2004", 2),
    "2004 2nd edition": ("2004", 2),
    "2004 3rd edition": ("2004", 3),
    "2004 4th edition": ("2004", 4),
}


@dataclass(frozen=True)
class VersionFinding:
    version: str | None
    edition: int | None
    evidence: str
    schemaversion_status: str  # "recognised" | "missing" | "unrecognised" | "contradicted"


def from_schemaversion(text: str | None) -> tuple[str | None, int | None]:
    if not text:
        return None, None
    normal = re.sub(r"\s+", " ", text.strip().lower())
    if normal in _EXACT:
        return _EXACT[normal]
    match = re.fullmatch(r"(?:scorm )?2004 ?(2nd|3rd|4th)(?: edition| ed\.?)?", normal)
    if match:
        return "2004", int(match.group(1)[0])
    if normal in ("scorm 1.2", "1.2.0"):
        return "1.2", None
    return None, None


def from_namespaces(namespaces: set[str]) -> str | None:
    lowered = {ns.lower() for ns in namespaces}
    has_12 = any("adlcp_rootv1p2" in ns for ns in lowered)
    has_2004 = any(
        "adlcp_v1p3" in ns
        or "imsglobal.org/xsd/imsss" in ns
        or "adlseq" in ns
        or "adlnav" in ns
        or ns.endswith("imscp_v1p1")
        for ns in lowered
    )
    if has_12 and not has_2004:
        return "1.2"
    if has_2004 and not has_12:
        return "2004"
    if has_2004 and has_12:
        return "2004" if any("adlcp_v1p3" in ns for ns in lowered) else "1.2"
    return None


def edition_from_features(root: etree._Element) -> tuple[int, str]:
    for element in root.iter():
        if not is_element(element):
            continue
        fam, local = name_of(element)
        if (fam, local) in ((ADLCP, "data"), (ADLSEQ, "objectives")):
            return 4, f"<{local}> is a 4th Edition element"
        if (fam, local) == (ADLCP, "completionThreshold"):
            if any(
                k in element.attrib for k in ("completedByMeasure", "minProgressMeasure", "progressWeight")
            ):
                return 4, "completionThreshold attributes are 4th Edition"
            if (element.text or "").strip():
                return 3, "completionThreshold element text is 3rd Edition"
    return 3, "no edition-specific elements; 3rd Edition assumed"


def detect_version(schemaversion: str | None, namespaces: set[str], root: etree._Element) -> VersionFinding:
    declared_version, declared_edition = from_schemaversion(schemaversion)
    namespace_version = from_namespaces(namespaces)
    if declared_version:
        status = "recognised"
        if namespace_version and namespace_version != declared_version:
            status = "contradicted"
        return VersionFinding(declared_version, declared_edition, f'schemaversion "{schemaversion}"', status)
    status = "unrecognised" if schemaversion else "missing"
    if namespace_version == "1.2":
        return VersionFinding("1.2", None, "namespace adlcp_rootv1p2", status)
    if namespace_version == "2004":
        edition, why = edition_from_features(root)
        return VersionFinding("2004", edition, f"SCORM 2004 namespaces; {why}", status)
    return VersionFinding(None, None, "neither schemaversion nor namespaces identify a SCORM version", status)
