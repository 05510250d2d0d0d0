"""JSON-LD context documents, bundled so canonicalisation never touches the network.

Each file is the document published at the URL named in `jsonld.BUNDLED_CONTEXTS`, byte for byte (the
SHA-256 of each is checked in tests/records/test_jsonld.py): W3C VC Data Model 2.0, 1EdTech Open Badges
3.0.3 and its extensions, 1EdTech CLR 2.0.1, W3C Multikey v1 and Data Integrity v2.
"""
