"""Optional strict validation of imsmanifest.xml against the IMS/ADL XML schemas (XSD).

The schema folder is given by the caller (the schemas are not shipped in the repository). Imports
between the schemas are relative; a resolver serves files from that folder only, and the parser has
no network access, so validation never reaches outside the folder.
"""

from __future__ import annotations

import functools
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from scorm.manifest.xml_source import ManifestXmlError, parse_manifest_xml
from scorm.problems import Problem, Severity

MAX_REPORTED_ERRORS = 20

# Namespace -> schema file, for SCORM 2004 (all editions share these namespaces) and SCORM 1.2.
SCHEMAS = {
    "2004": {
        "http://www.imsglobal.org/xsd/imscp_v1p1": "imscp_v1p1.xsd",
        "http://www.adlnet.org/xsd/adlcp_v1p3": "adlcp_v1p3.xsd",
        "http://www.adlnet.org/xsd/adlseq_v1p3": "adlseq_v1p3.xsd",
        "http://www.adlnet.org/xsd/adlnav_v1p3": "adlnav_v1p3.xsd",
        "http://www.imsglobal.org/xsd/imsss": "imsss_v1p0.xsd",
    },
    "1.2": {
        "http://www.imsproject.org/xsd/imscp_rootv1p1p2": "imscp_rootv1p1p2.xsd",
        "http://www.adlnet.org/xsd/adlcp_rootv1p2": "adlcp_rootv1p2.xsd",
    },
}
_XML_XSD_URL = "http://www.w3.org/2001/xml.xsd"


class _FolderOnlyResolver(etree.Resolver):
    def __init__(self, folder: Path):
        super().__init__()
        self.folder = folder

    def resolve(self, url: str, pubid: str | None, context: object) -> object:
        if url == _XML_XSD_URL or url.endswith("/xml.xsd"):
            return self.resolve_filename(str(self.folder / "xml.xsd"), context)
        parts = urlsplit(url)
        if parts.scheme not in ("", "file"):
            return self.resolve_string("", context)  # never the network: an empty document fails cleanly
        path = Path(unquote(parts.path)).resolve()
        if path.is_relative_to(self.folder) and path.is_file():
            return self.resolve_filename(str(path), context)
        return self.resolve_string("", context)


class SchemaUnavailable(Exception):
    pass


@functools.lru_cache(maxsize=4)
def load_schema(folder: str, version: str) -> etree.XMLSchema:
    """Compile the schema set for a SCORM version from a folder (cached per folder and version)."""
    root = Path(folder).resolve()
    files = SCHEMAS[version]
    missing = [name for name in files.values() if not (root / name).is_file()]
    if missing:
        raise SchemaUnavailable(f"the schema folder {folder} has no {', '.join(missing)}")
    imports = "".join(f'<xs:import namespace="{ns}" schemaLocation="{name}"/>' for ns, name in files.items())
    driver = (
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:carecert:driver">'
        f"{imports}</xs:schema>"
    )
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    parser.resolvers.add(_FolderOnlyResolver(root))
    try:
        document = etree.fromstring(driver.encode(), parser=parser, base_url=str(root / "driver.xsd"))
        return etree.XMLSchema(document)
    except (etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
        raise SchemaUnavailable(f"the schemas in {folder} cannot be compiled: {exc}") from exc


def validate_against_xsd(
    manifest_xml: bytes | None, version: str | None, xsd_dir: str | Path | None
) -> list[Problem]:
    """CP-050 for each schema violation (with its line); CP-051 when the check cannot be made."""
    if manifest_xml is None or version not in SCHEMAS:
        return [_unavailable("strict check skipped: the manifest or its SCORM version is unknown.")]
    if xsd_dir is None or not Path(xsd_dir).is_dir():
        return [_unavailable(f"strict check skipped: schema folder {xsd_dir!s} not found.")]
    try:
        schema = load_schema(str(Path(xsd_dir).resolve()), version)
    except SchemaUnavailable as exc:
        return [_unavailable(f"strict check skipped: {exc}.")]
    try:
        root = parse_manifest_xml(manifest_xml)
    except ManifestXmlError as exc:
        return [exc.problem]
    if schema.validate(root.getroottree()):
        return []
    errors = list(schema.error_log)
    problems = [
        Problem("CP-050", Severity.ERROR, f"schema: {e.message}", f"imsmanifest.xml:{e.line}")
        for e in errors[:MAX_REPORTED_ERRORS]
    ]
    if len(errors) > MAX_REPORTED_ERRORS:
        more = len(errors) - MAX_REPORTED_ERRORS
        problems.append(
            Problem("CP-050", Severity.ERROR, f"schema: {more} more violations", "imsmanifest.xml")
        )
    return problems


def _unavailable(message: str) -> Problem:
    return Problem("CP-051", Severity.WARNING, message, "imsmanifest.xml")
