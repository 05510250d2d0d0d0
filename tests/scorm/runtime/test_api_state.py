"""The API state machine and error reporting (2004 RTE 3.1, 1.2 RTE 3.3)."""

from __future__ import annotations

import pytest

from scorm.runtime import Attempt
from tests.scorm.cmi.helpers import running


def outcome(attempt: Attempt, method: str, *arguments: str) -> tuple[str, str]:
    return attempt.call(method, *arguments), attempt.get_last_error()


@pytest.mark.parametrize(
    ("method", "arguments", "expected"),
    [
        ("GetValue", ("cmi.location",), ("", "122")),
        ("SetValue", ("cmi.location", "x"), ("false", "132")),
        ("Commit", ("",), ("false", "142")),
        ("Terminate", ("",), ("false", "112")),
    ],
)
def test_2004_calls_before_initialize_have_their_own_codes(
    method: str, arguments: tuple, expected: tuple
) -> None:
    assert outcome(Attempt.new("2004"), method, *arguments) == expected


@pytest.mark.parametrize(
    ("method", "arguments", "expected"),
    [
        ("Initialize", ("",), ("false", "104")),
        ("GetValue", ("cmi.location",), ("", "123")),
        ("SetValue", ("cmi.location", "x"), ("false", "133")),
        ("Commit", ("",), ("false", "143")),
        ("Terminate", ("",), ("false", "113")),
    ],
)
def test_2004_calls_after_terminate_have_their_own_codes(
    method: str, arguments: tuple, expected: tuple
) -> None:
    attempt = running("2004")
    assert outcome(attempt, "Terminate", "") == ("true", "0")
    assert outcome(attempt, method, *arguments) == expected


def test_2004_initialize_twice_is_103() -> None:
    assert outcome(running("2004"), "Initialize", "") == ("false", "103")


@pytest.mark.parametrize("method", ["Initialize", "Commit", "Terminate"])
def test_a_non_empty_parameter_is_a_general_argument_error(method: str) -> None:
    attempt = Attempt.new("2004") if method == "Initialize" else running("2004")
    assert outcome(attempt, method, "x") == ("false", "201")


def test_an_empty_element_name_is_301_on_get_and_351_on_set() -> None:
    attempt = running("2004")
    assert outcome(attempt, "GetValue", "") == ("", "301")
    assert outcome(attempt, "SetValue", "", "x") == ("false", "351")


def test_a_non_string_value_is_a_type_mismatch() -> None:
    assert outcome(running("2004"), "SetValue", "cmi.location", 7) == ("false", "406")


def test_error_strings_and_diagnostics_do_not_change_the_last_error() -> None:
    attempt = running("2004")
    attempt.call("SetValue", "cmi.score.scaled", "2")
    assert attempt.get_error_string("407") == "Data Model Element Value Out Of Range"
    assert "outside" in attempt.get_diagnostic("")
    assert attempt.get_error_string("999") == ""
    assert attempt.get_last_error() == "407"


@pytest.mark.parametrize(
    ("method", "arguments", "expected"),
    [
        ("LMSGetValue", ("cmi.core.lesson_status",), ("", "301")),
        ("LMSSetValue", ("cmi.core.lesson_status", "completed"), ("false", "301")),
        ("LMSCommit", ("",), ("false", "301")),
        ("LMSFinish", ("",), ("false", "301")),
    ],
)
def test_1_2_calls_before_lmsinitialize_are_301(method: str, arguments: tuple, expected: tuple) -> None:
    assert outcome(Attempt.new("1.2"), method, *arguments) == expected


def test_1_2_calls_after_lmsfinish_are_301() -> None:
    attempt = running("1.2")
    assert outcome(attempt, "LMSFinish", "") == ("true", "0")
    assert outcome(attempt, "LMSGetValue", "cmi.core.lesson_status") == ("", "301")


def test_1_2_lmsinitialize_twice_is_101() -> None:
    assert outcome(running("1.2"), "LMSInitialize", "") == ("false", "101")


def test_1_2_error_strings_are_the_1_2_table() -> None:
    attempt = running("1.2")
    assert attempt.call("LMSGetErrorString", "405") == "Incorrect data type"
    assert attempt.call("LMSGetErrorString", "406") == ""


def test_an_unknown_api_method_is_a_programming_error() -> None:
    with pytest.raises(AttributeError):
        running("2004").call("Launch")
