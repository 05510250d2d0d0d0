"""The passport (CLR 2.0) bundles unit credentials that each keep their own proof; checked by independent
libraries and by the CLR required-field rules."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import jwt
import pytest
from openbadgeslib.ob3.clr import bundled_clr_contexts
from openbadgeslib.ob3.ldp import OB3LdpVerifier, verify_data_integrity_proof

from lti_tool.records.issuing import StatusSlot, issue_unit_credential
from lti_tool.records.passport import build_passport, certificate_credential
from lti_tool.records.shape import shape_problems
from lti_tool.records.verification import verify_credential
from tests.records.conftest import facts_for, make_trust, public_pems


@pytest.fixture(scope="module")
def units(issuer, signing_keys):
    return [
        issue_unit_credential(facts_for(unit_id), issuer, signing_keys, status=StatusSlot(1, index))
        for index, unit_id in enumerate(["u01", "u02", "u03"], start=10)
    ]


@pytest.fixture(scope="module")
def passport(units, issuer, signing_keys):
    learner = facts_for("u01").learner
    return build_passport(learner, [u.document for u in units], issuer, signing_keys, salt="0a1b2c3d")


def test_the_passport_meets_the_clr_required_fields(passport):
    assert shape_problems(passport.document, "clr_credential") == []


def test_pyjwt_verifies_the_passport_vc_jwt(passport, signing_keys):
    rsa_pem, _ = public_pems(signing_keys)
    payload = jwt.decode(passport.jwt, rsa_pem, algorithms=["RS256"])
    assert "ClrCredential" in payload["type"]


def test_openbadgeslib_verifies_the_passport_proof_and_each_unit_proof(passport, signing_keys):
    _, ed_pem = public_pems(signing_keys)
    verify_data_integrity_proof(passport.document, ed_pem, extra_contexts=bundled_clr_contexts())
    for unit in passport.document["credentialSubject"]["verifiableCredential"]:
        OB3LdpVerifier(pubkey_pem=ed_pem).verify(unit)


def test_each_unit_is_part_of_the_qualification(passport, issuer):
    associations = passport.document["credentialSubject"]["association"]
    assert {a["sourceId"] for a in associations} == {issuer.achievement_url(u) for u in ("u01", "u02", "u03")}
    assert {(a["associationType"], a["targetId"]) for a in associations} == {
        ("isPartOf", issuer.achievement_url("level-2-adult-social-care-certificate"))
    }


def test_a_passport_of_some_units_says_it_is_partial(passport):
    assert passport.document["partial"] is True and not passport.complete


def test_our_verifier_lists_each_unit_of_the_passport(passport, trust):
    report = verify_credential(passport.document, trust)
    assert report.valid, report.to_dict()
    assert [u.credential_id for u in report.units] == [
        unit["id"] for unit in passport.document["credentialSubject"]["verifiableCredential"]
    ]
    assert all(u.valid and u.title for u in report.units)


def test_a_revoked_unit_inside_a_valid_passport_is_shown_revoked(passport, issuer, signing_keys):
    report = verify_credential(passport.document, make_trust(issuer, signing_keys, revoked={11}))
    assert not report.valid
    assert [u.revoked for u in report.units] == [False, True, False]


def test_changing_a_unit_inside_the_passport_breaks_the_passport_proof(passport, trust):
    forged = copy.deepcopy(passport.document)
    forged["credentialSubject"]["verifiableCredential"][0]["name"] = "Something else"
    report = verify_credential(forged, trust)
    assert not report.valid
    assert any(c.name == "signature" and not c.passed for c in report.checks)


def test_the_whole_certificate_credential_verifies_independently(issuer, signing_keys, trust):
    learner = facts_for("u01").learner
    document, token, _ = certificate_credential(
        learner,
        issuer,
        signing_keys,
        achieved_at=datetime(2026, 11, 20, tzinfo=UTC),
        status=StatusSlot(1, 40),
        salt="ab12",
    )
    _, ed_pem = public_pems(signing_keys)
    OB3LdpVerifier(pubkey_pem=ed_pem).verify(document)
    assert shape_problems(document, "ob3_credential") == []
    assert verify_credential(token, trust).valid


def test_the_passport_as_a_vc_jwt_verifies_and_lists_its_units(passport, trust):
    report = verify_credential(passport.jwt, trust)
    assert report.valid and report.kind == "ClrCredential" and len(report.units) == 3
