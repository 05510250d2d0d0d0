"""Playing the built SCO against scorm-again: what the LMS hears when a learner passes, fails and leaves."""

from __future__ import annotations

import json

import pytest

from tests.scorm.builder.unit_fixture import correct_option, make_unit

pytestmark = pytest.mark.browser
VERSIONS = ("1.2", "2004")
UNIT = make_unit()
BANK = {question["id"]: question for question in UNIT["assessment"]["bank"]}


def interactions(cmi: dict) -> list[dict]:
    return [cmi["interactions"][key] for key in sorted(cmi["interactions"], key=int)]


def objectives(cmi: dict) -> dict[str, dict]:
    return {objective["id"]: objective for objective in cmi["objectives"].values()}


def test_passing_with_right_answers_completes_and_passes_in_2004(learner):
    session = learner("2004")
    session.read_all_pages()
    session.take_check(right=True)
    cmi = session.cmi()
    assert (cmi["completion_status"], cmi["success_status"]) == ("completed", "passed")
    assert cmi["score"] == {"scaled": "1", "raw": "100", "min": "0", "max": "100"}
    assert cmi["progress_measure"] in ("1", "1.00")
    assert cmi["location"] == "results"


def test_passing_with_right_answers_sets_lesson_status_passed_in_12(learner):
    session = learner("1.2")
    session.read_all_pages()
    session.take_check(right=True)
    core = session.cmi()["core"]
    assert core["lesson_status"] == "passed"
    assert core["score"] == {"raw": "100", "min": "0", "max": "100"}


@pytest.mark.parametrize("version", VERSIONS)
def test_the_results_page_shows_score_and_verdict(learner, version):
    session = learner(version)
    session.read_all_pages()
    session.take_check(right=True)
    assert session.sco.locator("#results-score").text_content() == "You scored 4 out of 4 (100%)."
    assert session.sco.locator("#results-verdict").text_content().startswith("You passed.")
    assert session.sco.locator("#try-again").is_hidden()
    assert session.sco.locator("#review-list > li").count() == 4


def test_each_question_is_a_2004_interaction_with_type_response_result_pattern_and_description(learner):
    session = learner("2004")
    session.read_all_pages()
    asked = session.take_check(right=True)
    recorded = interactions(session.cmi())
    assert [i["id"] for i in recorded] == asked
    for interaction in recorded:
        question = BANK[interaction["id"]]
        right = correct_option(UNIT, question["id"])
        assert interaction["type"] == ("true-false" if question["type"] == "true-false" else "choice")
        assert interaction["learner_response"] == right
        assert interaction["result"] == "correct"
        assert interaction["correct_responses"]["0"]["pattern"] == right
        assert interaction["description"] == question["prompt"]
        assert interaction["objectives"]["0"]["id"] == question["outcome"]
        assert interaction["timestamp"].endswith("Z") and interaction["latency"].startswith("PT")


def test_each_question_is_a_12_interaction_with_letter_responses(learner):
    session = learner("1.2")
    session.read_all_pages()
    asked = session.take_check(right=True)
    recorded = interactions(session.cmi())
    assert [i["id"] for i in recorded] == asked
    for interaction in recorded:
        question = BANK[interaction["id"]]
        position = [o["correct"] for o in question["options"]].index(True)
        expected = {"true": "t", "false": "f"}.get(correct_option(UNIT, question["id"]), "abcdefgh"[position])
        assert (interaction["student_response"], interaction["result"]) == (expected, "correct")
        assert interaction["correct_responses"]["0"]["pattern"] == expected
        assert interaction["objectives"]["0"]["id"] == question["outcome"]


def test_wrong_answers_record_incorrect_interactions(learner):
    session = learner("2004")
    session.read_all_pages()
    session.take_check(right=False)
    recorded = interactions(session.cmi())
    assert {i["result"] for i in recorded} == {"incorrect"}
    assert all(i["learner_response"] != i["correct_responses"]["0"]["pattern"] for i in recorded)


@pytest.mark.parametrize("version", VERSIONS)
def test_each_learning_outcome_is_an_objective_scored_from_its_questions(learner, version):
    session = learner(version)
    session.read_all_pages()
    session.take_check(right=True)
    reported = objectives(session.cmi())
    assert set(reported) == {"LO1", "LO2"}
    drawn_outcomes = {BANK[i["id"]]["outcome"] for i in interactions(session.cmi())}
    for outcome_id in drawn_outcomes:
        objective = reported[outcome_id]
        assert objective["score"]["raw"] == "100"
        if version == "2004":
            assert (objective["success_status"], objective["completion_status"]) == ("passed", "completed")
            assert objective["description"] == next(
                o["text"] for o in UNIT["learning_outcomes"] if o["id"] == outcome_id
            )
        else:
            assert objective["status"] == "passed"


def test_wrong_answers_fail_the_unit_and_offer_another_try_in_2004(learner):
    session = learner("2004")
    session.read_all_pages()
    session.take_check(right=False)
    cmi = session.cmi()
    assert (cmi["completion_status"], cmi["success_status"]) == ("completed", "failed")
    assert cmi["score"]["raw"] == "0" and cmi["score"]["scaled"] == "0"
    assert session.sco.locator("#results-verdict").text_content().startswith("You did not pass")
    assert session.sco.locator("#try-again").is_visible()


