"""LTI Dynamic Registration, platform half: the OpenID configuration and the registration endpoint."""

from __future__ import annotations

import pytest
import requests

from demo_lms.registration import PLATFORM_CONFIGURATION, TOOL_CONFIGURATION

TOOL = "https://tool.example:8443"


def registration_body(**changes) -> dict:
    body = {
        "application_type": "web",
        "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": TOOL + "/lti/login",
        "redirect_uris": [TOOL + "/lti/launch"],
        "client_name": "carecert-lti",
        "jwks_uri": TOOL + "/lti/jwks",
        "token_endpoint_auth_method": "private_key_jwt",
        "scope": "https://purl.imsglobal.org/spec/lti-ags/scope/score "
        "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
        TOOL_CONFIGURATION: {
            "domain": "tool.example:8443",
            "target_link_uri": TOOL + "/lti/launch",
            "claims": ["iss", "sub", "name"],
            "messages": [{"type": "LtiDeepLinkingRequest", "target_link_uri": TOOL + "/lti/launch"}],
        },
    }
    body.update(changes)
    return body


def register(lms, token: str, body) -> requests.Response:
    return requests.post(
        lms.url + "/registration", json=body, headers={"Authorization": f"Bearer {token}"}, timeout=10
    )


def test_openid_configuration_names_the_endpoints_and_the_lti_platform_configuration(platform, lms):
    config = requests.get(lms.url + "/.well-known/openid-configuration", timeout=10).json()
    assert config["issuer"] == lms.url
    assert config["registration_endpoint"] == lms.url + "/registration"
    assert config["token_endpoint"] == lms.url + "/token"
    assert config["jwks_uri"] == lms.url + "/jwks"
    assert config["authorization_endpoint"] == lms.url + "/auth"
    assert "private_key_jwt" in config["token_endpoint_auth_methods_supported"]
    messages = {m["type"] for m in config[PLATFORM_CONFIGURATION]["messages_supported"]}
    assert messages == {"LtiResourceLinkRequest", "LtiDeepLinkingRequest"}


def test_a_registration_with_a_valid_token_gets_a_client_id_and_a_deployment_id(platform, lms):
    answer = register(lms, platform.new_registration_token(), registration_body())
    assert answer.status_code == 200
    body = answer.json()
    tool = platform.tools[body["client_id"]]
    assert body[TOOL_CONFIGURATION]["deployment_id"] == tool.deployment_id
    assert tool.login_url == TOOL + "/lti/login" and tool.jwks_url == TOOL + "/lti/jwks"
    assert tool.redirect_uris == [TOOL + "/lti/launch"]
    assert set(tool.scopes) == set(body["scope"].split())


def test_a_registration_token_is_single_use(platform, lms):
    token = platform.new_registration_token()
    assert register(lms, token, registration_body()).status_code == 200
    assert register(lms, token, registration_body()).status_code == 401


def test_an_expired_registration_token_is_refused(platform, lms):
    assert register(lms, platform.new_registration_token(lifetime=-1), registration_body()).status_code == 401


def test_a_registration_without_a_token_is_401(platform, lms):
    answer = requests.post(lms.url + "/registration", json=registration_body(), timeout=10)
    assert answer.status_code == 401 and answer.json()["error"] == "invalid_token"


def test_registrations_wait_for_activation_when_the_platform_says_so(platform, lms):
    platform.auto_activate_registrations = False
    body = register(lms, platform.new_registration_token(), registration_body()).json()
    assert platform.tools[body["client_id"]].active is False


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"grant_types": ["implicit"]}, "invalid_client_metadata"),
        ({"token_endpoint_auth_method": "client_secret_basic"}, "invalid_client_metadata"),
        ({"redirect_uris": []}, "invalid_redirect_uri"),
        ({"redirect_uris": ["https://elsewhere.example/launch"]}, "invalid_redirect_uri"),
        ({TOOL_CONFIGURATION: {"domain": "tool.example:8443"}}, "invalid_client_metadata"),
        ({"jwks_uri": ""}, "invalid_client_metadata"),
    ],
)
def test_an_invalid_registration_is_400_with_an_rfc7591_error(platform, lms, changes, error):
    answer = register(lms, platform.new_registration_token(), registration_body(**changes))
    assert answer.status_code == 400 and answer.json()["error"] == error
    assert platform.tools == {}


def test_the_registration_start_url_carries_configuration_and_token(platform, lms):
    url = platform.registration_start_url(TOOL + "/lti/register")
    assert url.startswith(TOOL + "/lti/register?openid_configuration=")
    assert "registration_token=" in url
