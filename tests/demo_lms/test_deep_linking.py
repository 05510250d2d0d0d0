"""The deep-linking return: the tool's signed LtiDeepLinkingResponse becomes a resource link and line item."""

from __future__ import annotations

import time
import uuid

import jwt
import pytest
import requests

from demo_lms.keys import PlatformKey
from tests.demo_lms.conftest import auth_params, start_login

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"


@pytest.fixture
def request_claims(lms, tool) -> dict:
    """The platform's LtiDeepLinkingRequest as the tool received it."""
    query = start_login(lms, "/deep_link", user="instructor")
    answer = requests.post(lms.url + "/auth", data=auth_params(lms, tool, query), timeout=10)
    token = answer.text.split('name="id_token" value="')[1].split('"')[0]
    return jwt.decode(token, options={"verify_signature": False})


def response_claims(lms, tool, request_claims, **changes) -> dict:
    now = int(time.time())
    claims = {
        "iss": tool.client_id,
        "aud": lms.url,
        "iat": now,
        "exp": now + 300,
        "nonce": uuid.uuid4().hex,
        LTI + "message_type": "LtiDeepLinkingResponse",
        LTI + "version": "1.3.0",
        LTI + "deployment_id": tool.deployment_id,
        DL + "data": request_claims[DL + "deep_linking_settings"]["data"],
        DL + "content_items": [
            {
                "type": "ltiResourceLink",
                "title": "Unit 5: Work in a person-centred way",
                "custom": {"unit": "u05"},
                "lineItem": {
                    "scoreMaximum": 100,
                    "label": "Unit 5",
                    "resourceId": "u05",
                    "tag": "carecert-unit",
                },
            }
        ],
    }
    claims.update(changes)
    return claims


def post_return(lms, token: str) -> requests.Response:
    return requests.post(lms.url + "/deep_link_return", data={"JWT": token}, timeout=10)


def test_a_signed_response_adds_the_resource_link_and_its_line_item(
    platform, lms, tool, tool_keys, request_claims
):
    answer = post_return(lms, tool_keys.sign(response_claims(lms, tool, request_claims)))
    assert answer.status_code == 200 and "Unit 5: Work in a person-centred way" in answer.text
    link = list(platform.resource_links.values())[-1]
    assert link.custom == {"unit": "u05"} and link.client_id == tool.client_id
    item = platform.line_items[link.line_item_id]
    assert (item.label, item.score_maximum, item.resource_id, item.tag) == (
        "Unit 5",
        100,
        "u05",
        "carecert-unit",
    )
    assert item.resource_link_id == link.id


def test_a_response_signed_by_an_unknown_key_is_refused(platform, lms, tool, tool_keys, request_claims):
    token = tool_keys.sign(response_claims(lms, tool, request_claims), key=PlatformKey.generate())
    answer = post_return(lms, token)
    assert answer.status_code == 400 and platform.resource_links == {}


def test_a_response_for_another_audience_is_refused(platform, lms, tool, tool_keys, request_claims):
    token = tool_keys.sign(response_claims(lms, tool, request_claims, aud="https://other.example"))
    assert post_return(lms, token).status_code == 400


def test_a_response_that_does_not_echo_the_data_is_refused(platform, lms, tool, tool_keys, request_claims):
    token = tool_keys.sign(response_claims(lms, tool, request_claims, **{DL + "data": "forged"}))
    assert post_return(lms, token).status_code == 400


def test_a_response_of_the_wrong_deployment_is_refused(platform, lms, tool, tool_keys, request_claims):
    token = tool_keys.sign(response_claims(lms, tool, request_claims, **{LTI + "deployment_id": "99"}))
    assert post_return(lms, token).status_code == 400


def test_an_expired_response_is_refused(platform, lms, tool, tool_keys, request_claims):
    token = tool_keys.sign(response_claims(lms, tool, request_claims, exp=int(time.time()) - 60))
    assert post_return(lms, token).status_code == 400


def test_a_response_that_is_not_a_jwt_is_a_clear_400(platform, lms, tool):
    answer = post_return(lms, "not-a-jwt")
    assert answer.status_code == 400 and 'role="alert"' in answer.text
