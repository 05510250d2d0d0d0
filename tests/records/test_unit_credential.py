"""A unit credential, checked by libraries we did not write: PyJWT for the VC-JWT, openbadgeslib for the
Data Integrity proof, and JSON Schemas written from the OB 3.0 data-model tables."""

from __future__ import annotations

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519
from openbadgeslib.ob3 import OB3VerificationError, OB3Verifier
from openbadgeslib.ob3.ldp import OB3LdpVerifier

from lti_tool.records.issuing import StatusSlot, issue_unit_credential
from lti_tool.records.ob3 import email_matches
from lti_tool.records.shape import shape_problems
from tests.records.conftest import facts_for, public_pems


@pytest.fixture
def issued(unit_facts, issuer, signing_keys):
    return issue_unit_credential(unit_facts, issuer, signing_keys, status=StatusSlot(1, 3))


def test_pyjwt_verifies_the_vc_jwt_with_rs256(issued, signing_keys, issuer):
    rsa_pem, _ = public_pems(signing_keys)
    payload = jwt.decode(issued.jwt, rsa_pem, algorithms=["RS256"])
    assert jwt.get_unverified_header(issued.jwt)["alg"] == "RS256"
    assert payload["iss"] == issuer.id
    assert payload["jti"] == issued.credential_id
    assert payload["credentialSubject"]["achievement"]["humanCode"] == "u01"


def test_openbadgeslib_verifies_the_vc_jwt(issued, signing_keys):
    rsa_pem, _ = public_pems(signing_keys)
    credential = OB3Verifier(rsa_pem).verify(issued.jwt)
    assert credential.achievement.id.endswith("/records/achievements/u01")


def test_openbadgeslib_verifies_the_eddsa_rdfc_2022_proof(issued, signing_keys):
    _, ed_pem = public_pems(signing_keys)
    credential = OB3LdpVerifier(pubkey_pem=ed_pem).verify(issued.document)
    assert credential.results[0].value == "85"


def test_openbadgeslib_rejects_the_proof_under_another_key(issued):
    other_key = ed25519.Ed25519PrivateKey.generate().public_key()
    other_pem = other_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    with pytest.raises(OB3VerificationError):
        OB3LdpVerifier(pubkey_pem=other_pem).verify(issued.document)


def test_the_credential_meets_the_ob3_required_fields(issued):
    assert shape_problems(issued.document, "ob3_credential") == []


def test_the_schema_catches_a_missing_achievement_criteria(issued):
    broken = issued.document | {"credentialSubject": dict(issued.document["credentialSubject"])}
    broken["credentialSubject"]["achievement"] = {
        k: v for k, v in broken["credentialSubject"]["achievement"].items() if k != "criteria"
    }
    assert any("criteria" in problem for problem in shape_problems(broken, "ob3_credential"))


def test_the_learner_is_named_by_a_salted_email_hash_not_the_email(issued):
    subject = issued.document["credentialSubject"]
    assert "ann.smith@example.org" not in str(issued.document)
    assert email_matches(subject["identifier"][0], "Ann.Smith@example.org")
    assert not email_matches(subject["identifier"][0], "someone.else@example.org")


def test_the_achievement_aligns_to_its_care_certificate_standards(issuer, signing_keys):
    issued = issue_unit_credential(facts_for("u12"), issuer, signing_keys, status=StatusSlot(1, 4))
    alignments = issued.document["credentialSubject"]["achievement"]["alignment"]
    assert [a["targetName"] for a in alignments] == [
        "Care Certificate standard 12",
        "Care Certificate standard 13",
    ]


def test_evidence_lists_the_elearning_and_the_assessor_signoff_with_its_date(issued):
    narratives = [e["narrative"] for e in issued.document["evidence"]]
    assert "85%" in narratives[0]
    assert "Observed at work on 09 November 2026" in narratives[1] and "Bola Assessor" in narratives[1]


def test_the_credential_carries_a_bitstring_status_entry(issued, issuer):
    status = issued.document["credentialStatus"]
    assert status["type"] == "BitstringStatusListEntry"
    assert status["statusListCredential"] == issuer.status_list_url(1) and status["statusListIndex"] == "3"


def test_a_unit_without_the_required_signoff_is_not_issued(issuer, signing_keys):
    with pytest.raises(ValueError, match="assessor has not yet signed off"):
        issue_unit_credential(
            facts_for("u01", signed_off=False), issuer, signing_keys, status=StatusSlot(1, 5)
        )


def test_a_failed_knowledge_check_is_not_issued(issuer, signing_keys):
    with pytest.raises(ValueError, match="not been passed"):
        issue_unit_credential(facts_for("u01", passed=False), issuer, signing_keys, status=StatusSlot(1, 5))
