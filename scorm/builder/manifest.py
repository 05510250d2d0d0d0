"""Write imsmanifest.xml for one unit as a single-SCO package, in SCORM 1.2 or SCORM 2004 4th Edition form.

SCORM 1.2: IMS CP 1.1.2 with the ADL 1.2 extensions (CAM 1.2 section 2.3); the pass mark goes into
``adlcp:masteryscore`` so the LMS hands it to the SCO as ``cmi.student_data.mastery_score``.
SCORM 2004 4th Edition: IMS CP 1.1.4 with ADL CP/SEQ/NAV and IMS SS (CAM 4th ed. 3.4, SN 5); the pass mark is
the primary objective's ``minNormalizedMeasure`` with ``satisfiedByMeasure`` (the LMS hands it to the SCO as
``cmi.scaled_passing_score``), and every learning outcome is an objective with the same threshold.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from lxml import etree

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANGUAGE = "en-GB"

NS_12 = {
    None: "http://www.imsproject.org/xsd/imscp_rootv1p1p2",
    "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2",
    "imsmd": "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1",
    "xsi": XSI,
}
SCHEMA_FILES_12 = {
    NS_12[None]: "imscp_rootv1p1p2.xsd",
    NS_12["imsmd"]: "imsmd_rootv1p2p1.xsd",
    NS_12["adlcp"]: "adlcp_rootv1p2.xsd",
}
NS_2004 = {
    None: "http://www.imsglobal.org/xsd/imscp_v1p1",
    "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
    "adlseq": "http://www.adlnet.org/xsd/adlseq_v1p3",
    "adlnav": "http://www.adlnet.org/xsd/adlnav_v1p3",
    "imsss": "http://www.imsglobal.org/xsd/imsss",
    "lom": "http://ltsc.ieee.org/xsd/LOM",
    "xsi": XSI,
}
SCHEMA_FILES_2004 = {
    NS_2004[None]: "imscp_v1p1.xsd",
    NS_2004["adlcp"]: "adlcp_v1p3.xsd",
    NS_2004["adlseq"]: "adlseq_v1p3.xsd",
    NS_2004["adlnav"]: "adlnav_v1p3.xsd",
    NS_2004["imsss"]: "imsss_v1p0.xsd",
    NS_2004["lom"]: "lom.xsd",
}


def package_identifier(unit: Mapping[str, Any]) -> str:
    """The manifest identifier, stable per unit content version, e.g. ``carecert-u01-v1``."""
    return f"carecert-{unit['id']}-v{unit['version']}"


def _el(
    parent: etree._Element, ns: Mapping[str | None, str], tag: str, text: str | None = None, **attributes: str
) -> etree._Element:
    prefix, _, local = tag.rpartition(":")
    element = etree.SubElement(parent, f"{{{ns[prefix or None]}}}{local}")
    for name, value in attributes.items():
        a_prefix, _, a_local = name.partition("__")
        element.set(f"{{{ns[a_prefix]}}}{a_local}" if a_local else a_prefix, value)
    if text is not None:
        element.text = text
    return element


def _root(
    ns: Mapping[str | None, str], schema_files: Mapping[str, str], unit: Mapping[str, Any]
) -> etree._Element:
    root = etree.Element(f"{{{ns[None]}}}manifest", nsmap=dict(ns))
    root.set("identifier", package_identifier(unit))
    root.set("version", str(unit["version"]))
    root.set(f"{{{XSI}}}schemaLocation", " ".join(f"{uri} {name}" for uri, name in schema_files.items()))
    return root


def _serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _resources(
    root: etree._Element,
    ns: Mapping[str | None, str],
    unit: Mapping[str, Any],
    files: Iterable[str],
    scorm_type_attribute: str,
) -> None:
    resources = _el(root, ns, "resources")
    resource = _el(
        resources,
        ns,
        "resource",
        identifier=f"{package_identifier(unit)}-sco",
        type="webcontent",
        href="index.html",
        **{scorm_type_attribute: "sco"},
    )
    for name in sorted(files):
        _el(resource, ns, "file", href=name)


def manifest_12(unit: Mapping[str, Any], files: Iterable[str]) -> bytes:
    ns, ident = NS_12, package_identifier(unit)
    root = _root(ns, SCHEMA_FILES_12, unit)
    metadata = _el(root, ns, "metadata")
    _el(metadata, ns, "schema", "ADL SCORM")
    _el(metadata, ns, "schemaversion", "1.2")
    general = _el(_el(metadata, ns, "imsmd:lom"), ns, "imsmd:general")
    _el(_el(general, ns, "imsmd:title"), ns, "imsmd:langstring", unit["title"]).set(XML_LANG, LANGUAGE)
    _el(general, ns, "imsmd:language", LANGUAGE)
    _el(_el(general, ns, "imsmd:description"), ns, "imsmd:langstring", unit["summary"]).set(
        XML_LANG, LANGUAGE
    )
    organizations = _el(root, ns, "organizations", default=f"{ident}-org")
    organization = _el(organizations, ns, "organization", identifier=f"{ident}-org")
    _el(organization, ns, "title", unit["title"])
    item = _el(
        organization, ns, "item", identifier=f"{ident}-item", identifierref=f"{ident}-sco", isvisible="true"
    )
    _el(item, ns, "title", unit["title"])
    # CAM 1.2 2.3.5.2: masteryscore is an integer 0-100; a fractional pass mark rounds up, never easier.
    _el(item, ns, "adlcp:masteryscore", str(_whole_percent(unit["assessment"]["pass_mark"])))
    _resources(root, ns, unit, files, "adlcp__scormtype")
    return _serialise(root)


def _whole_percent(value: float) -> int:
    whole = int(value)
    return whole if whole == value else whole + 1


def _measure(pass_mark: float) -> str:
    return f"{pass_mark / 100:.4f}"


def manifest_2004(unit: Mapping[str, Any], files: Iterable[str]) -> bytes:
    ns, ident = NS_2004, package_identifier(unit)
    root = _root(ns, SCHEMA_FILES_2004, unit)
    metadata = _el(root, ns, "metadata")
    _el(metadata, ns, "schema", "ADL SCORM")
    _el(metadata, ns, "schemaversion", "2004 4th Edition")
    _lom_2004(metadata, unit)
    organizations = _el(root, ns, "organizations", default=f"{ident}-org")
    organization = _el(organizations, ns, "organization", identifier=f"{ident}-org")
    _el(organization, ns, "title", unit["title"])
    item = _el(organization, ns, "item", identifier=f"{ident}-item", identifierref=f"{ident}-sco")
    _el(item, ns, "title", unit["title"])
    _item_sequencing(item, unit)
    # Flow and choice on the organization so an LMS lets the learner start the one SCO from its menu.
    _el(_el(organization, ns, "imsss:sequencing"), ns, "imsss:controlMode", choice="true", flow="true")
    _resources(root, ns, unit, files, "adlcp__scormType")
    return _serialise(root)


def _item_sequencing(item: etree._Element, unit: Mapping[str, Any]) -> None:
    ns = NS_2004
    sequencing = _el(item, ns, "imsss:sequencing")
    objectives = _el(sequencing, ns, "imsss:objectives")
    threshold = _measure(unit["assessment"]["pass_mark"])
    primary = _el(
        objectives,
        ns,
        "imsss:primaryObjective",
        objectiveID=f"{package_identifier(unit)}-pass",
        satisfiedByMeasure="true",
    )
    _el(primary, ns, "imsss:minNormalizedMeasure", threshold)
    for outcome in unit["learning_outcomes"]:
        objective = _el(
            objectives, ns, "imsss:objective", objectiveID=outcome["id"], satisfiedByMeasure="true"
        )
        _el(objective, ns, "imsss:minNormalizedMeasure", threshold)
    # The SCO itself reports completion and success (SN 5.1.8); the LMS must not overwrite them on exit.
    _el(
        sequencing,
        ns,
        "imsss:deliveryControls",
        tracked="true",
        completionSetByContent="true",
        objectiveSetByContent="true",
    )


def _lom_2004(metadata: etree._Element, unit: Mapping[str, Any]) -> None:
    ns = NS_2004
    general = _el(_el(metadata, ns, "lom:lom"), ns, "lom:general")
    identifier = _el(general, ns, "lom:identifier")
    _el(identifier, ns, "lom:catalog", "carecert-lti")
    _el(identifier, ns, "lom:entry", package_identifier(unit))
    _el(_el(general, ns, "lom:title"), ns, "lom:string", unit["title"], language=LANGUAGE)
    _el(general, ns, "lom:language", LANGUAGE)
    _el(_el(general, ns, "lom:description"), ns, "lom:string", unit["summary"], language=LANGUAGE)
