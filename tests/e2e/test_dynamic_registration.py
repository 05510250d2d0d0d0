"""LTI Dynamic Registration round trip: the platform hands the tool its configuration URL and a token; the
tool registers itself; both sides end up with the same client id, deployment and URLs."""

from __future__ import annotations

from urllib.parse import urlsplit

import requests

from demo_lms.models import SCOPE_NRPS, SCOPE_SCORE
from demo_lms.registration import TOOL_CONFIGURATION
from tests.e2e.conftest import ERROR_CODE, refusal_code


def test_the_tool_registers_its_urls_with_the_platform_and_closes_the_dialog(make_world):
    world = make_world(register=False)
    answer = world.register_dynamically()
    assert answer.status_code == 200, answer.text[:1000]
    assert "org.imsglobal.lti.close" in answer.text
    tool = world.registration
    assert tool.login_url == world.tool_url + "/lti/login"
    assert tool.redirect_uris == [world.tool_url + "/lti/launch"]
    assert tool.jwks_url in (world.tool_url + "/lti/jwks", world.tool_url + "/.well-known/jwks.json")
    assert tool.deep_link_url == world.tool_url + "/lti/launch"


def test_the_registration_names_the_tools_domain_and_asks_for_grades_and_roster_scopes(make_world):
    world = make_world(register=False)
    world.register_dynamically()
    request = world.registration.registration_request
    assert request[TOOL_CONFIGURATION]["domain"] == urlsplit(world.tool_url).netloc
    assert {SCOPE_SCORE, SCOPE_NRPS} <= set(request["scope"].split())
    message_types = {message["type"] for message in request[TOOL_CONFIGURATION]["messages"]}
    assert "LtiDeepLinkingRequest" in message_types


def test_the_jwks_url_the_tool_registered_publishes_its_keys(make_world):
    world = make_world(register=False)
    world.register_dynamically()
    keys = requests.get(world.registration.jwks_url, timeout=10).json()["keys"]
    assert keys and all(key["kid"] and key["kty"] == "RSA" for key in keys)


def test_a_registration_the_tool_holds_for_approval_refuses_launches(make_world):
    world = make_world(register=False, REGISTRATION_AUTO_ACTIVATE=False)
    assert world.register_dynamically().status_code == 200
    link = world.platform.add_resource_link("Unit 1")
    page = world.driver().launch("learner1", link.id)
    assert refusal_code(page) == "LTI-REGISTRATION-PENDING"


def test_a_used_registration_token_fails_with_a_clear_page_not_a_crash(make_world):
    world = make_world(register=False)
    start = world.platform.registration_start_url(world.tool_url + "/lti/register")
    assert requests.get(start, timeout=30).status_code == 200
    again = requests.get(start, timeout=30)
    assert again.status_code != 500 and again.status_code >= 400
    match = ERROR_CODE.search(again.text)
    assert match and (match.group(1) or match.group(2)) == "LTI-REGISTRATION-FAILED"
    assert len(world.platform.tools) == 1
