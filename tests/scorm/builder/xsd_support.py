"""Validate a manifest against the SCORM/IMS schemas in the shared corpus, reading nothing else.

The schemas import each other by relative path and, in one place, by the W3C's URL for xml.xsd; the resolver
serves every such reference from the corpus folder by file name and refuses anything that is not there, so a
test never reaches the network.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree


class CorpusOnlyResolver(etree.Resolver):
    def __init__(self, folder: Path):
        super().__init__()
        self.folder = folder.resolve()

    def resolve(self, url, public_id, context):
        name = url.rsplit("/", 1)[-1]
        relative = url if not url.startswith(("http://", "https://", "file:")) else name
        for candidate in (self.folder / relative, self.folder / name):
            local = candidate.resolve()
            if local.is_file() and local.is_relative_to(self.folder):
                return self.resolve_filename(str(local), context)
        raise OSError(f"schema reference outside the corpus: {url}")


def load_schema(folder: Path, namespaces: dict[str, str]) -> etree.XMLSchema:
    """One schema that imports every namespace of a manifest from its file in ``folder``."""
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    parser.resolvers.add(CorpusOnlyResolver(folder))
    imports = "".join(
        f'<xs:import namespace="{uri}" schemaLocation="{(folder / name).resolve().as_uri()}"/>'
        for uri, name in namespaces.items()
    )
    wrapper = f'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">{imports}</xs:schema>'
    document = etree.fromstring(
        wrapper.encode(), parser, base_url=(folder / "wrapper.xsd").resolve().as_uri()
    )
    return etree.XMLSchema(etree.ElementTree(document))


def schema_problems(schema: etree.XMLSchema, manifest: bytes) -> list[str]:
    document = etree.fromstring(manifest, etree.XMLParser(no_network=True, resolve_entities=False))
    if schema.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in schema.error_log]
