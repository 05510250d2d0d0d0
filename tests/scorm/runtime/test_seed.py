"""Launch seeds: what the LMS writes before the content starts, and what the browser is seeded with."""

from __future__ import annotations

import pytest

from scorm.runtime import Attempt, SeedError, launch_seed
from tests.scorm.cmi.helpers import get, running, set_all


def test_a_1_2_launch_seed_fills_core_and_student_data() -> None:
    seed = launch_seed("1.2", learner_id="u-7", learner_name="Smith, Ann", credit=False, mode="browse",
                       launch_data="lang=en", mastery_score="80", max_time_allowed="00:30:00",
                       time_limit_action="exit,message")  # fmt: skip
    attempt = running("1.2", seed)
    expected = {
        "cmi.core.student_id": "u-7",
        "cmi.core.student_name": "Smith, Ann",
        "cmi.core.credit": "no-credit",
        "cmi.core.lesson_mode": "browse",
        "cmi.core.entry": "ab-initio",
        "cmi.core.lesson_status": "not attempted",
        "cmi.launch_data": "lang=en",
        "cmi.student_data.mastery_score": "80",
        "cmi.student_data.max_time_allowed": "00:30:00",
        "cmi.student_data.time_limit_action": "exit,message",
    }
    assert {element: get(attempt, element)[0] for element in expected} == expected


def test_a_2004_launch_seed_fills_the_lms_elements() -> None:
    facts = {"scaled_passing_score": "0.8", "completion_threshold": "0.75", "max_time_allowed": "PT1H"}
    facts |= {"time_limit_action": "exit,no message", "objective_ids": ("obj-1", "obj-2")}
    seed = launch_seed("2004", learner_id="u-7", learner_name="Ann", launch_data="x", **facts)
    attempt = running("2004", seed)
    assert get(attempt, "cmi.learner_id") == ("u-7", "0")
    assert get(attempt, "cmi.scaled_passing_score") == ("0.8", "0")
    assert get(attempt, "cmi.completion_threshold") == ("0.75", "0")
    assert get(attempt, "cmi.max_time_allowed") == ("PT1H", "0")
    assert get(attempt, "cmi.time_limit_action") == ("exit,no message", "0")
    assert get(attempt, "cmi.objectives._count") == ("2", "0")


@pytest.mark.parametrize(
    ("version", "facts"),
    [
        ("1.2", {"mastery_score": "120"}),
        ("1.2", {"max_time_allowed": "30 minutes"}),
        ("2004", {"completion_threshold": "1.5"}),
        ("2004", {"max_time_allowed": "01:00:00"}),
        ("2004", {"objective_ids": ("same", "same")}),
    ],
)
def test_a_launch_value_the_data_model_refuses_is_a_seed_error(version: str, facts: dict) -> None:
    with pytest.raises(SeedError):
        Attempt.new(version, launch_seed(version, learner_id="u-7", **facts))


def test_collections_may_be_seeded_as_lists_objects_or_dotted_names() -> None:
    as_list = Attempt.new("2004", {"cmi": {"objectives": [{"id": "a"}, {"id": "b"}]}})
    as_object = Attempt.new("2004", {"cmi": {"objectives": {"1": {"id": "b"}, "0": {"id": "a"}}}})
    dotted = Attempt.new("2004", {"cmi.objectives.0.id": "a", "cmi.objectives.1.id": "b"})
    assert as_list.model.values == as_object.model.values == dotted.model.values


def test_the_browser_seed_is_nested_with_records_keyed_by_index_and_no_session_values() -> None:
    attempt = running("2004", launch_seed("2004", learner_id="u-7", objective_ids=("obj-1",)))
    set_all(attempt, ("cmi.location", "p2"), ("cmi.session_time", "PT1M"), ("cmi.exit", "suspend"))
    seed = attempt.browser_seed()
    assert seed["cmi"]["objectives"] == {"0": {"id": "obj-1"}}
    assert seed["cmi"]["location"] == "p2"
    assert "session_time" not in seed["cmi"] and "exit" not in seed["cmi"]
