"""The content pages as a learner meets them: one page at a time, where they are, and a way on to the
check."""

from __future__ import annotations

import pytest

from tests.scorm.builder.unit_fixture import make_unit

pytestmark = pytest.mark.browser


def test_pages_show_one_at_a_time_with_where_the_learner_is(learner):
    session = learner("2004")
    assert session.sco.locator(".content-page:visible").count() == 1
    assert session.sco.locator("#page-p01 .progress").text_content() == "Page 1 of 3"
    session.click("#next-page")
    assert session.visible_heading() == "When to wash"
    assert session.sco.locator("#page-p02 .progress").text_content() == "Page 2 of 3"


def test_previous_goes_back_and_is_unavailable_on_the_first_page(learner):
    session = learner("2004")
    assert session.sco.locator("#previous-page").is_disabled()
    session.click("#next-page")
    session.click("#previous-page")
    assert session.visible_heading() == "Why clean hands matter"


def test_the_last_page_leads_to_the_knowledge_check_which_states_the_rules(learner):
    session = learner("2004")
    session.click("#next-page")
    session.click("#next-page")
    assert session.sco.locator("#next-page").text_content() == "Next: knowledge check"
    session.click("#next-page")
    intro = session.sco.locator("#check-intro").text_content()
    assert "There are 4 questions" in intro and "You need 75% to pass" in intro


def test_check_yourself_hides_its_answer_until_asked(learner):
    session = learner("2004")
    session.click("#next-page")
    session.click("#next-page")
    answer = session.sco.locator("#page-p03 details p")
    assert answer.is_hidden()
    session.sco.locator("#page-p03 summary").click()
    assert answer.is_visible() and answer.text_content() == "At least 20 seconds."


def test_examples_and_tips_are_marked_as_such(learner):
    session = learner("2004")
    session.click("#next-page")
    assert session.sco.locator("#page-p02 .example h3").text_content() == "Example: At work"
    assert session.sco.locator("#page-p02 .tip").text_content().startswith("Remember:")


def test_the_unit_summary_introduces_the_first_page_only(learner):
    session = learner("2004")
    assert session.sco.locator("#unit-summary").is_visible()
    session.click("#next-page")
    assert session.sco.locator("#unit-summary").is_hidden()


def test_a_scenario_question_shows_the_situation_before_the_choices(learner):
    unit = make_unit()
    unit["assessment"]["questions_per_attempt"] = len(unit["assessment"]["bank"])  # q03 is always drawn
    session = learner("2004", unit=unit)
    session.read_all_pages()
    session.click("#check-start")
    while session.question_id() != "q03":
        session.answer(right=True)
        session.click("#next-question")
    scenario = session.sco.locator(".scenario")
    assert (
        scenario.text_content()
        == "The situation: You have just emptied a commode. Mr Jones asks for a drink."
    )
    assert session.sco.locator("fieldset.question").get_attribute(
        "aria-describedby"
    ) == scenario.get_attribute("id")
