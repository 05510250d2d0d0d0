"""Fixtures of the records tests: one issuer with its keys, facts built from the real catalogue."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from cryptography.hazmat.primitives import serialization

from lti_tool.catalogue import load_unit
from lti_tool.records.facts import AchievementFacts, ElearningResult, Learner, Signoff
from lti_tool.records.issuer import Issuer
from lti_tool.records.keys import SigningKeys, new_ed25519_pem, new_rsa_pem, rsa_public_jwk
from lti_tool.records.status_list import decode_bits, encode_bits
from lti_tool.records.verification import StaticTrust
from tests.databases import ENGINES, throwaway_database

BASE = "https://training.example.org"


@pytest.fixture(scope="session")
def issuer() -> Issuer:
    return Issuer(BASE, "Example Care Training Ltd", "https://example.org", "records@example.org")


@pytest.fixture(scope="session")
def signing_keys(issuer: Issuer) -> SigningKeys:
    rsa_pem, ed_pem = new_rsa_pem(), new_ed25519_pem()
    draft = SigningKeys(rsa_pem, "", ed_pem, "")
    return SigningKeys(
        rsa_pem,
        issuer.key_url(rsa_public_jwk(rsa_pem)["kid"]),
        ed_pem,
        issuer.key_url(draft.ed25519_multikey),
    )


def public_pems(keys: SigningKeys) -> tuple[bytes, bytes]:
    """(RSA, Ed25519) public keys as PEM, the form the independent verifiers take."""
    rsa_private = serialization.load_pem_private_key(keys.rsa_private_pem.encode(), None)
    spki = (serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return rsa_private.public_key().public_bytes(*spki), keys.ed25519_private.public_key().public_bytes(*spki)


def make_trust(issuer: Issuer, keys: SigningKeys, revoked: set[int] | None = None) -> StaticTrust:
    return StaticTrust(
        issuer_id=issuer.id,
        rsa_keys={keys.rsa_kid: keys.rsa_public_jwk},
        ed25519_keys={keys.ed25519_method: keys.ed25519_private.public_key()},
        status_lists={issuer.status_list_url(1): decode_bits(encode_bits(revoked or set()))},
    )


@pytest.fixture
def trust(issuer: Issuer, signing_keys: SigningKeys) -> StaticTrust:
    return make_trust(issuer, signing_keys)


def facts_for(
    unit_id: str,
    *,
    passed: bool = True,
    signed_off: bool = True,
    score: float | None = 85.0,
    email: str = "ann.smith@example.org",
) -> AchievementFacts:
    unit = load_unit(unit_id)
    return AchievementFacts(
        unit=unit,
        learner=Learner(1, 7, "lms-user-7", "Ann Smith", email),
        elearning=ElearningResult(
            passed,
            datetime(2026, 11, 2, 10, 30, tzinfo=UTC),
            score,
            1,
            "5f0c6a8e-3f59-4a43-8f43-3c8c3f0f2b11",
        ),
        signoff=Signoff(
            date(2026, 11, 9),
            "Bola Assessor",
            "Followed the care plan at breakfast.",
            datetime(2026, 11, 9, 15, 0, tzinfo=UTC),
        )
        if signed_off
        else None,
        observation_required=bool((unit.get("observation") or {}).get("required")),
    )


@pytest.fixture
def unit_facts() -> AchievementFacts:
    return facts_for("u01")


@pytest.fixture(params=ENGINES)
def database_url(request, tmp_path) -> Iterator[str]:
    """A fresh database: SQLite, and PostgreSQL in its own schema when CARECERT_TEST_PG_URL is set."""
    with throwaway_database(request.param, tmp_path, "records.sqlite3") as url:
        yield url
