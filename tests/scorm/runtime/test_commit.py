"""The server's re-validation of a browser commit: all or nothing, read-only values never taken."""

from __future__ import annotations

import copy

import pytest

from scorm.runtime import Attempt, launch_seed
from scorm.runtime.commit import validate_commit


def state_2004(**launch) -> dict:
    return Attempt.new(
        "2004", launch_seed("2004", learner_id="learner-1", learner_name="Ann", **launch)
    ).to_json()


def state_12(**launch) -> dict:
    return Attempt.new(
        "1.2", launch_seed("1.2", learner_id="learner-1", learner_name="Ann", **launch)
    ).to_json()


def test_a_valid_commit_is_applied_and_reports_the_result() -> None:
    committed = {
        "cmi": {
            "location": "slide-4",
            "completion_status": "completed",
            "success_status": "passed",
            "score": {"scaled": "0.9", "raw": "90", "min": "0", "max": "100"},
            "session_time": "PT5M",
        }
    }
    outcome = validate_commit("2004", state_2004(), committed)
    assert outcome.accepted and outcome.refusals == ()
    assert outcome.result.completion == "completed"
    assert outcome.result.success == "passed"
    assert outcome.result.score_scaled == 0.9
    assert outcome.result.total_time_seconds == 300
    assert Attempt.from_json(outcome.state).model.values["cmi.location"] == "slide-4"


def test_a_score_above_its_range_is_refused_with_the_element_and_code() -> None:
    outcome = validate_commit("2004", state_2004(), {"cmi": {"score": {"scaled": "1.5"}}})
    assert not outcome.accepted
    assert [(r.element, r.value, r.code) for r in outcome.refusals] == [("cmi.score.scaled", "1.5", "407")]
    assert "outside" in outcome.refusals[0].reason


def test_a_1_2_raw_score_of_150_is_refused() -> None:
    outcome = validate_commit("1.2", state_12(), {"cmi": {"core": {"score": {"raw": "150"}}}})
    assert [(r.element, r.code) for r in outcome.refusals] == [("cmi.core.score.raw", "405")]


@pytest.mark.parametrize(
    ("version", "committed", "element", "code"),
    [
        ("2004", {"cmi": {"learner_id": "someone-else"}}, "cmi.learner_id", "404"),
        ("2004", {"cmi": {"credit": "no-credit"}}, "cmi.credit", "404"),
        ("2004", {"cmi": {"mode": "review"}}, "cmi.mode", "404"),
        ("2004", {"cmi": {"launch_data": "tampered"}}, "cmi.launch_data", "404"),
        ("2004", {"cmi": {"scaled_passing_score": "-1"}}, "cmi.scaled_passing_score", "404"),
        ("1.2", {"cmi": {"core": {"student_id": "someone-else"}}}, "cmi.core.student_id", "403"),
        ("1.2", {"cmi": {"student_data": {"mastery_score": "0"}}}, "cmi.student_data.mastery_score", "403"),
    ],
)
def test_a_read_only_element_that_differs_from_the_server_is_refused(
    version, committed, element, code
) -> None:
    state = state_2004() if version == "2004" else state_12(mastery_score="80")
    outcome = validate_commit(version, state, committed)
    assert [(r.element, r.code) for r in outcome.refusals] == [(element, code)]


def test_read_only_values_equal_to_the_servers_or_empty_are_ignored() -> None:
    committed = {
        "cmi": {"learner_id": "learner-1", "credit": "credit", "launch_data": "", "max_time_allowed": ""}
    }
    outcome = validate_commit("2004", state_2004(), committed)
    assert outcome.accepted and outcome.changed == ()


def test_total_time_comes_from_session_time_not_from_the_browser() -> None:
    committed = {"cmi": {"total_time": "PT999H", "session_time": "PT10M"}}
    outcome = validate_commit("2004", state_2004(), committed, terminate=True)
    assert outcome.accepted
    assert outcome.result.total_time == "PT10M"
    assert Attempt.from_json(outcome.state).model.values["cmi.total_time"] == "PT10M"


