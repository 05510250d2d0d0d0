"""The tool's keys: published at /lti/jwks, rotated (newest signs, old ones stay), retired."""

from __future__ import annotations

import pytest

from lti_tool import keys


def published_kids(app) -> list[str]:
    return [key["kid"] for key in app.test_client().get("/lti/jwks").get_json()["keys"]]


def test_jwks_publishes_public_rsa_keys_only(app):
    response = app.test_client().get("/lti/jwks")
    assert response.status_code == 200 and response.mimetype == "application/json"
    for key in response.get_json()["keys"]:
        assert key["kty"] == "RSA" and key["alg"] == "RS256" and key["use"] == "sig"
        assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key)


def test_well_known_jwks_is_the_same(app):
    client = app.test_client()
    assert client.get("/.well-known/jwks.json").get_json() == client.get("/lti/jwks").get_json()


def test_rotation_signs_with_the_new_key_and_keeps_the_old_one_published(app, tool):
    with tool.db.session() as session:
        old = keys.signing_key(session).kid
        new = keys.rotate(session).kid
        assert keys.signing_key(session).kid == new
    assert {old, new} <= set(published_kids(app))


def test_retired_key_is_no_longer_published(app, tool):
    with tool.db.session() as session:
        old = keys.signing_key(session).kid
        keys.rotate(session)
        keys.retire(session, old)
    assert old not in published_kids(app)


def test_the_last_signing_key_cannot_be_retired(tool):
    with tool.db.session() as session:
        for key in keys.active_keys(session)[1:]:
            keys.retire(session, key.kid)
        only = keys.signing_key(session).kid
        with pytest.raises(keys.KeyError_, match="only signing key"):
            keys.retire(session, only)


def test_retiring_an_unknown_key_is_an_error(tool):
    with tool.db.session() as session, pytest.raises(keys.KeyError_, match="no key"):
        keys.retire(session, "nope")
