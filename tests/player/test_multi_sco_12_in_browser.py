"""The complex multi-SCO SCORM 1.2 course (Moodle's SCORM debugger package) through the player's table of
contents: hidden items are not listed, a prerequisite unlocks when its SCOs are done, results roll up."""

from __future__ import annotations

import re
import time

import pytest

from tests.player.state import attempts_of, sco_values

pytestmark = pytest.mark.browser
SAVED = re.compile(r"^Saved at")  # not "Not saved yet" or "Unsaved changes"
COMPLEX = "moodle_complexscorm_12"
PREFIX = "mm-ITEM-SCORMDEbugger555f231e21b982c25s"


def set_status_and_commit(page, status: str, score: str | None = None) -> None:
    sco = page.frame_locator("#sco")
    sco.locator("a[href='#common-operations']").click()
    sco.locator("#set-lesson-status-button").click()
    sco.locator("#set-lesson-status-menu li", has_text=status).first.click()
    if score is not None:
        sco.locator("#set-score-button").click()
        sco.locator("#set-score-menu li", has_text=score).first.click()
    sco.locator("#commit-common").click()
    page.locator("#save-status", has_text=SAVED).wait_for()


def open_item(page, number: str) -> None:
    page.locator(f"#toc-list button[data-item='{PREFIX}{number}']").click()
    page.locator(f"#toc-list button[aria-current='step'][data-item='{PREFIX}{number}']").wait_for()
    page.frame_locator("#sco").locator("a[href='#common-operations']").wait_for()


def test_the_contents_list_visible_items_and_hide_the_invisible_one(world, corpus, browser_page):
    link = world.add_unit(corpus, COMPLEX, "Complex 1.2")
    world.platform.add_user("cx1", "Cora Complex")
    browser_page.goto(world.launch_url("cx1", link))
    browser_page.frame_locator("#sco").locator("a[href='#common-operations']").wait_for()

    items = browser_page.locator("#toc-list button").evaluate_all("(all) => all.map(b => b.dataset.item)")

    assert f"{PREFIX}07" not in items  # isvisible="false"
    assert [f"{PREFIX}0{n}" for n in (1, 2, 3, 4, 5, 6, 8)] == items


def test_a_multi_sco_course_played_through_its_contents_rolls_up(world, corpus, browser_page):
    link = world.add_unit(corpus, COMPLEX, "Complex 1.2 play")
    world.platform.add_user("cx2", "Carl Complex")
    browser_page.goto(world.launch_url("cx2", link))
    browser_page.frame_locator("#sco").locator("a[href='#common-operations']").wait_for()
    prerequisite_item = browser_page.locator(f"#toc-list button[data-item='{PREFIX}08']")
    assert prerequisite_item.is_disabled()

    set_status_and_commit(browser_page, "passed", "8")
    open_item(browser_page, "02")
    set_status_and_commit(browser_page, "completed")

    browser_page.locator(f"#toc-list button[data-item='{PREFIX}08']:not([disabled])").wait_for()
    (attempt,) = attempts_of(world.app, "cx2")
    first = sco_values(world.app, attempt.id, f"{PREFIX}01")
    assert (first["cmi.core.lesson_status"], first["cmi.core.score.raw"]) == ("passed", "8")
    assert sco_values(world.app, attempt.id, f"{PREFIX}02")["cmi.core.lesson_status"] == "completed"
    deadline = time.monotonic() + 10
    while attempts_of(world.app, "cx2")[0].completion != "incomplete" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert attempts_of(world.app, "cx2")[0].completion == "incomplete"  # five more SCOs to go