def test_nothing_of_a_refused_commit_is_applied() -> None:
    committed = {"cmi": {"location": "slide-9", "suspend_data": "abc", "score": {"scaled": "7"}}}
    outcome = validate_commit("2004", state_2004(), committed)
    assert not outcome.accepted and outcome.state is None and outcome.result is None


def test_every_refusal_is_reported_not_only_the_first() -> None:
    committed = {"cmi": {"score": {"scaled": "7"}, "completion_status": "done", "learner_name": "Eve"}}
    outcome = validate_commit("2004", state_2004(), committed)
    assert {r.element for r in outcome.refusals} == {
        "cmi.score.scaled",
        "cmi.completion_status",
        "cmi.learner_name",
    }


def test_a_flattened_commit_is_accepted() -> None:
    committed = {"cmi.location": "p3", "cmi.interactions.0.id": "q1", "cmi.interactions.0.type": "true-false",
                 "cmi.interactions.0.learner_response": "true", "commitSequence": 4}  # fmt: skip
    outcome = validate_commit("2004", state_2004(), committed)
    assert outcome.accepted, outcome.refusals
    assert "cmi.interactions.0.learner_response" in outcome.changed


def test_records_are_applied_id_first_whatever_the_key_order() -> None:
    committed = {"cmi": {"interactions": {"1": {"type": "choice", "id": "q2"}, "0": {"learner_response": "a",
                 "type": "choice", "id": "q1"}}}}  # fmt: skip
    outcome = validate_commit("2004", state_2004(), committed)
    assert outcome.accepted, outcome.refusals


def test_a_record_without_its_id_is_a_dependency_error() -> None:
    outcome = validate_commit(
        "2004", state_2004(), {"cmi": {"interactions": {"0": {"id": "", "type": "choice"}}}}
    )
    assert [(r.element, r.code) for r in outcome.refusals] == [("cmi.interactions.0.type", "408")]


def test_the_render_common_commit_fields_wrapper_is_unwrapped() -> None:
    committed = {"successStatus": "passed", "runtimeData": {"cmi": {"location": "p1"}}, "totalTimeSeconds": 5}
    assert validate_commit("2004", state_2004(), committed).changed == ("cmi.location",)


@pytest.mark.parametrize(
    ("committed", "code"),
    [
        ({"cmi": {"location": 5}}, "406"),
        ({"cmi": {"location": True}}, "406"),
        ({"cmi": {"bogus": "x"}}, "401"),
        ({"cmi": {"suspend_data": "x" * 10_000_000}}, "351"),
    ],
)
def test_hostile_values_are_refused_cleanly(committed: dict, code: str) -> None:
    outcome = validate_commit("2004", state_2004(), committed)
    assert [r.code for r in outcome.refusals] == [code]
    assert len(outcome.refusals[0].value) <= 80


def test_a_body_that_is_not_a_data_model_is_refused() -> None:
    deep: dict = {}
    node = deep.setdefault("cmi", {})
    for _ in range(50):
        node = node.setdefault("x", {})
    assert not validate_commit("2004", state_2004(), deep).accepted
    assert not validate_commit("2004", state_2004(), ["cmi.location", "x"]).accepted


def test_a_commit_after_the_session_ended_is_refused() -> None:
    ended = validate_commit("2004", state_2004(), {"cmi": {"exit": "suspend"}}, terminate=True)
    outcome = validate_commit("2004", ended.state, {"cmi": {"location": "p2"}})
    assert [r.code for r in outcome.refusals] == ["143"]


