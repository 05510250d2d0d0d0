"""Parse imsmanifest.xml without trusting it: no network, no DTD loading, no entity expansion.

A manifest is read from an uploaded package, so the parser must never fetch a URL, read a local
file named by an external entity, or expand a "billion laughs" entity chain. Entity declarations
have no legitimate use in a SCORM manifest, so a DOCTYPE that declares any is refused outright.
"""

from __future__ import annotations

import re

from lxml import etree

from scorm.problems import Problem, Severity

MANIFEST_NAME = "imsmanifest.xml"
# Real manifests are kilobytes to a few megabytes (one <file> line per file); this bounds memory.
MAX_MANIFEST_BYTES = 32 * 1024 * 1024

# An entity declaration in any of the common encodings of "<!ENTITY" (UTF-8/ASCII, UTF-16 LE/BE).
_ENTITY_PATTERNS = (
    re.compile(rb"<!ENTITY", re.IGNORECASE),
    re.compile("<!ENTITY".encode("utf-16-le"), re.IGNORECASE),
    re.compile("<!ENTITY".encode("utf-16-be"), re.IGNORECASE),
)


class ManifestXmlError(Exception):
    """The manifest cannot be read as XML; carries the Problem to report."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


def _refuse(code: str, message: str, line: int | None = None) -> ManifestXmlError:
    location = f"{MANIFEST_NAME}:{line}" if line else MANIFEST_NAME
    return ManifestXmlError(Problem(code, Severity.ERROR, message, location))


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def parse_manifest_xml(data: bytes) -> etree._Element:
    """Return the root element of a manifest, or raise ManifestXmlError (codes CP-010…CP-013)."""
    if len(data) > MAX_MANIFEST_BYTES:
        raise _refuse(
            "CP-013",
            f"imsmanifest.xml is {len(data):,} bytes; manifests larger than {MAX_MANIFEST_BYTES:,} bytes "
            "are refused.",
        )
    if any(pattern.search(data) for pattern in _ENTITY_PATTERNS):
        raise _refuse(
            "CP-011",
            "imsmanifest.xml declares XML entities (<!ENTITY …>); they are refused because they can expand "
            "without bound or read other files. Remove the DOCTYPE.",
        )
    try:
        tree = etree.fromstring(data, parser=_safe_parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno and exc.lineno > 0 else None
        raise _refuse("CP-010", f"imsmanifest.xml is not well-formed XML: {exc.msg}", line) from exc
    except (ValueError, etree.LxmlError) as exc:  # e.g. an unknown encoding declaration
        raise _refuse("CP-010", f"imsmanifest.xml cannot be read as XML: {exc}") from exc
    _refuse_declared_entities(tree)
    root = tree.getroot()
    if not isinstance(root.tag, str) or etree.QName(root).localname != "manifest":
        raise _refuse(
            "CP-012",
            f"the root element of imsmanifest.xml is <{_plain_tag(root)}>, not <manifest>.",
            root.sourceline,
        )
    return root


def _refuse_declared_entities(tree: etree._ElementTree) -> None:
    # Second line of defence for encodings the byte scan above does not cover.
    dtd = tree.docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise _refuse(
            "CP-011",
            "imsmanifest.xml declares XML entities in its DOCTYPE; they are refused. Remove the DOCTYPE.",
        )


def _plain_tag(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else "?"
