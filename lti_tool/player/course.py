"""What the player needs to know about a package: its manifest (parsed once per process), the items a
learner can open with their launch paths, the table of contents, and the SCORM 2004 sequencing settings."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scorm.manifest import MANIFEST_NAME, Item, Manifest, read_manifest
from scorm.sequencing import SequencingSettingsError, build_sequencing_settings, tracked_items


class CourseUnavailable(Exception):
    """The package's files or manifest cannot be read (deleted, or damaged on disk)."""


@dataclass(frozen=True)
class TocEntry:
    identifier: str
    title: str
    depth: int
    launch: str | None  # package-relative URL with the item's parameters, None for a heading
    visible: bool  # adlcp isvisible: hidden items are not listed (CAM), though sequencing may deliver them
    is_sco: bool
    prerequisites: str | None = None  # SCORM 1.2 adlcp:prerequisites

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.identifier,
            "title": self.title,
            "depth": self.depth,
            "launch": self.launch,
            "visible": self.visible,
            "sco": self.is_sco,
            "prerequisites": self.prerequisites,
        }


@dataclass
class Course:
    manifest: Manifest
    toc: list[TocEntry]
    tracked_ids: list[str]  # items that carry results (SCOs, or launchable assets in an asset-only package)
    sequencing: dict[str, Any] | None = None  # scorm-again settings.sequencing (2004 with several items)
    items: dict[str, Item] = field(default_factory=dict)

    @property
    def version(self) -> str:
        return self.manifest.version or "1.2"

    def launchable(self) -> list[TocEntry]:
        return [entry for entry in self.toc if entry.launch]

    def first_item(self) -> str:
        visible = [entry for entry in self.launchable() if entry.visible]
        chosen = visible or self.launchable()
        if not chosen:
            raise CourseUnavailable("the package has no item that can be launched")
        return chosen[0].identifier

    def entry(self, identifier: str) -> TocEntry | None:
        return next((entry for entry in self.toc if entry.identifier == identifier), None)


def _toc(items: list[Item], depth: int = 0) -> list[TocEntry]:
    entries: list[TocEntry] = []
    for item in items:
        entries.append(
            TocEntry(
                identifier=item.identifier,
                title=item.title or item.identifier,
                depth=depth,
                launch=item.launch,
                visible=item.isvisible,
                is_sco=item.resource_scorm_type == "sco",
                prerequisites=item.prerequisites,
            )
        )
        entries.extend(_toc(item.children, depth + 1))
    return entries


def build_course(manifest: Manifest) -> Course:
    organization = manifest.default_organization
    if organization is None:
        raise CourseUnavailable("the package has no organisation")
    toc = _toc(organization.items)
    sequencing = None
    if manifest.version == "2004" and len([e for e in toc if e.launch]) > 1:
        try:
            sequencing = build_sequencing_settings(manifest)
        except SequencingSettingsError:
            sequencing = None
    tracked = [item.identifier for item in tracked_items(manifest)]
    items = {item.identifier: item for item in organization.all_items()}
    return Course(manifest, toc, tracked, sequencing, items)


_cache: dict[str, Course] = {}
_lock = threading.Lock()
CACHE_LIMIT = 256


def load_course(package_folder: Path) -> Course:
    """The course in an extracted package folder; parsed once per process (package folders never change:
    their name is the content's hash)."""
    key = str(package_folder)
    with _lock:
        found = _cache.get(key)
    if found is not None:
        return found
    try:
        data = (package_folder / MANIFEST_NAME).read_bytes()
    except OSError as error:
        raise CourseUnavailable(f"the package's manifest cannot be read: {error.strerror}") from error
    reading = read_manifest(data)
    if reading.manifest is None:
        raise CourseUnavailable("the package's manifest cannot be read")
    course = build_course(reading.manifest)
    with _lock:
        if len(_cache) >= CACHE_LIMIT:
            _cache.pop(next(iter(_cache)))
        _cache[key] = course
    return course