def test_a_1_2_terminate_commit_applies_the_mastery_score() -> None:
    committed = {
        "cmi": {"core": {"lesson_status": "completed", "score": {"raw": "60"}, "session_time": "00:02:00"}}
    }
    outcome = validate_commit("1.2", state_12(mastery_score="80"), committed, terminate=True)
    assert outcome.result.success == "failed"
    assert outcome.result.completion == "completed"
    assert outcome.result.total_time_seconds == 120


def test_the_previous_state_is_not_modified() -> None:
    state = state_2004()
    before = copy.deepcopy(state)
    validate_commit("2004", state, {"cmi": {"location": "p2"}})
    assert state == before


def test_a_state_of_the_other_version_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        validate_commit("1.2", state_2004(), {})


def test_bracket_indices_of_a_flattened_array_are_read_as_records() -> None:
    committed = {"cmi.objectives[0].id": "obj-z", "cmi.objectives[0].success_status": "passed"}
    outcome = validate_commit("2004", state_2004(), committed)
    assert outcome.accepted, outcome.refusals
    assert Attempt.from_json(outcome.state).model.values["cmi.objectives.0.success_status"] == "passed"


def test_a_commit_of_too_many_values_is_refused_at_once() -> None:
    committed = {f"cmi.x{index}": "1" for index in range(50_001)}
    outcome = validate_commit("2004", state_2004(), committed)
    assert [(r.element, r.code) for r in outcome.refusals] == [("", "201")]


def test_a_commit_full_of_junk_reports_a_bounded_number_of_refusals() -> None:
    committed = {f"cmi.junk{index}": "1" for index in range(5_000)}
    outcome = validate_commit("2004", state_2004(), committed)
    assert not outcome.accepted
    assert len(outcome.refusals) == 50


def storyline_like_12_commit(suspend_data: str) -> dict:
    """The shape scorm-again 3.4.3 posts for a Storyline 1.2 course (captured from its renderCommitCMI)."""
    interaction = {
        "id": "Scene1_QuestionDraw01_Slide3_MultiChoice_0_0", "time": "09:31:00", "type": "choice",
        "weighting": "1", "student_response": "Speak_to_my_manager_and_record_it", "result": "correct",
        "latency": "00:00:12.40", "objectives": {},
        "correct_responses": {"0": {"pattern": "Speak_to_my_manager"}},
    }  # fmt: skip
    core = {
        "student_id": "learner-1", "student_name": "Ann", "lesson_location": "6bh8vqMfYbq",
        "credit": "credit", "lesson_status": "passed", "entry": "ab-initio", "lesson_mode": "normal",
        "exit": "suspend",
        "session_time": "0000:12:30.00", "score": {"raw": "90", "min": "0", "max": "100"},
        "total_time": "00:12:30",
    }  # fmt: skip
    return {
        "cmi": {
            "suspend_data": suspend_data, "launch_data": "", "comments": "", "comments_from_lms": "",
            "core": core, "objectives": {},
            "student_data": {"mastery_score": "80", "max_time_allowed": "", "time_limit_action": ""},
            "student_preference": {"audio": "", "language": "", "speed": "", "text": ""},
            "interactions": {"0": interaction},
        },
        "commitSequence": 9,
    }  # fmt: skip


def test_a_storyline_like_1_2_commit_with_64k_suspend_data_is_accepted() -> None:
    suspend_data = "".join(chr(48 + (index * 7) % 75) for index in range(64_000))
    outcome = validate_commit(
        "1.2", state_12(mastery_score="80"), storyline_like_12_commit(suspend_data), terminate=True
    )
    assert outcome.accepted, outcome.refusals
    assert (outcome.result.completion, outcome.result.success, outcome.result.score_scaled) == (
        "completed",
        "passed",
        0.9,
    )
    resumed = Attempt.from_json(outcome.state).next_session()
    resumed.call("LMSInitialize", "")
    assert resumed.call("LMSGetValue", "cmi.suspend_data") == suspend_data
    assert resumed.call("LMSGetValue", "cmi.core.lesson_location") == "6bh8vqMfYbq"
