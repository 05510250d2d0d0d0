"""The platform's half of an LTI 1.3 launch: login initiation, the /auth endpoint, the id_token it signs."""

from __future__ import annotations

import json
import time

import jwt
import requests

from demo_lms.flow import auto_submitted_form
from demo_lms.keys import PlatformKey
from tests.demo_lms.conftest import TOOL_BASE, auth_params, start_login

LTI = "https://purl.imsglobal.org/spec/lti/claim/"


def decode_with_platform_jwks(lms, token: str) -> dict:
    keys = requests.get(lms.url + "/jwks", timeout=10).json()["keys"]
    kid = jwt.get_unverified_header(token)["kid"]
    key = jwt.PyJWK(next(k for k in keys if k["kid"] == kid))
    return jwt.decode(token, key, algorithms=["RS256"], options={"verify_aud": False})


def launch_id_token(lms, tool, query, **changes) -> str:
    answer = requests.post(lms.url + "/auth", data=auth_params(lms, tool, query, **changes), timeout=10)
    assert answer.status_code == 200, answer.text
    form = auto_submitted_form(answer)
    assert form is not None and form.action == tool.redirect_uris[0]
    return form.fields["id_token"]


def test_launch_button_sends_the_browser_to_the_tools_login_with_the_oidc_parameters(lms, tool, unit_link):
    query = start_login(lms, "/launch", user="learner1", rl=unit_link.id)
    assert query["iss"] == lms.url
    assert query["login_hint"] == "learner1"
    assert query["client_id"] == tool.client_id
    assert query["lti_deployment_id"] == tool.deployment_id
    assert query["target_link_uri"] == TOOL_BASE + "/lti/launch"
    assert query["lti_message_hint"]


def test_auth_answers_an_auto_posting_form_with_an_id_token_verifiable_by_the_jwks(lms, tool, unit_link):
    query = start_login(lms, "/launch", user="learner1", rl=unit_link.id)
    claims = decode_with_platform_jwks(lms, launch_id_token(lms, tool, query))
    assert claims["iss"] == lms.url and claims["aud"] == tool.client_id
    assert claims["nonce"] == "nonce-1"
    assert claims["sub"] == "learner1"
    assert claims[LTI + "message_type"] == "LtiResourceLinkRequest"
    assert claims[LTI + "version"] == "1.3.0"
    assert claims[LTI + "deployment_id"] == tool.deployment_id
    assert claims[LTI + "resource_link"]["id"] == unit_link.id
    assert claims[LTI + "roles"] == ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"]
    assert claims["exp"] - claims["iat"] == 60


def test_the_launch_carries_the_line_item_of_the_resource_link_with_a_query_string(lms, tool, unit_link):
    query = start_login(lms, "/launch", user="learner1", rl=unit_link.id)
    claims = decode_with_platform_jwks(lms, launch_id_token(lms, tool, query))
    endpoint = claims["https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"]
    assert endpoint["lineitem"].endswith(
        f"/lineitems/{unit_link.line_item_id}/lineitem?type_id={tool.deployment_id}"
    )
    assert endpoint["lineitems"] == lms.url + "/ags/CareCert-L2/lineitems"


def test_instructor_launch_carries_the_instructor_role(lms, tool, unit_link):
    query = start_login(lms, "/launch", user="instructor", rl=unit_link.id)
    claims = decode_with_platform_jwks(lms, launch_id_token(lms, tool, query))
    assert claims[LTI + "roles"] == ["http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"]


def test_deep_linking_request_carries_the_return_url_and_an_opaque_data_string(lms, tool):
    query = start_login(lms, "/deep_link", user="instructor")
    claims = decode_with_platform_jwks(lms, launch_id_token(lms, tool, query))
    settings = claims["https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"]
    assert claims[LTI + "message_type"] == "LtiDeepLinkingRequest"
    assert settings["deep_link_return_url"] == lms.url + "/deep_link_return"
    assert settings["accept_types"] == ["ltiResourceLink"]
    assert isinstance(settings["data"], str) and settings["data"]
    assert LTI + "resource_link" not in claims


def test_auth_refuses_a_redirect_uri_that_is_not_registered(lms, tool, unit_link):
    query = start_login(lms, "/launch", user="learner1", rl=unit_link.id)
    params = auth_params(lms, tool, query, redirect_uri=TOOL_BASE + "/elsewhere")
    answer = requests.post(lms.url + "/auth", data=params, timeout=10)
    assert answer.status_code == 400
    assert 'id="lms-error"' in answer.text and "redirect_uri" in answer.text


def test_auth_refuses_a_login_hint_that_is_not_the_user_who_launched(lms, tool, unit_link):
    query = start_login(lms, "/launch", user="learner1", rl=unit_link.id)
    answer = requests.post(
        lms.url + "/auth", data=auth_params(lms, tool, query, login_hint="learner2"), timeout=10
    )
    assert answer.status_code == 400


def test_auth_refuses_a_message_hint_it_never_issued(lms, tool, unit_link):
    query = start_login(lms, "/launch", user="learner1", rl=unit_link.id)
    params = auth_params(lms, tool, query, lti_message_hint="forged")
    assert requests.post(lms.url + "/auth", data=params, timeout=10).status_code == 400


