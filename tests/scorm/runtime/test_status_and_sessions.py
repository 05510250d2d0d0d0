"""Derived statuses, total time, 1.2's end-of-session rules, resume, results and serialisation."""

from __future__ import annotations

import json

import pytest

from scorm.cmi import Ceilings
from scorm.runtime import Attempt, SeedError, launch_seed
from tests.scorm.cmi.helpers import get, running, set_, set_all


def test_2004_completion_follows_progress_against_the_threshold() -> None:
    attempt = running("2004", launch_seed("2004", learner_id="l1", completion_threshold="0.8"))
    set_all(attempt, ("cmi.completion_status", "completed"))
    assert get(attempt, "cmi.completion_status") == ("unknown", "0")
    set_all(attempt, ("cmi.progress_measure", "0.79"))
    assert get(attempt, "cmi.completion_status") == ("incomplete", "0")
    set_all(attempt, ("cmi.progress_measure", "0.8"))
    assert get(attempt, "cmi.completion_status") == ("completed", "0")


def test_2004_success_follows_the_scaled_score_against_the_passing_score() -> None:
    attempt = running("2004", launch_seed("2004", learner_id="l1", scaled_passing_score="0.7"))
    set_all(attempt, ("cmi.success_status", "passed"))
    assert get(attempt, "cmi.success_status") == ("unknown", "0")
    set_all(attempt, ("cmi.score.scaled", "0.69"))
    assert get(attempt, "cmi.success_status") == ("failed", "0")
    assert attempt.result().success == "failed"


def test_2004_without_threshold_the_content_decides() -> None:
    attempt = running("2004")
    set_all(attempt, ("cmi.completion_status", "incomplete"), ("cmi.progress_measure", "1"))
    assert get(attempt, "cmi.completion_status") == ("incomplete", "0")


def test_2004_terminate_adds_session_time_to_total_time() -> None:
    attempt = running("2004", {"cmi": {"total_time": "PT1H"}})
    set_all(attempt, ("cmi.session_time", "PT30M15.5S"))
    attempt.call("Terminate", "")
    assert attempt.model.values["cmi.total_time"] == "PT1H30M15.5S"
    assert attempt.result().total_time_seconds == 5415.5


def test_2004_a_suspended_session_resumes_with_its_location_and_data() -> None:
    attempt = running("2004", launch_seed("2004", learner_id="l1"))
    big_state = "s" * 64_000
    set_all(attempt, ("cmi.location", "p7"), ("cmi.suspend_data", big_state), ("cmi.exit", "suspend"))
    attempt.call("Terminate", "")
    resumed = attempt.next_session()
    resumed.call("Initialize", "")
    assert get(resumed, "cmi.entry") == ("resume", "0")
    assert get(resumed, "cmi.location") == ("p7", "0")
    assert get(resumed, "cmi.suspend_data") == (big_state, "0")


def test_2004_a_normal_exit_starts_a_new_attempt_next_time() -> None:
    attempt = running("2004", launch_seed("2004", learner_id="l1", completion_threshold="0.5"))
    set_all(attempt, ("cmi.location", "p7"), ("cmi.exit", "normal"))
    attempt.call("Terminate", "")
    fresh = attempt.next_session()
    fresh.call("Initialize", "")
    assert get(fresh, "cmi.entry") == ("ab-initio", "0")
    assert get(fresh, "cmi.location") == ("", "403")
    assert get(fresh, "cmi.completion_threshold") == ("0.5", "0")


def test_1_2_status_left_unset_becomes_completed_at_lmsfinish() -> None:
    attempt = running("1.2")
    attempt.call("LMSFinish", "")
    assert attempt.model.values["cmi.core.lesson_status"] == "completed"


def test_1_2_status_left_unset_in_browse_mode_becomes_browsed() -> None:
    attempt = running("1.2", launch_seed("1.2", learner_id="l1", mode="browse"))
    attempt.call("LMSFinish", "")
    assert attempt.model.values["cmi.core.lesson_status"] == "browsed"


@pytest.mark.parametrize(("raw", "status"), [("79", "failed"), ("80", "passed")])
def test_1_2_mastery_score_decides_passed_or_failed(raw: str, status: str) -> None:
    attempt = running("1.2", launch_seed("1.2", learner_id="l1", mastery_score="80"))
    set_all(attempt, ("cmi.core.lesson_status", "completed"), ("cmi.core.score.raw", raw))
    attempt.call("LMSFinish", "")
    assert attempt.model.values["cmi.core.lesson_status"] == status
    assert attempt.result().success == status


def test_1_2_mastery_score_does_not_apply_without_credit() -> None:
    attempt = running("1.2", launch_seed("1.2", learner_id="l1", mastery_score="80", credit=False))
    set_all(attempt, ("cmi.core.lesson_status", "completed"), ("cmi.core.score.raw", "10"))
    attempt.call("LMSFinish", "")
    assert attempt.model.values["cmi.core.lesson_status"] == "completed"


