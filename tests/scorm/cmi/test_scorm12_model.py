"""SCORM 1.2 data model through the LMS* API (RTE 3.4): codes 201-203, 401-405, CMI data types."""

from __future__ import annotations

import pytest

from scorm.cmi import TABLES
from scorm.runtime import Attempt
from tests.scorm.cmi.helpers import get, running, set_, set_all

OK = ("true", "0")
BAD_TYPE = ("false", "405")


@pytest.mark.parametrize(
    ("element", "expected"),
    [
        ("cmi._version", "3.4"),
        ("cmi.core._children", "student_id,student_name,lesson_location,credit,lesson_status,entry,score,"
                               "total_time,lesson_mode,exit,session_time"),
        ("cmi.core.score._children", "raw,min,max"),
        ("cmi.objectives._children", "id,score,status"),
        ("cmi.student_data._children", "mastery_score,max_time_allowed,time_limit_action"),
        ("cmi.student_preference._children", "audio,language,speed,text"),
        ("cmi.interactions._children", "id,objectives,time,type,correct_responses,weighting,student_response,"
                                       "result,latency"),
        ("cmi.objectives._count", "0"),
        ("cmi.interactions._count", "0"),
    ],
)  # fmt: skip
def test_keywords_answer_on_the_elements_that_have_them(element: str, expected: str) -> None:
    assert get(running("1.2"), element) == (expected, "0")


def test_children_of_an_element_without_children_is_202() -> None:
    assert get(running("1.2"), "cmi.core.lesson_status._children") == ("", "202")


def test_count_of_a_non_collection_is_203() -> None:
    assert get(running("1.2"), "cmi.core._count") == ("", "203")


def test_setting_a_keyword_is_402() -> None:
    assert set_(running("1.2"), "cmi.core._children", "x") == ("false", "402")


@pytest.mark.parametrize(
    "element",
    ["cmi.core.student_id", "cmi.core.student_name", "cmi.core.credit", "cmi.core.entry",
     "cmi.core.total_time", "cmi.core.lesson_mode", "cmi.launch_data", "cmi.comments_from_lms",
     "cmi.student_data.mastery_score"],
)  # fmt: skip
def test_read_only_elements_are_403(element: str) -> None:
    assert set_(running("1.2"), element, "x") == ("false", "403")


@pytest.mark.parametrize(
    "element",
    ["cmi.core.exit", "cmi.core.session_time", "cmi.interactions.0.id", "cmi.interactions.0.latency"],
)
def test_write_only_elements_are_404(element: str) -> None:
    attempt = running("1.2")
    set_all(attempt, ("cmi.interactions.0.id", "q1"))
    assert get(attempt, element) == ("", "404")


def test_unset_elements_read_as_empty_without_an_error() -> None:
    attempt = running("1.2")
    assert get(attempt, "cmi.core.lesson_location") == ("", "0")
    assert get(attempt, "cmi.core.score.raw") == ("", "0")
    assert get(attempt, "cmi.core.lesson_status") == ("not attempted", "0")
    assert get(attempt, "cmi.core.entry") == ("ab-initio", "0")


@pytest.mark.parametrize(
    ("element", "value", "outcome"),
    [
        ("cmi.core.lesson_status", "passed", OK),
        ("cmi.core.lesson_status", "browsed", OK),
        ("cmi.core.lesson_status", "not attempted", BAD_TYPE),
        ("cmi.core.exit", "suspend", OK),
        ("cmi.core.exit", "normal", BAD_TYPE),  # a 2004 word
        ("cmi.core.session_time", "0001:02:03.45", OK),
        ("cmi.core.session_time", "PT1M", BAD_TYPE),
        ("cmi.core.score.raw", "", OK),
        ("cmi.core.score.raw", "100.0", OK),
        ("cmi.core.score.raw", "100.5", BAD_TYPE),
        ("cmi.core.score.min", "-0.5", BAD_TYPE),
        ("cmi.student_preference.audio", "-1", OK),
        ("cmi.student_preference.audio", "101", BAD_TYPE),
        ("cmi.student_preference.speed", "-100", OK),
        ("cmi.student_preference.text", "2", BAD_TYPE),
        ("cmi.student_preference.text", "0.5", BAD_TYPE),
        ("cmi.objectives.0.id", "obj_1", OK),
        ("cmi.objectives.0.id", "obj 1", BAD_TYPE),
        ("cmi.objectives.0.status", "not attempted", OK),
        ("cmi.interactions.0.time", "13:45:00", OK),
        ("cmi.interactions.0.time", "25:00:00", BAD_TYPE),
        ("cmi.interactions.0.type", "long-fill-in", BAD_TYPE),  # 2004 only
        ("cmi.interactions.0.result", "wrong", OK),
        ("cmi.interactions.0.result", "incorrect", BAD_TYPE),
        ("cmi.interactions.0.weighting", "2.5", OK),
    ],
)
def test_values_are_checked_against_the_cmi_data_types(element: str, value: str, outcome: tuple) -> None:
    assert set_(running("1.2"), element, value) == outcome


def test_an_unknown_leaf_in_a_known_group_is_201_and_an_unknown_group_401() -> None:
    attempt = running("1.2")
    assert get(attempt, "cmi.core.bogus") == ("", "201")
    assert set_(attempt, "cmi.bogus.x", "y") == ("false", "401")


def test_an_empty_element_name_is_201() -> None:
    assert get(running("1.2"), "") == ("", "201")


def test_records_are_added_in_index_order() -> None:
    attempt = running("1.2")
    assert set_(attempt, "cmi.objectives.3.id", "o4") == ("false", "201")


def test_any_interaction_field_may_open_a_record_in_1_2() -> None:
    attempt = running("1.2")
    assert set_(attempt, "cmi.interactions.0.result", "correct") == OK
    assert get(attempt, "cmi.interactions._count") == ("1", "0")


def test_a_64000_character_suspend_data_is_accepted_beyond_the_4096_floor() -> None:
    attempt = running("1.2")
    state = "storyline-" * 6_400
    assert set_(attempt, "cmi.suspend_data", state) == OK
    assert get(attempt, "cmi.suspend_data") == (state, "0")


def test_long_free_text_responses_are_accepted() -> None:
    attempt = running("1.2")
    set_all(attempt, ("cmi.interactions.0.id", "Scene1_Slide3_MultiChoice_0_0"))
    assert set_(attempt, "cmi.interactions.0.student_response", "I would speak to my manager. " * 40) == OK


def test_every_table_element_is_reachable_by_name() -> None:
    attempt = Attempt.new("1.2")
    for pattern in TABLES["1.2"].elements:
        assert attempt.model.resolve(pattern.replace(".n.", ".0.")).pattern == pattern
