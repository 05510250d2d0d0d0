"""PackageReport: everything `inspect_package` learned about a package, as objects and as plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scorm.manifest import Item, Manifest, Organization
from scorm.problems import Problem


@dataclass(frozen=True)
class LaunchEntry:
    """One launchable item: what the player lists and what it loads."""

    identifier: str
    title: str
    launch: str
    scorm_type: str  # "sco" (talks to the run-time API) or "asset"
    resource: str

    def to_dict(self) -> dict[str, str]:
        return {
            "identifier": self.identifier,
            "title": self.title,
            "launch": self.launch,
            "scorm_type": self.scorm_type,
            "resource": self.resource,
        }


@dataclass
class PackageReport:
    source: str  # the path that was inspected
    problems: list[Problem] = field(default_factory=list)
    manifest: Manifest | None = None
    total_bytes: int = 0
    file_count: int = 0

    @property
    def importable(self) -> bool:
        return not any(p.is_error for p in self.problems)

    @property
    def version(self) -> str | None:
        return self.manifest.version if self.manifest else None

    @property
    def edition(self) -> int | None:
        return self.manifest.edition if self.manifest else None

    @property
    def title(self) -> str | None:
        return self.manifest.title if self.manifest else None

    @property
    def organizations(self) -> list[Organization]:
        return self.manifest.organizations if self.manifest else []

    @property
    def launchables(self) -> list[LaunchEntry]:
        return (
            [_entry(self.manifest, item) for item in self.manifest.launchable_items()]
            if self.manifest
            else []
        )

    @property
    def scos(self) -> list[LaunchEntry]:
        return [entry for entry in self.launchables if entry.scorm_type == "sco"]

    @property
    def counts(self) -> dict[str, int]:
        m = self.manifest
        items = [i for o in m.organizations for i in o.all_items()] if m else []
        return {
            "organizations": len(m.organizations) if m else 0,
            "items": len(items),
            "launchable_items": len(self.launchables),
            "scos": len(self.scos),
            "assets": len(self.launchables) - len(self.scos),
            "resources": len(m.resources) if m else 0,
            "files": self.file_count,
            "bytes": self.total_bytes,
            "errors": sum(1 for p in self.problems if p.is_error),
            "warnings": sum(1 for p in self.problems if not p.is_error),
        }

    def to_dict(self, *, include_manifest: bool = False) -> dict[str, Any]:
        m = self.manifest
        default = m.default_organization if m else None
        data: dict[str, Any] = {
            "source": self.source,
            "version": self.version,
            "edition": self.edition,
            "title": self.title,
            "identifier": m.identifier if m else None,
            "version_evidence": m.version_evidence if m else None,
            "has_sequencing": m.has_sequencing if m else False,
            "default_organization": default.identifier if default else None,
            "organizations": [_organization_tree(o, o is default) for o in self.organizations],
            "scos": [{k: e.to_dict()[k] for k in ("identifier", "title", "launch")} for e in self.scos],
            "launchables": [e.to_dict() for e in self.launchables],
            "counts": self.counts,
            "problems": [p.to_dict() for p in self.problems],
            "importable": self.importable,
        }
        if include_manifest:
            data["manifest"] = m.to_dict() if m else None
        return data


def _entry(manifest: Manifest, item: Item) -> LaunchEntry:
    return LaunchEntry(
        identifier=item.identifier,
        title=item.title or item.identifier,
        launch=item.launch or "",
        scorm_type=item.resource_scorm_type or "asset",
        resource=item.identifierref or "",
    )


def _organization_tree(org: Organization, is_default: bool) -> dict[str, Any]:
    return {
        "identifier": org.identifier,
        "title": org.title,
        "default": is_default,
        "synthesised": org.synthesised,
        "items": [_item_tree(i) for i in org.items],
    }


def _item_tree(item: Item) -> dict[str, Any]:
    return {
        "identifier": item.identifier,
        "title": item.title,
        "visible": item.isvisible,
        "launch": item.launch,
        "scorm_type": item.resource_scorm_type if item.launch else None,
        "children": [_item_tree(c) for c in item.children],
    }
