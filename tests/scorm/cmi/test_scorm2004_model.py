"""SCORM 2004 element rules: keywords, access, collections in order, unset values, size ceilings."""

from __future__ import annotations

import pytest

from scorm.cmi import DEFAULT_CEILINGS, TABLES
from scorm.runtime import Attempt
from tests.scorm.cmi.helpers import get, running, set_, set_all


@pytest.mark.parametrize(
    ("element", "expected"),
    [
        ("cmi._version", "1.0"),
        ("cmi.score._children", "scaled,raw,min,max"),
        (
            "cmi.objectives._children",
            "id,score,success_status,completion_status,progress_measure,description",
        ),
        ("cmi.learner_preference._children", "audio_level,language,delivery_speed,audio_captioning"),
        (
            "cmi.interactions._children",
            "id,type,objectives,timestamp,correct_responses,weighting,learner_response,result,latency,description",
        ),
        ("cmi.comments_from_learner._children", "comment,location,timestamp"),
        ("cmi.comments_from_lms._count", "0"),
        ("cmi.interactions._count", "0"),
    ],
)
def test_keywords_answer_on_the_elements_that_have_them(element: str, expected: str) -> None:
    assert get(running("2004"), element) == (expected, "0")


@pytest.mark.parametrize(
    "element", ["cmi.location._children", "cmi.score._count", "cmi.learner_preference._count"]
)
def test_keywords_on_other_elements_are_general_get_failures(element: str) -> None:
    assert get(running("2004"), element) == ("", "301")


@pytest.mark.parametrize("element", ["cmi._version", "cmi.interactions._count", "cmi.score._children"])
def test_keywords_cannot_be_set(element: str) -> None:
    assert set_(running("2004"), element, "1") == ("false", "404")


@pytest.mark.parametrize(
    "element",
    ["cmi.learner_id", "cmi.credit", "cmi.mode", "cmi.total_time", "cmi.entry", "cmi.launch_data",
     "cmi.completion_threshold", "adl.nav.request_valid.continue", "cmi.comments_from_lms.0.comment"],
)  # fmt: skip
def test_read_only_elements_refuse_setvalue_with_404(element: str) -> None:
    assert set_(running("2004"), element, "x") == ("false", "404")


@pytest.mark.parametrize("element", ["cmi.exit", "cmi.session_time"])
def test_write_only_elements_refuse_getvalue_with_405(element: str) -> None:
    assert get(running("2004"), element) == ("", "405")


@pytest.mark.parametrize("element", ["cmi.location", "cmi.suspend_data", "cmi.score.raw", "cmi.launch_data"])
def test_unset_elements_without_a_default_read_as_403(element: str) -> None:
    assert get(running("2004"), element) == ("", "403")


@pytest.mark.parametrize(
    ("element", "default"),
    [("cmi.completion_status", "unknown"), ("cmi.success_status", "unknown"), ("cmi.credit", "credit"),
     ("cmi.mode", "normal"), ("cmi.entry", "ab-initio"), ("cmi.total_time", "PT0H0M0S"),
     ("cmi.time_limit_action", "continue,no message"), ("cmi.learner_preference.audio_level", "1"),
     ("adl.nav.request", "_none_"), ("adl.nav.request_valid.choice.{target=sco.2}", "unknown")],
)  # fmt: skip
def test_elements_with_defaults_read_their_default(element: str, default: str) -> None:
    assert get(running("2004"), element) == (default, "0")


@pytest.mark.parametrize(
    "element",
    [
        "cmi.bogus",
        "cmi.core.lesson_status",
        "adl.nav.bogus",
        "cmi.interactions",
        "cmi.objectives.n.id",  # the pattern's placeholder spelled literally names no record
        "cmi.interactions.first.id",
        "adl.data.n.store",
    ],
)
def test_undefined_elements_are_401(element: str) -> None:
    assert get(running("2004"), element) == ("", "401")
    assert set_(running("2004"), element, "x") == ("false", "401")


def test_an_interaction_field_before_its_id_is_a_dependency_error() -> None:
    assert set_(running("2004"), "cmi.interactions.0.type", "choice") == ("false", "408")


def test_an_objective_field_before_its_id_is_a_dependency_error() -> None:
    assert set_(running("2004"), "cmi.objectives.0.score.scaled", "0.5") == ("false", "408")


def test_a_nested_record_in_a_missing_interaction_is_a_dependency_error() -> None:
    assert set_(running("2004"), "cmi.interactions.0.objectives.0.id", "o1") == ("false", "408")


def test_records_are_added_in_index_order() -> None:
    attempt = running("2004")
    assert set_(attempt, "cmi.interactions.1.id", "q2") == ("false", "351")
    set_all(attempt, ("cmi.interactions.0.id", "q1"), ("cmi.interactions.1.id", "q2"))
    assert get(attempt, "cmi.interactions._count") == ("2", "0")


def test_reading_past_the_last_record_is_a_general_get_failure() -> None:
    assert get(running("2004"), "cmi.interactions.0.id") == ("", "301")


def test_objective_ids_are_unique() -> None:
    attempt = running("2004")
    set_all(attempt, ("cmi.objectives.0.id", "o1"))
    assert set_(attempt, "cmi.objectives.1.id", "o1") == ("false", "351")


