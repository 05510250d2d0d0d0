"""Small manifests and packages built by tests: each test states only what it is about."""

from __future__ import annotations

import zipfile
from pathlib import Path

NS_2004 = (
    'xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" '
    'xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" '
    'xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3" '
    'xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3" '
    'xmlns:imsss="http://www.imsglobal.org/xsd/imsss"'
)
NS_12 = 'xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"'

DEFAULT_ITEMS = '<item identifier="item1" identifierref="res1"><title>Unit 1</title></item>'
DEFAULT_RESOURCES = (
    '<resource identifier="res1" type="webcontent" adlcp:scormType="sco" href="index.html">'
    '<file href="index.html"/></resource>'
)


def manifest_xml(
    *,
    version: str = "2004",
    schemaversion: str | None = "2004 4th Edition",
    items: str = DEFAULT_ITEMS,
    resources: str = DEFAULT_RESOURCES,
    organizations: str | None = None,
    extra: str = "",
    org_extra: str = "",
) -> bytes:
    """A manifest of the given version; pass fragments to replace the organisation or resources."""
    namespaces = NS_2004 if version == "2004" else NS_12
    if version == "1.2":
        resources = resources.replace("adlcp:scormType", "adlcp:scormtype")
        if schemaversion == "2004 4th Edition":
            schemaversion = "1.2"
    metadata = (
        f"<metadata><schema>ADL SCORM</schema><schemaversion>{schemaversion}</schemaversion></metadata>"
        if schemaversion is not None
        else ""
    )
    if organizations is None:
        organizations = (
            '<organizations default="org1"><organization identifier="org1"><title>Course</title>'
            f"{items}{org_extra}</organization></organizations>"
        )
    text = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<manifest identifier="m1" version="1" {namespaces}>\n'
        f"{metadata}\n{organizations}\n<resources>{resources}</resources>\n{extra}\n</manifest>\n"
    )
    return text.encode("utf-8")


def write_zip(path: Path, files: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return path
