"""What a manifest rule may look at: the model, the package's file names, and how to name a place."""

from __future__ import annotations

from dataclasses import dataclass, field

from scorm.manifest import MANIFEST_NAME, Item, Manifest, Resource

# Files a "manifest-only" package may hold besides the manifest: the schemas it points at.
_SCHEMA_SUFFIXES = (".xsd", ".dtd")


@dataclass
class ManifestContext:
    manifest: Manifest
    file_names: list[str]
    manifest_name: str = MANIFEST_NAME
    _names: set[str] = field(init=False, repr=False)
    _lower: dict[str, str] = field(init=False, repr=False)
    _resources: dict[str, Resource] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._names = set(self.file_names)
        self._lower = {name.lower(): name for name in self.file_names}
        self._resources = {}
        for resource in self.manifest.resources:
            self._resources.setdefault(resource.identifier, resource)  # the first one wins, as in the reader

    def at(self, line: int | None) -> str:
        return f"{self.manifest_name}:{line}" if line else self.manifest_name

    def has_file(self, path: str) -> bool:
        return path in self._names

    def same_name_other_case(self, path: str) -> str | None:
        found = self._lower.get(path.lower())
        return found if found and found != path else None

    @property
    def is_manifest_only(self) -> bool:
        """IMS CP allows a package that is only a manifest; its files cannot be checked against it."""
        return all(
            name == self.manifest_name or name.lower().endswith(_SCHEMA_SUFFIXES) for name in self.file_names
        )

    def all_items(self) -> list[Item]:
        return [item for org in self.manifest.organizations for item in org.all_items()]

    def resource_for(self, item: Item) -> Resource | None:
        return self._resources.get(item.identifierref) if item.identifierref else None

    def launched_resources(self) -> list[Resource]:
        """Resources some item launches, each once, in document order."""
        wanted = {item.identifierref for item in self.all_items() if item.identifierref}
        return [r for r in self.manifest.resources if r.identifier in wanted]
