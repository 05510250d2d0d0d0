"""JSON-LD processing offline: a document loader that only knows the bundled contexts, and RDF
canonicalisation.

Every credential we sign or verify is canonicalised with RDFC-1.0 (pyld calls it URDNA2015; its default is the
older URGNA2012, which gives different bytes). A context we do not bundle is refused rather than fetched: a
verifier that downloads contexts named by the document lets the document's author change what it means.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from pyld import jsonld

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"  # defines the schema validator type
CLR_V2 = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"

BUNDLED_CONTEXTS = {
    VC_V2: "credentials-v2.json",
    OB_V3: "ob-v3p0-context-3.0.3.json",
    OB_EXTENSIONS: "ob-v3p0-extensions.json",
    CLR_V2: "clr_context_2.0.1.json",
    MULTIKEY_V1: "security-multikey-v1.json",
    DATA_INTEGRITY_V2: "security-data-integrity-v2.json",
}


class UnknownContext(ValueError):
    """The document names a JSON-LD context we do not bundle."""


@cache
def context_document(url: str) -> dict:
    file_name = BUNDLED_CONTEXTS.get(url)
    if file_name is None:
        raise UnknownContext(f"the JSON-LD context {url} is not one this tool knows")
    text = resources.files("lti_tool.records.contexts").joinpath(file_name).read_text(encoding="utf-8")
    return json.loads(text)


def offline_loader(url: str, options: dict | None = None) -> dict:
    """pyld document loader over the bundled contexts only."""
    try:
        document = context_document(url)
    except UnknownContext as error:
        raise jsonld.JsonLdError(
            str(error), "jsonld.LoadDocumentError", code="loading document failed"
        ) from None
    return {"contextUrl": None, "documentUrl": url, "document": document}


def canonical_nquads(document: dict[str, Any]) -> str:
    """The RDFC-1.0 canonical N-Quads of a JSON-LD document, with only the bundled contexts."""
    return jsonld.normalize(
        document,
        {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": offline_loader},
    )


def expand(document: dict[str, Any]) -> list:
    return jsonld.expand(document, {"documentLoader": offline_loader})
