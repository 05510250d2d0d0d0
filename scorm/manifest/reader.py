"""imsmanifest.xml bytes -> Manifest model (or the problem that stopped the reading)."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from scorm.manifest.items import SequencingReader, read_organization
from scorm.manifest.launch import launch_url, resolve_href
from scorm.manifest.model import Item, Manifest, Organization, Resource
from scorm.manifest.resources import read_resources
from scorm.manifest.sequencing_model import Sequencing
from scorm.manifest.sequencing_parse import Parts, build_sequencing, read_sequencing_parts
from scorm.manifest.values import ParseNotes
from scorm.manifest.version import detect_version
from scorm.manifest.xml_read import CP, IMSSS, child, child_text, children, namespaces_in, xml_base
from scorm.manifest.xml_source import ManifestXmlError, parse_manifest_xml
from scorm.problems import Problem


@dataclass
class ManifestReading:
    """The outcome of reading a manifest: the model (None if unreadable) and what went wrong on the way."""

    manifest: Manifest | None
    problems: list[Problem] = field(default_factory=list)
    schemaversion_status: str = ""


def read_manifest(data: bytes, source_name: str = "imsmanifest.xml") -> ManifestReading:
    """Parse manifest bytes safely into the model. Never raises for bad input."""
    try:
        root = parse_manifest_xml(data)
    except ManifestXmlError as exc:
        return ManifestReading(None, [exc.problem])
    notes = ParseNotes(source_name)
    manifest, status = build_manifest(root, notes)
    return ManifestReading(manifest, list(notes.problems), status)


def build_manifest(root: etree._Element, notes: ParseNotes) -> tuple[Manifest, str]:
    metadata = child(root, CP, "metadata")
    schemaversion = child_text(metadata, CP, "schemaversion") if metadata is not None else None
    namespaces = namespaces_in(root)
    finding = detect_version(schemaversion, namespaces, root)
    is_2004 = finding.version == "2004"

    collection = _sequencing_collection(root, notes) if is_2004 else {}
    read_sequencing = _sequencing_reader(collection, notes, is_2004)

    base = xml_base(root) or ""
    organizations_el = child(root, CP, "organizations")
    organizations = [
        read_organization(o, read_sequencing, notes) for o in _organization_elements(organizations_el)
    ]
    resources = read_resources(child(root, CP, "resources"), base, notes)
    sub_manifests = children(root, CP, "manifest")
    for sub in sub_manifests:
        resources += read_resources(child(sub, CP, "resources"), base + (xml_base(sub) or ""), notes)

    manifest = Manifest(
        identifier=(root.get("identifier") or "").strip(),
        version=finding.version,
        edition=finding.edition if is_2004 else None,
        version_evidence=finding.evidence,
        schemaversion=schemaversion,
        base=base,
        default_organization_ref=(organizations_el.get("default") or "").strip() or None
        if organizations_el is not None
        else None,
        organizations=organizations,
        resources=resources,
        sub_manifest_ids=[(s.get("identifier") or "").strip() for s in sub_manifests],
        namespaces=sorted(namespaces),
        organizations_line=organizations_el.sourceline if organizations_el is not None else None,
        line=root.sourceline,
    )
    _include_sub_manifest_organizations(manifest, sub_manifests, read_sequencing, notes)
    if not manifest.organizations:
        manifest.organizations = [_synthesised_organization(manifest, is_2004)]
    resolve_launches(manifest)
    manifest.notes = notes.problems
    return manifest, finding.schemaversion_status


def _organization_elements(organizations_el: etree._Element | None) -> list[etree._Element]:
    return children(organizations_el, CP, "organization") if organizations_el is not None else []


def _sequencing_collection(root: etree._Element, notes: ParseNotes) -> dict[str, Parts]:
    entries: dict[str, Parts] = {}
    collection_el = child(root, IMSSS, "sequencingCollection")
    if collection_el is None:
        return entries
    for entry in children(collection_el, IMSSS, "sequencing"):
        entry_id = (entry.get("ID") or "").strip()
        if not entry_id:
            notes.note("CP-074", "a sequencingCollection entry has no ID; nothing can refer to it.", entry)
            continue
        entries[entry_id] = read_sequencing_parts(entry, notes)
    return entries


def _sequencing_reader(collection: dict[str, Parts], notes: ParseNotes, is_2004: bool) -> SequencingReader:
    def read(element: etree._Element | None) -> Sequencing | None:
        if not is_2004:
            return None
        if element is None:
            return Sequencing()
        id_ref = (element.get("IDRef") or "").strip() or None
        entry = collection.get(id_ref) if id_ref else None
        if id_ref and entry is None:
            notes.note(
                "CP-047",
                f"sequencing IDRef {id_ref!r} names no entry of <imsss:sequencingCollection>.",
                element,
                error=True,
            )
        return build_sequencing(
            read_sequencing_parts(element, notes), entry, id_ref=id_ref, line=element.sourceline
        )

    return read


def _include_sub_manifest_organizations(
    manifest: Manifest,
    sub_manifests: list[etree._Element],
    read_sequencing: SequencingReader,
    notes: ParseNotes,
) -> None:
    """An item whose identifierref names a sub-manifest takes that manifest's default organisation's items."""
    by_id = {(s.get("identifier") or "").strip(): s for s in sub_manifests}
    if not by_id:
        return
    for org in manifest.organizations:
        for item in org.all_items():
            sub = by_id.get(item.identifierref or "")
            if sub is None:
                continue
            orgs_el = child(sub, CP, "organizations")
            sub_orgs = [read_organization(o, read_sequencing, notes) for o in _organization_elements(orgs_el)]
            default = (orgs_el.get("default") or "").strip() if orgs_el is not None else ""
            chosen = next((o for o in sub_orgs if o.identifier == default), sub_orgs[0] if sub_orgs else None)
            if chosen is not None:
                item.children.extend(chosen.items)
                item.identifierref = None


def _synthesised_organization(manifest: Manifest, is_2004: bool) -> Organization:
    """For <organizations/> with none inside: one item per SCO, as Moodle and SCORM Cloud do."""
    items = [
        Item(
            identifier=f"synthesised_item_{r.identifier}",
            title=r.identifier,
            identifierref=r.identifier,
            line=r.line,
            sequencing=Sequencing() if is_2004 else None,
        )
        for r in manifest.resources
        if r.is_sco
    ]
    return Organization(
        identifier="synthesised_organization",
        title=manifest.identifier or "Untitled package",
        items=items,
        synthesised=True,
        sequencing=Sequencing() if is_2004 else None,
    )


def resolve_launches(manifest: Manifest) -> None:
    by_id: dict[str, Resource] = {}
    for resource in manifest.resources:
        by_id.setdefault(resource.identifier, resource)
    for org in manifest.organizations:
        for item in org.all_items():
            resource = by_id.get(item.identifierref or "")
            # SCORM 2004: a cluster (an item with children) is never launched, even if it names a resource.
            if resource is None or (manifest.version == "2004" and item.children):
                continue
            item.resource_scorm_type = resource.scorm_type or "asset"
            if resource.href:
                item.launch = launch_url(resolve_href(resource.base, resource.href), item.parameters)


def item_resource(manifest: Manifest, item: Item) -> Resource | None:
    return manifest.resource(item.identifierref)
