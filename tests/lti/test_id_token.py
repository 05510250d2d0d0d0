"""The id_token's own checks (lti_tool.lti.id_token): its encoding, signature and registered claims, as a
launch sees them. Each refusal names its code; none of them uses up the login."""

from __future__ import annotations

import time

import pytest

from tests.lti.conftest import error_code, start_login
from tests.lti.platform import LTI


def _post(client, login, id_token: str):  # type: ignore[no-untyped-def]
    return client.post("/lti/launch", data={"id_token": id_token, "state": login.state})


def _launch_with(app, platform, **token_args):  # type: ignore[no-untyped-def]
    client = app.test_client()
    login = start_login(client, platform)
    return client, login, _post(client, login, platform.id_token(login.nonce, **token_args))


def test_signature_with_characters_outside_base64url_is_refused(app, platform):
    client = app.test_client()
    login = start_login(client, platform)
    header, body, signature = platform.id_token(login.nonce).split(".")
    response = _post(client, login, f"{header}.{body}.{signature[:10]}!{signature[10:]}")
    assert error_code(response) == "LTI-JWT-MALFORMED"


def test_wrong_base64_padding_is_refused(app, platform):
    client = app.test_client()
    login = start_login(client, platform)
    header, body, signature = platform.id_token(login.nonce).split(".")
    response = _post(client, login, f"{header}.{body}.{signature}===")
    assert error_code(response) == "LTI-JWT-MALFORMED"


def test_correctly_padded_signature_is_accepted_as_pyjwt_accepts_it(app, platform):
    client = app.test_client()
    login = start_login(client, platform)
    header, body, signature = platform.id_token(login.nonce).split(".")
    padded = signature + "=" * (-len(signature) % 4)
    assert padded != signature  # a 2048-bit RSA signature needs padding
    assert _post(client, login, f"{header}.{body}.{padded}").status_code == 200


def test_body_changed_after_signing_is_refused(app, platform):
    client = app.test_client()
    login = start_login(client, platform)
    header, _body, signature = platform.id_token(login.nonce).split(".")
    other_body = platform.id_token(login.nonce, sub="someone-else").split(".")[1]
    assert error_code(_post(client, login, f"{header}.{other_body}.{signature}")) == "LTI-SIGNATURE-INVALID"


@pytest.mark.parametrize("claim", ["exp", "iat"])
def test_time_claim_that_is_not_a_number_is_refused(app, platform, claim):
    _, _, response = _launch_with(app, platform, overrides={claim: "tomorrow"})
    assert error_code(response) == "LTI-CLAIM-INVALID"


@pytest.mark.parametrize("claim", ["exp", "iat", "aud"])
def test_missing_registered_claim_is_refused(app, platform, claim):
    _, _, response = _launch_with(app, platform, remove=(claim,))
    assert error_code(response) == "LTI-CLAIM-INVALID"


def test_not_before_in_the_future_is_refused(app, platform):
    _, _, response = _launch_with(app, platform, overrides={"nbf": int(time.time()) + 600})
    assert error_code(response) == "LTI-TOKEN-FUTURE"


def test_audience_list_with_a_number_is_refused(app, platform):
    _, _, response = _launch_with(app, platform, overrides={"aud": [platform.client_id, 7]})
    assert error_code(response) == "LTI-AUDIENCE-MISMATCH"


def test_azp_naming_another_client_is_refused(app, platform):
    _, _, response = _launch_with(app, platform, overrides={"azp": "another-client"})
    assert error_code(response) == "LTI-AUDIENCE-MISMATCH"


def test_a_refused_token_leaves_the_login_usable(app, platform):
    client, login, refused = _launch_with(app, platform, overrides={"exp": "tomorrow"})
    assert error_code(refused) == "LTI-CLAIM-INVALID"
    assert _post(client, login, platform.id_token(login.nonce)).status_code == 200


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_body_holding_nan_or_infinity_is_refused_as_not_json(app, platform, constant):
    # Python's json reads these; JSON (RFC 8259) has none, and PostgreSQL's json column refuses them.
    value = {"NaN": float("nan"), "Infinity": float("inf"), "-Infinity": float("-inf")}[constant]
    _, _, response = _launch_with(app, platform, overrides={LTI + "custom": {"score": value}})
    assert error_code(response) == "LTI-JWT-MALFORMED"
    assert constant in response.get_data(as_text=True)


def test_body_with_a_lone_surrogate_escape_is_read_as_json_reads_it(app, platform):
    # Valid JSON (RFC 8259 §8.2 leaves unpaired surrogates to the reader), which orjson refuses: the launch
    # reads it with json, as before orjson, rather than refuse a token a platform signed.
    _, _, response = _launch_with(app, platform, overrides={LTI + "custom": {"note": "half \ud800 pair"}})
    assert response.status_code == 200


def test_body_with_an_integer_beyond_64_bits_is_accepted(app, platform):
    _, _, response = _launch_with(app, platform, overrides={LTI + "custom": {"big": 2**70}})
    assert response.status_code == 200
