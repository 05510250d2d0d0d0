"""Read <resources>: SCO or asset, href, xml:base chain, files and dependencies."""

from __future__ import annotations

from lxml import etree

from scorm.manifest.launch import join_bases, package_path, resolve_href
from scorm.manifest.model import FileEntry, Resource
from scorm.manifest.values import ParseNotes
from scorm.manifest.xml_read import ADLCP, CP, attr, children, xml_base


def read_resources(resources_el: etree._Element | None, outer_base: str, notes: ParseNotes) -> list[Resource]:
    if resources_el is None:
        return []
    base = join_bases(outer_base, xml_base(resources_el))
    return [read_resource(r, base, notes) for r in children(resources_el, CP, "resource")]


def read_resource(el: etree._Element, outer_base: str, notes: ParseNotes) -> Resource:
    base = join_bases(outer_base, xml_base(el))
    scorm_type = attr(el, ADLCP, "scormtype", any_case=True)
    if scorm_type is not None:
        scorm_type = scorm_type.lower()
        if scorm_type not in ("sco", "asset"):
            notes.note("CP-071", f"adlcp:scormType={scorm_type!r} is neither 'sco' nor 'asset'.", el)
    href = el.get("href")
    return Resource(
        identifier=(el.get("identifier") or "").strip(),
        type=(el.get("type") or "").strip(),
        scorm_type=scorm_type,
        href=href.strip() if href and href.strip() else None,
        base=base,
        files=[_file_entry(f, base) for f in children(el, CP, "file")],
        dependencies=[(d.get("identifierref") or "").strip() for d in children(el, CP, "dependency")],
        line=el.sourceline,
    )


def _file_entry(el: etree._Element, resource_base: str) -> FileEntry:
    href = (el.get("href") or "").strip()
    # A <file> may carry its own xml:base (CP 1.1.4 allows it on file too).
    base = join_bases(resource_base, xml_base(el))
    path = package_path(resolve_href(base, href)) if href else None
    return FileEntry(href=href, path=path or "", line=el.sourceline)
