"""A SCORM 1.2 course played in Chromium after a real LTI launch from the demo LMS: to completion with a
score, and resumed where the learner left it."""

from __future__ import annotations

import re

import pytest

from tests.player.golf import content_frame, go_to_page, pass_the_quiz, wait_for_golf
from tests.player.state import attempts_of, sco_values

pytestmark = pytest.mark.browser
SAVED = re.compile(r"^Saved at")  # not "Not saved yet" or "Unsaved changes"
GOLF12 = "golf12_RuntimeBasicCalls"


def wait_until_saved(page) -> None:
    page.locator("#save-status", has_text=SAVED).wait_for()


def test_golf12_played_to_the_end_stores_completion_success_and_score(world, corpus, browser_page):
    link = world.add_unit(corpus, GOLF12, "Golf 1.2")
    world.platform.add_user("golfer1", "Gail Golfer")
    browser_page.goto(world.launch_url("golfer1", link))

    go_to_page(browser_page, 15)  # the last page is the quiz
    pass_the_quiz(browser_page)
    content_frame(browser_page).locator("#butExit").click()
    wait_until_saved(browser_page)  # LMSFinish's commit went by beacon
    _wait_for(lambda: attempts_of(world.app, "golfer1")[0].success == "passed")

    (attempt,) = attempts_of(world.app, "golfer1")
    assert (attempt.completion, attempt.success, attempt.score_scaled) == ("completed", "passed", 1.0)
    values = sco_values(world.app, attempt.id, "item_1")
    assert values["cmi.core.lesson_status"] == "passed"
    assert values["cmi.core.score.raw"] == "100"


def test_closing_mid_course_and_launching_again_resumes_at_the_same_page(world, corpus, chromium):
    link = world.add_unit(corpus, GOLF12, "Golf 1.2 resume")
    world.platform.add_user("golfer2", "Gus Golfer")
    context = chromium.new_context()
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(world.launch_url("golfer2", link))
    go_to_page(page, 6)
    page.close(run_before_unload=True)  # closing the tab: pagehide sends the last state by beacon
    (attempt,) = attempts_of(world.app, "golfer2")
    _wait_for(lambda: sco_values(world.app, attempt.id, "item_1").get("cmi.core.exit") == "suspend")

    questions: list[str] = []
    again = context.new_page()
    again.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    again.goto(world.launch_url("golfer2", link))
    sco = wait_for_golf(again)
    sco.frame_locator("#contentFrame").locator("body").wait_for()
    _wait_for(lambda: bool(questions))
    assert "resume" in questions[0]
    assert sco_values(world.app, attempt.id, "item_1")["cmi.core.lesson_location"] == "6"
    assert sco.locator("#contentFrame").get_attribute("src").endswith("Etiquette/Distracting.html")
    context.close()


def _wait_for(condition, seconds: float = 10.0) -> None:
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("the condition did not come true in time")
