"""The demo LMS's pages a newcomer sees."""

from __future__ import annotations

from datetime import UTC, datetime

import requests

from demo_lms.flow import parse_forms


def test_course_page_has_a_launch_button_per_user_and_activity(platform, lms, unit_link):
    page = requests.get(lms.url + "/course", timeout=10)
    assert page.status_code == 200 and '<html lang="en">' in page.text
    for user in ("instructor", "learner1", "learner2"):
        assert f'id="launch-{unit_link.id}-{user}"' in page.text
    assert "Launch as Lena Learner (Learner)" in page.text


def test_course_page_offers_the_instructor_to_add_an_activity(lms, tool):
    page = requests.get(lms.url + "/course", timeout=10).text
    assert 'id="add-activity-instructor"' in page and "/deep_link?user=instructor" in page


def test_course_page_without_a_tool_points_to_registration(lms):
    assert "No tool is registered yet" in requests.get(lms.url + "/course", timeout=10).text


def test_gradebook_shows_a_received_score_with_its_progress(platform, lms, unit_link):
    item = platform.line_items[unit_link.line_item_id]
    body = {
        "userId": "learner1",
        "scoreGiven": 75,
        "scoreMaximum": 100,
        "activityProgress": "Completed",
        "gradingProgress": "FullyGraded",
        "timestamp": datetime.now(UTC).isoformat(),
    }
    platform.gradebook.receive(item, platform.users["learner1"], body)
    page = requests.get(lms.url + "/gradebook", timeout=10).text
    assert f'data-line-item="{item.id}" data-user="learner1"' in page
    assert "<strong>75</strong>" in page and "Completed, FullyGraded" in page


def test_embed_page_frames_the_launch(lms, unit_link):
    page = requests.get(
        lms.url + "/course/embed", params={"rl": unit_link.id, "user": "learner1"}, timeout=10
    ).text
    assert '<iframe id="tool-frame"' in page and "target=iframe" in page


def test_tools_page_starts_dynamic_registration_at_the_tools_url(platform, lms):
    page = requests.get(lms.url + "/admin/tools", timeout=10)
    form = parse_forms(page.text, page.url)[0]
    answer = requests.get(
        form.action,
        params={"tool_registration_url": "https://tool.example/lti/register"},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("https://tool.example/lti/register?openid_configuration=")


def test_a_pending_tool_can_be_activated_from_the_tools_page(platform, lms, tool):
    tool.active = False
    answer = requests.post(lms.url + f"/admin/tools/{tool.client_id}/activate", timeout=10)
    assert answer.status_code == 200 and tool.active
