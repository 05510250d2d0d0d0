"""Resource-link launches of our tool from the independent platform, including clock skew and key rotation."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import body_attribute


def test_a_learner_launch_reaches_the_tool_page_as_a_learner(world):
    page = world.driver().launch("learner1", world.unit.id)
    assert page.status_code == 200, page.text[:1000]
    assert body_attribute(page, "data-role") == "learner"
    assert body_attribute(page, "data-user") == "learner1"
    assert body_attribute(page, "data-launch-token")
    assert "Lena Learner" in page.text and world.unit.title in page.text


def test_an_instructor_launch_reaches_the_tool_page_as_an_instructor(world):
    page = world.driver().launch("instructor", world.unit.id)
    assert page.status_code == 200, page.text[:1000]
    assert body_attribute(page, "data-role") == "instructor"
    assert body_attribute(page, "data-user") == "instructor"


def test_two_learners_get_different_launch_tokens(world):
    first = world.driver().launch("learner1", world.unit.id)
    second = world.driver().launch("learner2", world.unit.id)
    assert body_attribute(first, "data-launch-token") != body_attribute(second, "data-launch-token")


def test_a_platform_clock_45_seconds_ahead_is_accepted(world):
    world.platform.clock_offset_seconds = 45
    page = world.driver().launch("learner1", world.unit.id)
    assert page.status_code == 200, page.text[:1000]
    assert body_attribute(page, "data-user") == "learner1"


def test_a_platform_key_rotated_during_the_session_is_fetched_and_accepted(world):
    assert world.driver().launch("learner1", world.unit.id).status_code == 200  # the tool caches the JWKS
    world.platform.rotate_key(keep_previous=False)
    page = world.driver().launch("learner1", world.unit.id)
    assert page.status_code == 200, page.text[:1000]
    assert body_attribute(page, "data-user") == "learner1"


def test_a_platform_clock_90_seconds_behind_is_accepted_within_the_leeway(world):
    # Moodle's id_token lives 60 s: from a clock 90 s behind it arrives 30 s past its exp.
    world.platform.clock_offset_seconds = -90
    page = world.driver().launch("learner1", world.unit.id)
    assert page.status_code == 200, page.text[:1000]


def test_a_moodle_style_form_post_login_initiation_launches(world):
    world.platform.login_method = "POST"
    page = world.driver().launch("learner1", world.unit.id)
    assert page.status_code == 200, page.text[:1000]
    assert body_attribute(page, "data-user") == "learner1"


@pytest.mark.parametrize(
    ("lms_role", "tool_role"),
    [("TeachingAssistant", "assessor"), ("Mentor", "assessor"), ("Administrator", "administrator")],
)
def test_other_lms_roles_map_to_the_tools_roles(world, lms_role, tool_role):
    world.platform.add_user("someone", "Sam Someone", lms_role)
    page = world.driver().launch("someone", world.unit.id)
    assert page.status_code == 200, page.text[:1000]
    assert body_attribute(page, "data-role") == tool_role
