"""The token endpoint: client_credentials with a JWT client assertion checked against the tool's JWKS."""

from __future__ import annotations

import time

import requests

from demo_lms.keys import PlatformKey
from demo_lms.models import SCOPE_LINEITEM, SCOPE_SCORE

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def ask(lms, assertion: str, scope: str = SCOPE_SCORE, **changes: str) -> requests.Response:
    form = {
        "grant_type": "client_credentials",
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": assertion,
        "scope": scope,
    }
    form.update(changes)
    return requests.post(lms.url + "/token", data=form, timeout=10)


def test_a_valid_client_assertion_gets_a_bearer_token_for_3600_seconds(lms, tool, tool_keys):
    answer = ask(
        lms, tool_keys.client_assertion(tool.client_id, lms.url + "/token"), f"{SCOPE_SCORE} {SCOPE_LINEITEM}"
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 3600
    assert set(body["scope"].split()) == {SCOPE_SCORE, SCOPE_LINEITEM}


def test_token_requests_are_counted(platform, lms, tool, tool_keys):
    for _ in range(3):
        ask(lms, tool_keys.client_assertion(tool.client_id, lms.url + "/token"))
    ask(lms, "garbage")
    assert platform.tokens_issued == 3
    assert len(platform.token_requests) == 4


def test_an_assertion_signed_by_a_key_not_in_the_tools_jwks_is_refused(lms, tool, tool_keys):
    stranger = PlatformKey.generate()
    now = int(time.time())
    claims = {
        "iss": tool.client_id,
        "sub": tool.client_id,
        "aud": lms.url + "/token",
        "iat": now,
        "exp": now + 60,
    }
    answer = ask(lms, tool_keys.sign(claims, key=stranger))
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_client"


def test_the_tools_jwks_is_refetched_once_when_the_tool_rotates_its_key(lms, tool, tool_keys):
    assert ask(lms, tool_keys.client_assertion(tool.client_id, lms.url + "/token")).status_code == 200
    tool_keys.keys.append(PlatformKey.generate())
    assert ask(lms, tool_keys.client_assertion(tool.client_id, lms.url + "/token")).status_code == 200
    assert tool_keys.jwks_fetches == 2


def test_an_assertion_whose_sub_is_not_the_client_id_is_refused(lms, tool, tool_keys):
    assertion = tool_keys.client_assertion(tool.client_id, lms.url + "/token", iss="someone-else")
    assert ask(lms, assertion).status_code == 400


def test_an_assertion_for_another_audience_is_refused(lms, tool, tool_keys):
    assertion = tool_keys.client_assertion(tool.client_id, "https://elsewhere.example/token")
    assert ask(lms, assertion).json()["error"] == "invalid_client"


def test_an_expired_assertion_is_refused(lms, tool, tool_keys):
    assertion = tool_keys.client_assertion(tool.client_id, lms.url + "/token", exp=int(time.time()) - 600)
    assert ask(lms, assertion).status_code == 400


def test_another_grant_type_is_refused(lms, tool, tool_keys):
    answer = ask(lms, tool_keys.client_assertion(tool.client_id, lms.url + "/token"), grant_type="password")
    assert answer.json()["error"] == "unsupported_grant_type"


def test_missing_fields_are_an_invalid_request(lms, tool):
    answer = requests.post(lms.url + "/token", data={"grant_type": "client_credentials"}, timeout=10)
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_request"


def test_scopes_the_registration_does_not_allow_are_not_granted(lms, tool, tool_keys):
    tool.scopes = [SCOPE_SCORE]
    assertion = tool_keys.client_assertion(tool.client_id, lms.url + "/token")
    assert ask(lms, assertion, f"{SCOPE_SCORE} {SCOPE_LINEITEM}").json()["scope"] == SCOPE_SCORE
    assertion = tool_keys.client_assertion(tool.client_id, lms.url + "/token")
    assert ask(lms, assertion, SCOPE_LINEITEM).json()["error"] == "invalid_scope"
