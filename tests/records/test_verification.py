"""Our verifier (the /verify page): genuine credentials pass, any changed field fails, revoked says so."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta

import pytest

from lti_tool.records import vc_jwt
from lti_tool.records.issuing import StatusSlot, issue_unit_credential
from tests.records.conftest import make_trust


@pytest.fixture(scope="module")
def issued(issuer, signing_keys):
    from tests.records.conftest import facts_for

    return issue_unit_credential(facts_for("u01"), issuer, signing_keys, status=StatusSlot(1, 3))


# (path, new value): one change per field a forger might want to alter
TAMPERS = [
    (("name",), "Level 3 Diploma"),
    (("validFrom",), "2020-01-01T00:00:00Z"),
    (("awardedDate",), "2020-01-01T00:00:00Z"),
    (("issuer", "name"), "Someone Else"),
    (("credentialSubject", "identifier", 0, "identityHash"), "sha256$" + "0" * 64),
    (("credentialSubject", "result", 0, "value"), "100"),
    (("credentialSubject", "achievement", "name"), "Another unit"),
    (("credentialSubject", "achievement", "criteria", "narrative"), "Nothing needed."),
    (("credentialSubject", "achievement", "alignment", 0, "targetName"), "Care Certificate standard 9"),
    (("evidence", 1, "narrative"), "Never observed."),
    (("credentialStatus", "statusListIndex"), "4"),
    (("credentialSchema", 0, "id"), "https://example.org/other-schema.json"),
]


def _set(document: dict, path: tuple, value: object) -> dict:
    changed = copy.deepcopy(document)
    target = changed
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return changed


def test_a_genuine_json_credential_verifies(issued, trust):
    report = verify(issued.document, trust)
    assert report.valid, report.to_dict()
    assert [c.name for c in report.checks] == ["format", "signature", "issuer", "dates", "revocation"]
    assert report.summary == "This credential is genuine, current and has not been revoked."


def test_a_genuine_vc_jwt_verifies(issued, trust):
    report = verify(issued.jwt, trust)
    assert report.valid and report.proof_format == "VC-JWT"


def test_pasted_json_text_verifies_like_the_document(issued, trust):
    assert verify(json.dumps(issued.document, indent=2), trust).valid


@pytest.mark.parametrize(("path", "value"), TAMPERS, ids=[".".join(map(str, p)) for p, _ in TAMPERS])
def test_changing_a_field_of_the_json_credential_fails_its_signature(issued, trust, path, value):
    report = verify(_set(issued.document, path, value), trust)
    assert not report.valid
    assert any(c.name == "signature" and not c.passed for c in report.checks)


@pytest.mark.parametrize(("path", "value"), TAMPERS, ids=[".".join(map(str, p)) for p, _ in TAMPERS])
def test_changing_a_field_of_the_vc_jwt_fails_its_signature(issued, trust, signing_keys, path, value):
    header, payload = vc_jwt.unverified_parts(issued.jwt)
    forged_payload = _set(payload, path, value)
    head, _, signature = issued.jwt.split(".")
    import base64

    body = base64.urlsafe_b64encode(json.dumps(forged_payload).encode()).decode().rstrip("=")
    report = verify(f"{head}.{body}.{signature}", trust)
    assert not report.valid
    assert any(c.name == "signature" and not c.passed for c in report.checks)


def test_a_field_the_signature_does_not_cover_is_refused(issued, trust):
    report = verify(issued.document | {"unsignedNote": "Distinction"}, trust)
    assert not report.valid
    assert "fields its signature does not cover" in report.summary


def test_a_revoked_credential_verifies_as_revoked(issued, issuer, signing_keys):
    report = verify(issued.document, make_trust(issuer, signing_keys, revoked={3}))
    assert report.revoked and not report.valid
    assert report.summary.startswith("This credential was issued by us but has been revoked")
    assert verify(issued.jwt, make_trust(issuer, signing_keys, revoked={3})).revoked


def test_revoking_another_credential_leaves_this_one_valid(issued, issuer, signing_keys):
    assert verify(issued.document, make_trust(issuer, signing_keys, revoked={2, 4})).valid


def test_a_credential_from_keys_we_do_not_publish_is_not_trusted(issued, issuer, signing_keys):
    trust = make_trust(issuer, signing_keys)
    trust.ed25519_keys.clear()
    trust.rsa_keys.clear()
    for blob in (issued.document, issued.jwt):
        report = verify(blob, trust)
        assert not report.valid and any(c.name == "issuer" and not c.passed for c in report.checks)


def test_a_credential_before_its_start_date_is_not_yet_valid(issued, trust):
    report = verify(issued.document, trust, now=datetime.now(UTC) - timedelta(days=2))
    assert not report.valid and "not valid yet" in report.summary


@pytest.mark.parametrize(
    "blob", ["", "hello", "a.b.c", "[1, 2]", b"\xff\xfe", '{"type": "OpenBadgeCredential"}']
)
def test_rubbish_gets_a_plain_answer_not_a_crash(trust, blob):
    report = verify(blob, trust)
    assert not report.valid and report.summary


def verify(blob, trust, now=None):
    from lti_tool.records.verification import verify_credential

    return verify_credential(blob, trust, now=now)


def test_a_deeply_nested_document_gets_a_plain_answer(trust):
    report = verify("[" * 200_000 + "]" * 200_000, trust)
    assert not report.valid and report.summary


def test_an_inline_or_unknown_context_is_refused_before_processing(issued, trust):
    inline = issued.document | {
        "@context": [issued.document["@context"][0], {"name": "https://evil.example/n"}]
    }
    remote = issued.document | {"@context": ["https://evil.example/context.jsonld"]}
    for document in (inline, remote):
        report = verify(document, trust)
        assert not report.valid and "@context" in report.summary
