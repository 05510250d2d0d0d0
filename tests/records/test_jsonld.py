"""The bundled JSON-LD contexts are the published documents, and nothing is fetched."""

from __future__ import annotations

import hashlib
from importlib import resources

import pytest
from pyld import jsonld as pyld_jsonld

from lti_tool.records import jsonld

# SHA-256 of the documents as published at their URLs (the same bytes other OB 3.0 verifiers pin).
PUBLISHED_SHA256 = {
    jsonld.VC_V2: "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734",
    jsonld.OB_V3: "3d34f4d4ef1bce691106e63798beb5e7b862ba841423f5ee1e53ab7ddf3bca84",
    jsonld.CLR_V2: "880f1902d4158f2f33ce06af41b90719977cd1ea337a9de2e41edb3ff5e543d6",
}


@pytest.mark.parametrize("url", sorted(PUBLISHED_SHA256))
def test_a_bundled_context_is_the_published_document(url):
    data = resources.files("lti_tool.records.contexts").joinpath(jsonld.BUNDLED_CONTEXTS[url]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == PUBLISHED_SHA256[url]


def test_a_context_we_do_not_bundle_is_refused_not_fetched():
    document = {"@context": ["https://example.org/evil-context.jsonld"], "name": "x"}
    with pytest.raises(pyld_jsonld.JsonLdError):
        jsonld.canonical_nquads(document)


def test_canonical_form_ignores_member_order():
    first = {"@context": [jsonld.VC_V2], "id": "urn:uuid:1", "type": ["VerifiableCredential"], "name": "A"}
    second = {"name": "A", "type": ["VerifiableCredential"], "id": "urn:uuid:1", "@context": [jsonld.VC_V2]}
    assert jsonld.canonical_nquads(first) == jsonld.canonical_nquads(second)