def test_an_objective_id_cannot_change_once_set() -> None:
    attempt = running("2004")
    set_all(attempt, ("cmi.objectives.0.id", "o1"))
    assert set_(attempt, "cmi.objectives.0.id", "o1") == ("true", "0")
    assert set_(attempt, "cmi.objectives.0.id", "o2") == ("false", "351")


def test_interaction_objective_ids_are_unique_within_the_interaction() -> None:
    attempt = running("2004")
    set_all(attempt, ("cmi.interactions.0.id", "q1"), ("cmi.interactions.0.objectives.0.id", "o1"))
    assert set_(attempt, "cmi.interactions.0.objectives.1.id", "o1") == ("false", "351")
    assert get(attempt, "cmi.interactions.0.objectives._count") == ("1", "0")


def test_manifest_objectives_are_seeded_in_order() -> None:
    attempt = running("2004", {"cmi": {"objectives": [{"id": "obj-a"}, {"id": "obj-b"}]}})
    assert get(attempt, "cmi.objectives._count") == ("2", "0")
    assert get(attempt, "cmi.objectives.1.id") == ("obj-b", "0")


def test_a_64000_character_suspend_data_is_stored_whole() -> None:
    attempt = running("2004")
    state = "".join(chr(33 + index % 90) for index in range(64_000))
    assert set_(attempt, "cmi.suspend_data", state) == ("true", "0")
    assert get(attempt, "cmi.suspend_data") == (state, "0")


def test_long_interaction_descriptions_and_responses_are_stored() -> None:
    attempt = running("2004")
    set_all(attempt, ("cmi.interactions.0.id", "q1"), ("cmi.interactions.0.type", "other"))
    set_all(
        attempt,
        ("cmi.interactions.0.description", "d" * 3_000),
        ("cmi.interactions.0.learner_response", "r" * 8_000),
    )


def test_suspend_data_beyond_the_server_ceiling_is_refused_with_351() -> None:
    attempt = running("2004")
    too_long = "x" * (DEFAULT_CEILINGS.suspend_data + 1)
    assert set_(attempt, "cmi.suspend_data", too_long) == ("false", "351")
    assert "at most" in attempt.get_diagnostic("")


def test_the_attempt_total_is_bounded_so_a_browser_cannot_store_megabytes() -> None:
    attempt = running("2004")
    chunk = "x" * DEFAULT_CEILINGS.long_text
    outcomes = set()
    for index in range(DEFAULT_CEILINGS.attempt_chars // len(chunk) + 2):
        set_all(attempt, (f"cmi.comments_from_learner.{index}.location", "here"))
        outcomes.add(set_(attempt, f"cmi.comments_from_learner.{index}.comment", chunk))
    assert ("false", "351") in outcomes
    assert sum(map(len, attempt.model.values.values())) <= DEFAULT_CEILINGS.attempt_chars


def test_every_table_element_is_reachable_by_name() -> None:
    attempt = Attempt.new("2004")
    for pattern in TABLES["2004"].elements:
        name = pattern.replace(".n.", ".0.").replace("{target}", "{target=x}")
        assert attempt.model.resolve(name).pattern == pattern


def shared_data_attempt():
    from scorm.runtime import launch_seed

    seed = launch_seed("2004", learner_id="l1", shared_data=(("notes", True, True), ("locked", True, False),
                                                              ("secret", False, True)))  # fmt: skip
    return running("2004", seed)


def test_shared_data_buckets_come_from_the_manifest() -> None:
    attempt = shared_data_attempt()
    assert get(attempt, "adl.data._count") == ("3", "0")
    assert get(attempt, "adl.data._children") == ("id,store", "0")
    assert get(attempt, "adl.data.0.id") == ("notes", "0")
    assert get(attempt, "adl.data.0.store") == ("", "403")
    assert set_(attempt, "adl.data.0.store", "x" * 64_000) == ("true", "0")
    assert set_(attempt, "adl.data.0.id", "other") == ("false", "404")


def test_shared_data_permissions_from_the_manifest_are_enforced() -> None:
    attempt = shared_data_attempt()
    assert set_(attempt, "adl.data.1.store", "x") == ("false", "404")
    assert get(attempt, "adl.data.2.store") == ("", "405")
    assert set_(attempt, "adl.data.3.store", "x") == ("false", "408")


def test_lms_only_flags_cannot_be_named_through_the_api() -> None:
    assert get(shared_data_attempt(), "adl.data.1.#writable") == ("", "401")


def test_an_overlong_value_of_the_wrong_form_is_a_type_mismatch() -> None:
    assert set_(running("2004"), "cmi.completion_status", "x" * 5_000) == ("false", "406")
    assert set_(running("2004"), "cmi.learner_preference.language", "en-" + "x" * 5_000) == ("false", "406")


def test_the_sequencer_seeds_which_navigation_requests_are_valid() -> None:
    seed = {"adl": {"nav": {"request_valid": {"continue": "true", "choice": {"{target=sco.2}": "false"}}}}}
    attempt = running("2004", seed)
    assert get(attempt, "adl.nav.request_valid.continue") == ("true", "0")
    assert get(attempt, "adl.nav.request_valid.choice.{target=sco.2}") == ("false", "0")
    assert get(attempt, "adl.nav.request_valid.choice.{target=sco.3}") == ("unknown", "0")
    assert get(attempt, "adl.nav.request_valid.choice") == ("", "401")
