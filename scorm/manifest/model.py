"""The manifest model: organisations, items, resources, with source lines for every problem's place."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from scorm.manifest.sequencing_model import Sequencing
from scorm.problems import Problem


@dataclass
class CompletionThreshold:
    """adlcp:completionThreshold: 3rd Ed. element text, or the 4th Ed. attributes."""

    completed_by_measure: bool = False
    min_progress_measure: float = 1.0
    progress_weight: float = 1.0


@dataclass
class SharedDataMap:
    """adlcp:data/adlcp:map (4th Ed.): a shared data bucket an activity reads and writes (adl.data)."""

    target_id: str
    read_shared_data: bool = True
    write_shared_data: bool = True


@dataclass
class FileEntry:
    href: str  # as written in the manifest
    path: str  # inside the package, after xml:base and percent-decoding ("" when it points outside)
    line: int | None = None


@dataclass
class Resource:
    identifier: str
    type: str = ""
    scorm_type: str | None = None  # "sco" | "asset" | None when adlcp:scormType is absent
    href: str | None = None  # as written, possibly with ?query / #fragment
    base: str = ""  # xml:base of manifest, resources and resource, joined
    files: list[FileEntry] = field(default_factory=list)
    dependencies: list[str] = field(default_factory=list)  # identifierrefs, in order
    line: int | None = None

    @property
    def is_sco(self) -> bool:
        return self.scorm_type == "sco"


@dataclass
class Item:
    identifier: str
    title: str | None = None
    identifierref: str | None = None
    isvisible: bool = True
    parameters: str | None = None
    children: list[Item] = field(default_factory=list)
    line: int | None = None
    # SCORM 1.2 (adlcp_rootv1p2)
    mastery_score: float | None = None
    max_time_allowed: str | None = None
    prerequisites: str | None = None
    prerequisites_type: str | None = None
    # both versions (timelimitaction/datafromlms in 1.2, timeLimitAction/dataFromLMS in 2004)
    time_limit_action: str | None = None
    data_from_lms: str | None = None
    # SCORM 2004
    completion_threshold: CompletionThreshold | None = None
    shared_data: list[SharedDataMap] = field(default_factory=list)
    hide_lms_ui: list[str] = field(default_factory=list)
    sequencing: Sequencing | None = None
    # filled in when resources are resolved
    launch: str | None = None
    resource_scorm_type: str | None = None

    def walk(self) -> list[Item]:
        """This item and all its descendants, depth first, in document order."""
        found = [self]
        for kid in self.children:
            found.extend(kid.walk())
        return found


@dataclass
class Organization:
    identifier: str
    title: str | None = None
    items: list[Item] = field(default_factory=list)
    structure: str = "hierarchical"
    objectives_global_to_system: bool = True
    shared_data_global_to_system: bool = True
    sequencing: Sequencing | None = None
    completion_threshold: CompletionThreshold | None = None
    synthesised: bool = False  # built by us for a manifest without organisations
    line: int | None = None

    def all_items(self) -> list[Item]:
        return [found for item in self.items for found in item.walk()]


@dataclass
class Manifest:
    identifier: str
    version: str | None  # "1.2" | "2004" | None when unknown
    edition: int | None  # 2, 3, 4 for 2004; None for 1.2
    version_evidence: str = ""  # how the version was decided, for people reading a report
    schemaversion: str | None = None
    base: str = ""  # xml:base of <manifest>
    default_organization_ref: str | None = None  # organizations@default as written
    organizations: list[Organization] = field(default_factory=list)
    resources: list[Resource] = field(default_factory=list)
    sub_manifest_ids: list[str] = field(default_factory=list)
    namespaces: list[str] = field(default_factory=list)
    organizations_line: int | None = None
    line: int | None = None
    notes: list[Problem] = field(default_factory=list)  # value problems met while reading

    @property
    def default_organization(self) -> Organization | None:
        """The organisation named by @default, else the first one (what 1.2-era LMSs do)."""
        for org in self.organizations:
            if org.identifier and org.identifier == self.default_organization_ref:
                return org
        return self.organizations[0] if self.organizations else None

    @property
    def title(self) -> str:
        org = self.default_organization
        return (org.title if org and org.title else None) or self.identifier

    def resource(self, identifier: str | None) -> Resource | None:
        return next((r for r in self.resources if r.identifier == identifier), None) if identifier else None

    def files_of(self, resource: Resource) -> list[str]:
        """Package paths of a resource's files and, transitively, of the resources it depends on."""
        found: dict[str, None] = {}
        seen: set[str] = set()
        pending = [resource]
        while pending:
            current = pending.pop(0)
            if current.identifier in seen:
                continue  # dependency cycles are harmless here
            seen.add(current.identifier)
            found.update((f.path, None) for f in current.files if f.path)
            pending += [dep for ref in current.dependencies if (dep := self.resource(ref)) is not None]
        return list(found)

    @property
    def has_sequencing(self) -> bool:
        orgs = self.organizations
        declared = [o.sequencing for o in orgs] + [i.sequencing for o in orgs for i in o.all_items()]
        return any(s is not None and s.declared for s in declared)

    def launchable_items(self, organization: Organization | None = None) -> list[Item]:
        org = organization or self.default_organization
        return [item for item in org.all_items() if item.launch] if org else []

    def sco_items(self, organization: Organization | None = None) -> list[Item]:
        return [item for item in self.launchable_items(organization) if item.resource_scorm_type == "sco"]

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["notes"] = [note.to_dict() for note in self.notes]
        data["title"] = self.title
        default = self.default_organization
        data["default_organization"] = default.identifier if default else None
        data["has_sequencing"] = self.has_sequencing
        return data


__all__ = [
    "CompletionThreshold",
    "FileEntry",
    "Item",
    "Manifest",
    "Organization",
    "Resource",
    "SharedDataMap",
]
