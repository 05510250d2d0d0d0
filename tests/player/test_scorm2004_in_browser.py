"""SCORM 2004 courses in Chromium after a real LTI launch: the run-time advanced calls course to a passed
score, a 64,000-character suspend_data that survives a relaunch, and sequencing decided by scorm-again's
engine from scorm.sequencing's activity tree (ForcedSequential: a locked activity cannot be chosen)."""

from __future__ import annotations

import re
import time

import pytest

from tests.player.golf import content_frame, go_to_page, pass_the_quiz, wait_for_golf
from tests.player.state import attempts_of, sco_values

pytestmark = pytest.mark.browser
SAVED = re.compile(r"^Saved at")  # not "Not saved yet" or "Unsaved changes"
ADVANCED = "golf2004e3_RunTimeAdvancedCalls"
FORCED = "golf2004e3_SequencingForcedSequential"


def wait_for(condition, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("the condition did not come true in time")


def test_run_time_advanced_calls_course_stores_completion_success_and_score(world, corpus, browser_page):
    link = world.add_unit(corpus, ADVANCED, "Golf 2004 advanced")
    world.platform.add_user("adv1", "Ada Advanced")
    browser_page.goto(world.launch_url("adv1", link))

    go_to_page(browser_page, 14)  # the quiz is the last page
    pass_the_quiz(browser_page)
    content_frame(browser_page).locator("#butExit").click()

    (attempt,) = attempts_of(world.app, "adv1")
    wait_for(lambda: attempts_of(world.app, "adv1")[0].success == "passed")
    (attempt,) = attempts_of(world.app, "adv1")
    assert (attempt.completion, attempt.success, attempt.score_scaled) == ("completed", "passed", 1.0)
    values = sco_values(world.app, attempt.id, "item_1")
    assert values["cmi.score.scaled"] == "1"
    assert any(name.startswith("cmi.interactions.") for name in values)  # the quiz recorded its answers


def test_a_64000_character_suspend_data_survives_closing_and_launching_again(world, corpus, chromium):
    link = world.add_unit(corpus, ADVANCED, "Golf 2004 suspend")
    world.platform.add_user("adv2", "Abe Advanced")
    context = chromium.new_context()
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(world.launch_url("adv2", link))
    wait_for_golf(page)
    big = "".join(chr(0x41 + (n * 7) % 26) for n in range(64_000))
    sco = page.locator("#sco").element_handle().content_frame()
    assert sco.evaluate("big => window.parent.API_1484_11.SetValue('cmi.suspend_data', big)", big) == "true"
    sco.evaluate("() => window.parent.API_1484_11.Commit('')")
    page.locator("#save-status", has_text=SAVED).wait_for()
    page.close(run_before_unload=True)
    (attempt,) = attempts_of(world.app, "adv2")
    wait_for(lambda: sco_values(world.app, attempt.id, "item_1").get("cmi.exit") == "suspend")

    again = context.new_page()
    again.on("dialog", lambda dialog: dialog.accept())
    again.goto(world.launch_url("adv2", link))
    wait_for_golf(again)
    frame = again.locator("#sco").element_handle().content_frame()
    assert frame.evaluate("() => window.parent.API_1484_11.GetValue('cmi.entry')") == "resume"
    assert frame.evaluate("() => window.parent.API_1484_11.GetValue('cmi.suspend_data')") == big
    context.close()


def test_forced_sequential_locks_later_activities_until_their_prerequisite_is_done(
    world, corpus, browser_page
):
    link = world.add_unit(corpus, FORCED, "Golf sequencing")
    world.platform.add_user("seq1", "Sam Sequence")
    browser_page.goto(world.launch_url("seq1", link))
    wait_for_golf(browser_page)

    locked = browser_page.locator("#toc-list button[data-item='handicapping_item']")
    assert locked.is_disabled()
    assert (
        browser_page.locator("#toc-list button[aria-current='step']").get_attribute("data-item")
        == "playing_item"
    )
    locked.click(force=True)  # even a forced click on the locked activity changes nothing
    assert (
        browser_page.locator("#toc-list button[aria-current='step']").get_attribute("data-item")
        == "playing_item"
    )


def test_forced_sequential_continue_delivers_the_next_activity_after_the_first_is_done(
    world, corpus, browser_page
):
    link = world.add_unit(corpus, FORCED, "Golf sequencing 2")
    world.platform.add_user("seq2", "Sue Sequence")
    browser_page.goto(world.launch_url("seq2", link))

    go_to_page(browser_page, 4)  # the last page of "Playing the Game" completes it
    browser_page.locator("#nav-continue:not([disabled])").click()

    current = browser_page.locator("#toc-list button[aria-current='step'][data-item='etuqiette_item']")
    current.wait_for()
    (attempt,) = attempts_of(world.app, "seq2")
    wait_for(
        lambda: sco_values(world.app, attempt.id, "playing_item").get("cmi.completion_status") == "completed"
    )
    assert attempts_of(world.app, "seq2")[0].completion in ("incomplete", "completed")


def test_forced_sequential_resumes_at_the_activity_the_learner_reached(world, corpus, chromium):
    link = world.add_unit(corpus, FORCED, "Golf sequencing resume")
    world.platform.add_user("seq3", "Syd Sequence")
    context = chromium.new_context()
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(world.launch_url("seq3", link))
    go_to_page(page, 4)
    page.locator("#nav-continue:not([disabled])").click()
    page.locator("#toc-list button[aria-current='step'][data-item='etuqiette_item']").wait_for()
    wait_for_golf(page)
    page.close(run_before_unload=True)

    again = context.new_page()
    again.on("dialog", lambda dialog: dialog.accept())
    again.goto(world.launch_url("seq3", link))
    wait_for_golf(again)

    current = again.locator("#toc-list button[aria-current='step']")
    assert current.get_attribute("data-item") == "etuqiette_item"
    assert again.locator("#toc-list button[data-item='playing_item']").is_enabled()
    assert again.locator("#toc-list button[data-item='handicapping_item']").is_disabled()
    context.close()
