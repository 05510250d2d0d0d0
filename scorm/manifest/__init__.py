"""The SCORM manifest model: read imsmanifest.xml safely into organisations, items, resources and sequencing.

read_manifest(data: bytes) -> ManifestReading(manifest | None, problems)
Manifest.to_dict() -> plain JSON-serialisable data for the player
"""

from scorm.manifest.model import (
    CompletionThreshold,
    FileEntry,
    Item,
    Manifest,
    Organization,
    Resource,
    SharedDataMap,
)
from scorm.manifest.reader import ManifestReading, read_manifest
from scorm.manifest.xml_source import MANIFEST_NAME

__all__ = [
    "MANIFEST_NAME",
    "CompletionThreshold",
    "FileEntry",
    "Item",
    "Manifest",
    "ManifestReading",
    "Organization",
    "Resource",
    "SharedDataMap",
    "read_manifest",
]
