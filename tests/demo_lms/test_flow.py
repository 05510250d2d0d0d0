"""LaunchDriver runs the browser's part of launches against a tool (here a minimal fake one)."""

from __future__ import annotations

import pytest

from demo_lms.flow import LaunchDriver, parse_forms
from demo_lms.server import serve_in_thread
from tests.demo_lms.fake_tool import create_fake_tool


@pytest.fixture
def fake_tool(platform, lms, tool_keys):
    server = serve_in_thread(create_fake_tool(lms.url, tool_keys, "fake-client"), url_host="localhost")
    registration = platform.register_tool_at(server.url, client_id="fake-client", deployment_id="1")
    registration.jwks_url = tool_keys.jwks_url
    yield registration
    server.stop()


@pytest.fixture
def unit(platform, fake_tool):
    return platform.add_resource_link("Unit 1", line_item={"scoreMaximum": 100})


def test_launch_follows_login_auth_and_the_form_post_to_the_tool_page(lms, unit):
    page = LaunchDriver(lms.url).launch("learner2", unit.id)
    assert page.status_code == 200
    assert 'data-user="learner2"' in page.text and f'data-link="{unit.id}"' in page.text


def test_replaying_the_last_launch_posts_the_same_id_token_again(lms, unit):
    driver = LaunchDriver(lms.url)
    driver.launch("learner1", unit.id)
    url, fields = driver.last_launch_post
    assert url.endswith("/lti/launch") and set(fields) == {"id_token", "state"}
    assert driver.replay_last_launch().status_code == 200  # the fake tool does not refuse replays; ours must


def test_begin_stops_at_the_tools_auth_request_and_finish_posts_a_chosen_id_token(platform, lms, unit):
    driver = LaunchDriver(lms.url)
    auth = driver.begin("learner1", unit.id)
    assert auth.redirect_uri.endswith("/lti/launch") and auth.nonce and auth.state
    token = platform.make_id_token(
        "LtiResourceLinkRequest", "learner1", nonce=auth.nonce, resource_link_id=unit.id
    )
    assert 'data-user="learner1"' in driver.finish(auth, token).text


def test_finish_with_a_wrong_state_reaches_the_tools_refusal(platform, lms, unit):
    driver = LaunchDriver(lms.url)
    auth = driver.begin("learner1", unit.id)
    answer = driver.finish(auth, "x.y.z", state="wrong")
    assert answer.status_code == 400 and "lti-error" in answer.text


def test_deep_linking_round_trip_adds_the_chosen_unit_to_the_course(platform, lms, fake_tool):
    driver = LaunchDriver(lms.url)
    picker = driver.deep_link("instructor")
    assert parse_forms(picker.text, picker.url)[0].fields["unit"] == "u01"
    result = driver.submit_form(picker, {"unit": "u02"})
    assert result.status_code == 200 and "Unit u02" in result.text
    link = list(platform.resource_links.values())[-1]
    assert platform.line_items[link.line_item_id].label == "u02"
