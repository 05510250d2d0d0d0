"""Resume: a learner who leaves mid-unit comes back to the same page, or the same questions, after the LMS
seeds the run-time with the saved location and suspend_data (scorm-again's loadFromJSON, as the player
does)."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.browser
VERSIONS = ("1.2", "2004")


def saved_state(session) -> dict:
    """What an LMS keeps from a suspended session and hands back on the next launch."""
    cmi = session.cmi()
    if session.version == "1.2":
        core = cmi["core"]
        return {
            "cmi": {
                "core": {
                    "entry": "resume",
                    "lesson_location": core["lesson_location"],
                    "lesson_status": "incomplete",
                },
                "suspend_data": cmi["suspend_data"],
            }
        }
    return {
        "cmi": {
            "entry": "resume",
            "location": cmi["location"],
            "suspend_data": cmi["suspend_data"],
            "completion_status": cmi["completion_status"],
        }
    }


@pytest.mark.parametrize("version", VERSIONS)
def test_a_returning_learner_is_welcomed_back_and_lands_on_the_page_they_left(learner, version):
    first = learner(version)
    first.click("#next-page")
    first.leave()
    second = learner(version, seed=saved_state(first))
    assert second.visible_heading() == "Welcome back"
    second.click("#resume-continue")
    assert second.visible_heading() == "When to wash"
    assert second.sco.locator("#page-p02 .progress").text_content() == "Page 2 of 3"


@pytest.mark.parametrize("version", VERSIONS)
def test_a_resumed_check_shows_the_same_questions_and_keeps_the_answers(learner, version):
    first = learner(version)
    first.read_all_pages()
    first.click("#check-start")
    first.answer(right=True)
    first.answer_next(right=False)
    first.click("#next-question")
    third_question = first.question_id()
    drawn_before = json.loads(first.cmi()["suspend_data"])["d"]
    first.leave()

    second = learner(version, seed=saved_state(first))
    second.click("#resume-continue")
    assert second.sco.locator("#check-progress").text_content() == "Question 3 of 4"
    assert second.question_id() == third_question
    second.answer(right=True)
    second.click("#next-question")
    second.answer(right=True)
    second.click("#next-question")
    assert json.loads(second.cmi()["suspend_data"])["d"] == drawn_before
    review = second.sco.locator("#review-list > li")
    assert [review.nth(i).get_attribute("class") for i in range(4)] == [
        "is-right",
        "is-wrong",
        "is-right",
        "is-right",
    ]
    assert second.sco.locator("#results-score").text_content() == "You scored 3 out of 4 (75%)."


@pytest.mark.parametrize("version", VERSIONS)
def test_starting_again_from_the_beginning_forgets_the_saved_place(learner, version):
    first = learner(version)
    first.click("#next-page")
    first.click("#next-page")
    first.leave()
    second = learner(version, seed=saved_state(first))
    second.click("#resume-restart")
    assert second.visible_heading() == "Why clean hands matter"
    assert json.loads(second.cmi()["suspend_data"])["v"] == [0]


def test_unreadable_suspend_data_starts_the_unit_afresh(learner):
    session = learner(
        "2004", seed={"cmi": {"entry": "resume", "location": "p03", "suspend_data": "{not json"}}
    )
    assert session.visible_heading() == "Why clean hands matter"


def test_saved_questions_that_do_not_fit_this_unit_are_dropped(learner):
    foreign = json.dumps({"f": 1, "v": [0, 1, 2], "n": 1, "d": [0, 42, 1], "a": ["z"]})
    session = learner(
        "2004", seed={"cmi": {"entry": "resume", "location": "question-2", "suspend_data": foreign}}
    )
    session.click("#resume-continue")
    # The pages read are kept, the impossible draw is not: the learner is at the start of the check.
    assert session.visible_heading() == "Knowledge check"
    assert json.loads(session.cmi()["suspend_data"])["v"] == [0, 1, 2]