def test_wrong_answers_set_lesson_status_failed_in_12(learner):
    session = learner("1.2")
    session.read_all_pages()
    session.take_check(right=False)
    assert session.cmi()["core"]["lesson_status"] == "failed"


def test_try_again_starts_a_fresh_attempt_and_a_pass_then_counts(learner):
    session = learner("2004")
    session.read_all_pages()
    session.take_check(right=False)
    session.click("#try-again")
    assert session.sco.locator("#check-progress").text_content() == "Question 1 of 4"
    assert session.sco.locator("input[name=answer]:checked").count() == 0
    for _ in range(4):
        session.answer(right=True)
        session.click("#next-question")
    cmi = session.cmi()
    assert cmi["success_status"] == "passed"
    assert len(interactions(cmi)) == 8  # both attempts' answers stay on record
    assert json.loads(cmi["suspend_data"])["n"] == 2


def test_a_score_on_the_pass_mark_passes(learner):
    session = learner("2004")
    session.read_all_pages()
    session.click("#check-start")
    for number in range(4):
        session.answer(right=number != 0)  # 3 of 4 = 75%, the fixture's pass mark
        session.click("#next-question")
    cmi = session.cmi()
    assert (cmi["score"]["raw"], cmi["score"]["scaled"], cmi["success_status"]) == ("75", "0.75", "passed")


def test_the_lms_pass_mark_from_the_manifest_wins_over_the_built_in_one(learner):
    session = learner("1.2", seed={"cmi": {"student_data": {"mastery_score": "100"}}})
    session.read_all_pages()
    session.click("#check-start")
    for number in range(4):
        session.answer(right=number != 0)
        session.click("#next-question")
    assert session.cmi()["core"]["lesson_status"] == "failed"
    assert "The pass mark is 100%" in session.sco.locator("#results-verdict").text_content()


@pytest.mark.parametrize("version", VERSIONS)
def test_leaving_unfinished_exits_suspend_with_session_time(learner, version):
    session = learner(version)
    session.click("#next-page")
    session.leave()
    cmi = session.cmi()
    core = cmi["core"] if version == "1.2" else cmi
    assert core["exit"] == "suspend"
    assert core["session_time"] not in ("", "PT0H0M0S", "00:00:00")


@pytest.mark.parametrize("version", VERSIONS)
def test_leaving_after_passing_exits_normally(learner, version):
    session = learner(version)
    session.read_all_pages()
    session.take_check(right=True)
    session.leave()
    cmi = session.cmi()
    assert (cmi["core"]["exit"] if version == "1.2" else cmi["exit"]) == (
        "" if version == "1.2" else "normal"
    )


@pytest.mark.parametrize("version", VERSIONS)
def test_every_page_turn_saves_location_and_suspend_data_with_a_commit(learner, version):
    session = learner(version)
    commits_before = session.page.evaluate("window.harness.calls.length")
    session.click("#next-page")
    cmi = session.cmi()
    location = cmi["core"]["lesson_location"] if version == "1.2" else cmi["location"]
    assert location == "p02"
    assert json.loads(cmi["suspend_data"])["v"] == [0, 1]
    assert session.page.evaluate("window.harness.calls.length") > commits_before
    assert session.sco.locator("#save-status").text_content() == "Progress saved."


def test_progress_measure_grows_with_the_pages_read(learner):
    session = learner("2004")
    assert session.cmi()["progress_measure"] == "0.25"  # 1 of 3 pages + the check
    session.click("#next-page")
    assert session.cmi()["progress_measure"] == "0.50"
    assert session.cmi()["completion_status"] == "incomplete"


@pytest.mark.parametrize("version", VERSIONS)
def test_the_sco_requests_nothing_beyond_its_own_server(learner, version):
    session = learner(version)
    session.read_all_pages()
    session.take_check(right=True)
    origin = session.page.url.split("/scorm")[0]
    assert [url for url in session.requests if not url.startswith((origin, "data:", "about:"))] == []


@pytest.mark.parametrize("version", VERSIONS)
def test_checking_an_answer_sends_its_interaction_in_one_commit(learner, version):
    session = learner(version)
    session.read_all_pages()
    session.click("#check-start")
    commits_before = session.page.evaluate("window.harness.calls.length")
    session.answer(right=True)
    assert session.page.evaluate("window.harness.calls.length") == commits_before + 1
    assert len(session.cmi()["interactions"]) == 1


@pytest.mark.parametrize(
    ("version", "seed"),
    [("1.2", {"cmi": {"core": {"lesson_mode": "review"}}}), ("2004", {"cmi": {"mode": "review"}})],
)
def test_in_review_mode_the_unit_can_be_used_but_reports_nothing(learner, version, seed):
    session = learner(version, seed=seed)
    assert "looking back at this unit" in session.sco.locator("#notice").text_content()
    commits_before = session.page.evaluate("window.harness.calls.length")
    session.read_all_pages()
    session.take_check(right=True)
    cmi = session.cmi()
    assert session.page.evaluate("window.harness.calls.length") == commits_before
    assert len(cmi["interactions"]) == 0
    assert (cmi["core"]["lesson_location"] if version == "1.2" else cmi["location"]) == ""
