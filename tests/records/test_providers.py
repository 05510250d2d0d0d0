"""Several providers on one installation: each LMS with an issuer profile of its own issues its learners'
credentials in that provider's name, under that provider's issuer id, with the installation's keys published
under the provider's URLs; our verifier, PyJWT and openbadgeslib all accept them."""

from __future__ import annotations

import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from openbadgeslib.ob3 import OB3Verifier
from openbadgeslib.ob3.ldp import OB3LdpVerifier
from sqlalchemy import select

from lti_tool.records import providers, service, store
from lti_tool.records.issuer import Issuer
from lti_tool.records.keys import ed25519_from_multikey
from lti_tool.records.models import CredentialKey
from tests.records.world import make_world

BASE = "https://tool.example.org"
INSTALLATION = Issuer(BASE, "Example Care Training")
SPKI = (serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


@pytest.fixture
def worlds(database_url):
    """Two providers' LMSs on one database, a learner in each; Alpha has its own profile, Beta not yet."""
    alpha, beta = make_world(database_url), make_world(database_url)
    alpha.add_learner("Ann Smith")
    beta.add_learner("Ben Jones")
    with alpha.db.session() as session:
        providers.save_profile(
            session,
            alpha.registration_id,
            name="Alpha Care Training",
            url="https://alpha.example",
            email="records@alpha.example",
        )
    yield alpha, beta
    alpha.db.dispose()
    beta.db.dispose()


def unit_credential(world, learner: str, unit_id: str):  # type: ignore[no-untyped-def]
    world.achieve(learner, unit_id)
    with world.db.session() as session:
        records = service.sync_learner(session, INSTALLATION, world.registration_id, world.learners[learner])
        record = records.units[unit_id]
        return record.document, record.jwt


def verify(world, blob) -> bool:  # type: ignore[no-untyped-def]
    with world.db.session(readonly=True) as session:
        return service.verify(session, INSTALLATION, blob).valid


def test_a_provider_with_a_profile_issues_in_its_own_name(worlds):
    alpha, _ = worlds
    document, token = unit_credential(alpha, "Ann Smith", "u01")
    provider_id = f"{BASE}/records/providers/{alpha.registration_id}/issuer"
    assert document["issuer"] == {
        "id": provider_id,
        "type": ["Profile"],
        "name": "Alpha Care Training",
        "url": "https://alpha.example",
        "email": "records@alpha.example",
    }
    assert document["proof"]["verificationMethod"].startswith(
        f"{BASE}/records/providers/{alpha.registration_id}/keys/"
    )
    assert jwt.get_unverified_header(token)["kid"].startswith(f"{BASE}/records/providers/")
    assert verify(alpha, document) and verify(alpha, token)


def test_an_lms_without_a_profile_keeps_the_installation_issuer(worlds):
    _, beta = worlds
    document, token = unit_credential(beta, "Ben Jones", "u01")
    assert document["issuer"]["id"] == f"{BASE}/records/issuer"
    assert document["issuer"]["name"] == "Example Care Training"
    assert verify(beta, document) and verify(beta, token)


def test_two_providers_never_share_an_issuer_id(worlds):
    alpha, beta = worlds
    with beta.db.session() as session:
        providers.save_profile(session, beta.registration_id, name="Beta Skills")
    alpha_doc, _ = unit_credential(alpha, "Ann Smith", "u02")
    beta_doc, _ = unit_credential(beta, "Ben Jones", "u02")
    assert alpha_doc["issuer"]["id"] != beta_doc["issuer"]["id"]
    assert beta_doc["issuer"]["name"] == "Beta Skills" and "url" not in beta_doc["issuer"]
    assert verify(alpha, alpha_doc) and verify(beta, beta_doc)


def test_one_providers_keys_do_not_vouch_for_another_issuer(worlds):
    alpha, beta = worlds
    document, _ = unit_credential(alpha, "Ann Smith", "u01")
    method = document["proof"]["verificationMethod"]
    with alpha.db.session(readonly=True) as session:
        trust = store.DatabaseTrust(session, INSTALLATION)
        assert trust.knows_issuer(document["issuer"]["id"], method)
        assert trust.ed25519_key(method) is not None
        # Beta has no profile: its provider URLs name no issuer, and its key URLs no key
        beta_root = f"{BASE}/records/providers/{beta.registration_id}"
        assert not trust.knows_issuer(f"{beta_root}/issuer", method)
        assert (
            trust.ed25519_key(
                method.replace(f"providers/{alpha.registration_id}/", f"providers/{beta.registration_id}/")
            )
            is None
        )
        assert not trust.knows_issuer(INSTALLATION.id, method)  # a provider's key is not the installation's


def test_credentials_issued_before_the_profile_keep_their_issuer_and_verify(worlds):
    _, beta = worlds
    before, _ = unit_credential(beta, "Ben Jones", "u01")
    with beta.db.session() as session:
        providers.save_profile(session, beta.registration_id, name="Beta Skills")
    after, _ = unit_credential(beta, "Ben Jones", "u02")
    assert before["issuer"]["id"] == INSTALLATION.id
    assert after["issuer"]["id"] == f"{BASE}/records/providers/{beta.registration_id}/issuer"
    assert verify(beta, before) and verify(beta, after)


def test_the_passport_names_the_provider_and_verifies_with_its_units(worlds):
    alpha, _ = worlds
    unit_credential(alpha, "Ann Smith", "u01")
    with alpha.db.session() as session:
        record = service.passport(session, INSTALLATION, alpha.registration_id, alpha.learners["Ann Smith"])
        report = service.verify(session, INSTALLATION, record.document)
    assert record.document["issuer"]["name"] == "Alpha Care Training"
    assert report.valid and len(report.units) == 1


def _public_keys(world) -> tuple[bytes, bytes]:
    with world.db.session(readonly=True) as session:
        rows = {row.kind: row for row in session.scalars(select(CredentialKey))}
    rsa = jwt.algorithms.RSAAlgorithm.from_jwk(json.dumps(rows["rsa"].public))
    ed = ed25519_from_multikey(rows["ed25519"].public["publicKeyMultibase"])
    return rsa.public_bytes(*SPKI), ed.public_bytes(*SPKI)


def test_pyjwt_and_openbadgeslib_verify_a_providers_credential(worlds):
    alpha, _ = worlds
    document, token = unit_credential(alpha, "Ann Smith", "u01")
    rsa_pem, ed_pem = _public_keys(alpha)
    payload = jwt.decode(token, rsa_pem, algorithms=["RS256"])
    assert payload["iss"] == document["issuer"]["id"]
    assert OB3Verifier(rsa_pem).verify(token).achievement.id.endswith("/achievements/u01")
    assert OB3LdpVerifier(pubkey_pem=ed_pem).verify(document).results[0].value


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "  "}, "provider's name"),
        ({"name": "x" * 256}, "provider's name"),
        ({"name": "Alpha", "url": "ftp://alpha.example"}, "http"),
        ({"name": "Alpha", "url": "https://"}, "http"),
        ({"name": "Alpha", "email": "records at alpha"}, "email"),
    ],
)
def test_a_bad_profile_gets_a_clear_error(worlds, fields, message):
    alpha, _ = worlds
    with alpha.db.session() as session, pytest.raises(providers.ProfileError, match=message):
        providers.save_profile(session, alpha.registration_id, **fields)


def test_a_profile_for_no_registration_is_refused(worlds):
    alpha, _ = worlds
    with alpha.db.session() as session, pytest.raises(providers.ProfileError, match="no registration"):
        providers.save_profile(session, 999_999, name="Nobody")