def test_auth_refuses_a_request_without_nonce(lms, tool, unit_link):
    query = start_login(lms, "/launch", user="learner1", rl=unit_link.id)
    params = auth_params(lms, tool, query, nonce="")
    assert requests.post(lms.url + "/auth", data=params, timeout=10).status_code == 400


def test_launch_of_an_unknown_user_is_a_clear_404(lms, tool, unit_link):
    answer = requests.get(lms.url + "/launch", params={"user": "nobody", "rl": unit_link.id}, timeout=10)
    assert answer.status_code == 404 and 'id="lms-error"' in answer.text


def test_a_pending_tool_cannot_be_launched(lms, tool, unit_link):
    tool.active = False
    answer = requests.get(lms.url + "/launch", params={"user": "learner1", "rl": unit_link.id}, timeout=10)
    assert answer.status_code == 403


def test_clock_offset_moves_iat_and_exp(platform, lms, tool, unit_link):
    platform.clock_offset_seconds = 45
    claims = jwt.decode(
        platform.make_id_token("LtiResourceLinkRequest", "learner1"), options={"verify_signature": False}
    )
    assert claims["iat"] >= int(time.time()) + 44


def test_rotate_key_signs_with_a_new_kid_and_keeps_the_old_key_published(platform, lms, tool, unit_link):
    old_kid = platform.signing_key.kid
    new_key = platform.rotate_key()
    token = platform.make_id_token("LtiResourceLinkRequest", "learner1")
    assert jwt.get_unverified_header(token)["kid"] == new_key.kid != old_kid
    published = {key["kid"] for key in requests.get(lms.url + "/jwks", timeout=10).json()["keys"]}
    assert published == {old_kid, new_key.kid}
    decode_with_platform_jwks(lms, token)


def test_rotate_key_can_retire_the_old_key_at_once(platform, lms):
    platform.rotate_key(keep_previous=False)
    assert [key["kid"] for key in platform.jwks()["keys"]] == [platform.signing_key.kid]


def test_make_id_token_applies_overrides_and_removals(platform, lms, tool, unit_link):
    token = platform.make_id_token(
        "LtiResourceLinkRequest",
        "learner1",
        overrides={LTI + "version": "1.1.0"},
        remove=[LTI + "roles", (LTI + "resource_link", "id")],
        nonce="n-1",
    )
    claims = decode_with_platform_jwks(lms, token)
    assert claims[LTI + "version"] == "1.1.0"
    assert LTI + "roles" not in claims
    assert claims[LTI + "resource_link"] == {"title": unit_link.title}
    assert claims["nonce"] == "n-1"


def test_make_id_token_can_drop_or_change_the_kid_and_sign_with_another_key(platform, lms, tool, unit_link):
    assert "kid" not in jwt.get_unverified_header(
        platform.make_id_token("LtiResourceLinkRequest", "learner1", kid=None)
    )
    other = PlatformKey.generate()
    token = platform.make_id_token("LtiResourceLinkRequest", "learner1", sign_with=other)
    assert jwt.get_unverified_header(token)["kid"] == other.kid
    assert other.kid not in {key["kid"] for key in platform.jwks()["keys"]}


def test_an_embedded_launch_names_the_storage_frame_when_platform_storage_is_on(
    platform, lms, tool, unit_link
):
    platform.platform_storage = True
    query = start_login(lms, "/launch", user="learner1", rl=unit_link.id, target="iframe")
    assert query["lti_storage_target"] == "_parent"


def test_a_new_window_launch_names_no_storage_frame(platform, lms, tool, unit_link):
    platform.platform_storage = True
    query = start_login(lms, "/launch", user="learner1", rl=unit_link.id, target="window")
    assert "lti_storage_target" not in query


def test_platform_storage_is_off_by_default_as_in_moodle(platform, lms, tool, unit_link):
    query = start_login(lms, "/launch", user="learner1", rl=unit_link.id, target="iframe")
    assert "lti_storage_target" not in query


def test_moodle_style_login_initiation_is_a_self_posting_form(platform, lms, tool, unit_link):
    platform.login_method = "POST"
    answer = requests.get(lms.url + "/launch", params={"user": "learner1", "rl": unit_link.id}, timeout=10)
    form = auto_submitted_form(answer)
    assert form.method == "post" and form.action == TOOL_BASE + "/lti/login"
    assert form.fields["login_hint"] == "learner1" and form.fields["iss"] == lms.url


def test_the_message_hint_is_a_json_string_as_moodle_sends(platform, lms, tool, unit_link):
    query = start_login(lms, "/launch", user="learner1", rl=unit_link.id)
    assert json.loads(query["lti_message_hint"])["cmid"] == unit_link.id


def test_a_launch_with_a_line_item_also_carries_the_basic_outcome_claim(lms, tool, unit_link):
    query = start_login(lms, "/launch", user="learner1", rl=unit_link.id)
    claims = decode_with_platform_jwks(lms, launch_id_token(lms, tool, query))
    assert "lis_result_sourcedid" in claims["https://purl.imsglobal.org/spec/lti-bo/claim/basicoutcome"]
