"""Reading manifest elements by namespace family, so every real-world namespace spelling works.

Exports use several URIs for the same vocabulary (``imscp_rootv1p1p2`` in 1.2, ``imscp_v1p1`` in 2004,
sometimes no namespace at all), so elements are matched by *family* and local name, not by exact URI.
"""

from __future__ import annotations

import functools

from lxml import etree

CP, ADLCP, IMSSS, ADLSEQ, ADLNAV, XML, OTHER = "cp", "adlcp", "imsss", "adlseq", "adlnav", "xml", "other"
XML_NS = "http://www.w3.org/XML/1998/namespace"


@functools.lru_cache(maxsize=256)
def family(namespace: str | None) -> str:
    """The vocabulary a namespace URI belongs to."""
    if not namespace:
        return CP
    lowered = namespace.lower()
    if namespace == XML_NS:
        return XML
    for marker, name in (("adlcp", ADLCP), ("imsss", IMSSS), ("adlseq", ADLSEQ), ("adlnav", ADLNAV)):
        if marker in lowered:
            return name
    if "imscp" in lowered or "imsproject.org/xsd/ims" in lowered or "imsglobal.org/xsd/imscp" in lowered:
        return CP
    return OTHER


def is_element(node: object) -> bool:
    return isinstance(node, etree._Element) and isinstance(node.tag, str)


def name_of(element: etree._Element) -> tuple[str, str]:
    tag = element.tag
    if tag[0] == "{":
        namespace, _, local = tag[1:].partition("}")
        return family(namespace), local
    return CP, tag


def children(element: etree._Element, fam: str, local: str) -> list[etree._Element]:
    return [c for c in element if is_element(c) and name_of(c) == (fam, local)]


def child(element: etree._Element, fam: str, local: str) -> etree._Element | None:
    found = children(element, fam, local)
    return found[0] if found else None


def child_text(element: etree._Element, fam: str, local: str) -> str | None:
    found = child(element, fam, local)
    if found is None:
        return None
    return (found.text or "").strip()


def attr(element: etree._Element, fam: str, local: str, *, any_case: bool = False) -> str | None:
    """An attribute by family and local name; unprefixed attributes belong to the element's own family."""
    own_family = name_of(element)[0]
    wanted = local.lower() if any_case else local
    for key, value in element.attrib.items():
        qname = etree.QName(key)
        attr_family = family(qname.namespace) if qname.namespace else own_family
        name = qname.localname.lower() if any_case else qname.localname
        if attr_family == fam and name == wanted:
            return value.strip()
    return None


def plain_attr(element: etree._Element, local: str) -> str | None:
    value = element.get(local)
    return value.strip() if value is not None else None


def xml_base(element: etree._Element) -> str | None:
    value = element.get(f"{{{XML_NS}}}base")
    return value.strip() if value is not None else None


def namespaces_in(root: etree._Element) -> set[str]:
    """Every namespace URI declared or used anywhere in the document (used for version detection)."""
    found: set[str] = set()
    for element in root.iter():
        if not is_element(element):
            continue
        found.update(uri for uri in element.nsmap.values() if uri)
        namespace = etree.QName(element).namespace
        if namespace:
            found.add(namespace)
    return found
