"""A catalogue unit from a fresh tool, played in Chromium through the player after a real LTI launch: the
learner reads the pages and passes the knowledge check, and the server holds the passed attempt with its
interactions and objectives."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from lti_tool.catalogue import load_unit
from tests.player.conftest import PlayerWorld, browser_page, chromium, start_world  # noqa: F401 - fixtures
from tests.player.state import attempts_of, sco_values
from tests.scorm.builder.unit_fixture import correct_option

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def fresh_tool(tmp_path_factory) -> Iterator[PlayerWorld]:
    world = start_world(tmp_path_factory.mktemp("fresh-tool"))
    yield world
    world.stop()


def wait_for(condition, seconds: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("the condition did not come true in time")


def pass_the_unit(page, unit: dict) -> None:  # type: ignore[no-untyped-def]
    sco = page.frame_locator("#sco")
    for _ in unit["pages"]:
        sco.locator("#next-page").click()
    sco.locator("#check-intro-title").wait_for()
    sco.locator("#check-start").click()
    for _ in range(unit["assessment"]["questions_per_attempt"]):
        question_id = sco.locator("fieldset.question").get_attribute("data-question-id")
        sco.locator(f"input[name=answer][value='{correct_option(unit, question_id)}']").check()
        sco.locator("#check-answer").click()
        sco.locator("#next-question").click()
    sco.locator("#results-title").wait_for()


def test_a_learner_passes_a_catalogue_unit_in_the_player(fresh_tool, browser_page):  # noqa: F811
    unit = load_unit("u13")
    link = fresh_tool.platform.add_resource_link(unit["title"], custom={"unit": "catalogue:u13"})
    fresh_tool.platform.add_user("cat1", "Cara Catalogue")
    browser_page.goto(fresh_tool.launch_url("cat1", link))
    browser_page.frame_locator("#sco").locator(".screen:not([hidden]) h2").first.wait_for()
    pass_the_unit(browser_page, unit)

    wait_for(lambda: [a.success for a in attempts_of(fresh_tool.app, "cat1")] == ["passed"])
    (attempt,) = attempts_of(fresh_tool.app, "cat1")
    assert attempt.completion == "completed" and attempt.score_scaled == 1.0
    values = sco_values(fresh_tool.app, attempt.id, fresh_tool_item(fresh_tool, attempt.package_pk))
    answered = {name.split(".")[2] for name in values if name.startswith("cmi.interactions.")}
    assert len(answered) == unit["assessment"]["questions_per_attempt"]
    objectives = {
        values[name] for name in values if name.startswith("cmi.objectives.") and name.endswith(".id")
    }
    # Every learning outcome is an objective (SCORM 2004 also lists the primary objective).
    assert objectives >= {outcome["id"] for outcome in unit["learning_outcomes"]}


def fresh_tool_item(world: PlayerWorld, package_pk: int) -> str:
    """The SCO's item identifier in the catalogue package the attempt played (one SCO per unit)."""
    from lti_tool.player.access import course_of_package

    with world.app.extensions["carecert"].db.session(readonly=True) as session:
        course = course_of_package(session, package_pk, world.app.config["DATA_DIR"])
    (item_id,) = course.tracked_ids
    return item_id