def test_1_2_total_time_accumulates_over_sessions() -> None:
    attempt = running("1.2")
    set_all(attempt, ("cmi.core.session_time", "00:10:00"), ("cmi.core.exit", "suspend"))
    attempt.call("LMSFinish", "")
    second = attempt.next_session()
    second.call("LMSInitialize", "")
    assert get(second, "cmi.core.entry") == ("resume", "0")
    set_all(second, ("cmi.core.session_time", "01:00:00.5"))
    second.call("LMSFinish", "")
    assert second.model.values["cmi.core.total_time"] == "01:10:00.50"
    assert second.next_session().model.values["cmi.core.entry"] == ""


def test_1_2_result_scales_the_raw_score_by_min_and_max() -> None:
    attempt = running("1.2")
    set_all(attempt, ("cmi.core.score.raw", "15"), ("cmi.core.score.min", "10"), ("cmi.core.score.max", "20"))
    assert attempt.result().score_scaled == 0.5


def test_1_2_result_follows_every_change_of_status_score_and_time() -> None:
    # Results are computed from cached parts (the same status, score and time give the same result).
    attempt = running("1.2")
    set_all(attempt, ("cmi.core.lesson_status", "incomplete"), ("cmi.core.score.raw", "40"))
    first = attempt.result()
    set_all(attempt, ("cmi.core.score.raw", "90"))
    assert (first.score_scaled, attempt.result().score_scaled) == (0.4, 0.9)
    set_all(attempt, ("cmi.core.score.min", "80"), ("cmi.core.lesson_status", "passed"))
    assert (attempt.result().score_scaled, attempt.result().success) == (0.5, "passed")
    set_all(attempt, ("cmi.core.session_time", "00:01:30"))
    assert (attempt.result().total_time_seconds, attempt.result().total_time) == (90.0, "PT1M30S")


def test_a_state_with_values_that_are_not_text_loads_them_as_text_within_the_ceiling() -> None:
    attempt = running("1.2")
    state = {**attempt.to_json(), "values": {"cmi.core.lesson_location": 12, "cmi.suspend_data": "x" * 10}}
    restored = Attempt.from_json(state, Ceilings(attempt_chars=13))
    assert restored.model.values["cmi.core.lesson_location"] == "12"
    # 12 of the 13 characters are stored: one more fits, two do not.
    assert set_(restored, "cmi.core.lesson_location", "123") == ("true", "0")
    assert set_(restored, "cmi.core.lesson_location", "1234")[0] == "false"


def test_state_round_trips_through_json() -> None:
    attempt = running("2004", launch_seed("2004", learner_id="l1", objective_ids=("o1",)))
    set_all(attempt, ("cmi.interactions.0.id", "q1"), ("cmi.suspend_data", "abc"))
    restored = Attempt.from_json(json.loads(json.dumps(attempt.to_json())))
    assert restored.model.values == attempt.model.values
    assert restored.model.counts == attempt.model.counts
    assert restored.state == attempt.state
    assert get(restored, "cmi.suspend_data") == ("abc", "0")


def test_a_seed_the_data_model_refuses_is_a_seed_error() -> None:
    with pytest.raises(SeedError, match="scaled_passing_score"):
        Attempt.new("2004", {"cmi": {"scaled_passing_score": "2"}})


def test_state_from_elsewhere_is_refused() -> None:
    with pytest.raises(ValueError):
        Attempt.from_json({"values": {}})


def test_2004_a_suspend_all_request_resumes_next_time() -> None:
    attempt = running("2004", launch_seed("2004", learner_id="l1"))
    set_all(attempt, ("cmi.location", "p3"), ("adl.nav.request", "suspendAll"))
    attempt.call("Terminate", "")
    resumed = attempt.next_session()
    resumed.call("Initialize", "")
    assert get(resumed, "cmi.entry") == ("resume", "0")
    assert get(resumed, "adl.nav.request") == ("_none_", "0")


def test_a_new_attempt_keeps_the_launch_facts_but_not_the_learner_data_of_the_seed() -> None:
    cmi = {"learner_id": "l1", "scaled_passing_score": "0.5", "entry": "resume", "suspend_data": "old"}
    cmi |= {"total_time": "PT1H", "objectives": [{"id": "o1", "success_status": "passed"}]}
    seed = {"cmi": cmi}
    attempt = running("2004", seed)
    set_all(attempt, ("cmi.exit", "normal"))
    attempt.call("Terminate", "")
    fresh = attempt.next_session()
    fresh.call("Initialize", "")
    assert get(fresh, "cmi.entry") == ("ab-initio", "0")
    assert get(fresh, "cmi.suspend_data") == ("", "403")
    assert get(fresh, "cmi.total_time") == ("PT0H0M0S", "0")
    assert get(fresh, "cmi.scaled_passing_score") == ("0.5", "0")
    assert get(fresh, "cmi.objectives.0.id") == ("o1", "0")
    assert get(fresh, "cmi.objectives.0.success_status") == ("unknown", "0")
