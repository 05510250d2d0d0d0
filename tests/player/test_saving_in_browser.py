"""Saving as the learner sees it: the status shows saved work, a failed save says so in plain words and is
retried by itself, and the answer the server gives reaches the page."""

from __future__ import annotations

import re

import pytest

from tests.player.golf import wait_for_golf

pytestmark = pytest.mark.browser
SAVED = re.compile(r"^Saved at")  # not "Not saved yet" or "Unsaved changes"
GOLF12 = "golf12_RuntimeBasicCalls"


def test_a_failed_save_is_explained_and_retried_until_it_succeeds(world, corpus, browser_page):
    link = world.add_unit(corpus, GOLF12, "Golf saving")
    world.platform.add_user("saver1", "Sid Saver")
    failures = {"left": 2}

    def flaky_network(route):
        if failures["left"] > 0:
            failures["left"] -= 1
            route.abort("connectionreset")
        else:
            route.continue_()

    browser_page.route("**/player/commit?*", flaky_network)
    browser_page.goto(world.launch_url("saver1", link))
    sco = wait_for_golf(browser_page)
    sco.locator("#butNext").click()
    frame = browser_page.locator("#sco").element_handle().content_frame()
    frame.evaluate("() => window.parent.API.LMSCommit('')")

    problem = browser_page.locator("#save-problem")
    problem.wait_for(state="visible")
    assert "could not save your progress" in problem.text_content()
    browser_page.locator("#save-status", has_text=SAVED).wait_for()
    assert problem.is_hidden()
    assert failures["left"] == 0


def test_a_refused_save_is_reported_without_retrying(world, corpus, browser_page):
    link = world.add_unit(corpus, GOLF12, "Golf refused")
    world.platform.add_user("saver2", "Sal Saver")
    browser_page.goto(world.launch_url("saver2", link))
    wait_for_golf(browser_page)

    def forged_commit(route):
        route.continue_(post_data=route.request.post_data.replace('"lesson_location"', '"student_id"'))

    browser_page.route("**/player/commit?*", forged_commit)
    frame = browser_page.locator("#sco").element_handle().content_frame()
    frame.evaluate("() => { window.parent.API.LMSSetValue('cmi.core.lesson_location', '3'); }")
    frame.evaluate("() => window.parent.API.LMSCommit('')")

    problem = browser_page.locator("#save-problem")
    problem.wait_for(state="visible")
    assert "could not be saved" in problem.text_content()
    assert "cmi.core.student_id" in problem.text_content()
