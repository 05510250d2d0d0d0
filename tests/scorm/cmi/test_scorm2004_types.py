"""SCORM 2004 data types through SetValue (RTE 4.1.1): 406 for a wrong form, 407 out of range."""

from __future__ import annotations

import pytest

from tests.scorm.cmi.helpers import get, running, set_, set_all

OK = ("true", "0")
TYPE = ("false", "406")
RANGE = ("false", "407")


@pytest.mark.parametrize(
    ("element", "value", "outcome"),
    [
        ("cmi.score.scaled", "1", OK),
        ("cmi.score.scaled", "-1.0", OK),
        ("cmi.score.scaled", "1.0000001", RANGE),
        ("cmi.score.scaled", "-1.5", RANGE),
        ("cmi.score.scaled", "abc", TYPE),
        ("cmi.score.scaled", "1e-1", TYPE),
        ("cmi.score.raw", "-12345.6789", OK),
        ("cmi.score.raw", "", TYPE),
        ("cmi.progress_measure", "0.5", OK),
        ("cmi.progress_measure", "1.01", RANGE),
        ("cmi.progress_measure", "-0.01", RANGE),
        ("cmi.learner_preference.audio_level", "0", OK),
        ("cmi.learner_preference.audio_level", "999.5", OK),
        ("cmi.learner_preference.audio_level", "-0.1", RANGE),
        ("cmi.learner_preference.delivery_speed", "-1", RANGE),
        ("cmi.learner_preference.audio_captioning", "2", TYPE),
        ("cmi.learner_preference.language", "en-GB", OK),
        ("cmi.learner_preference.language", "", OK),
        ("cmi.learner_preference.language", "english!", TYPE),
        ("cmi.completion_status", "done", TYPE),
        ("cmi.success_status", "passed", OK),
        ("cmi.exit", "suspend", OK),
        ("cmi.exit", "", OK),
        ("cmi.exit", "quit", TYPE),
        ("cmi.session_time", "PT1H30M", OK),
        ("cmi.session_time", "01:30:00", TYPE),
        ("cmi.session_time", "PT" + "9" * 400 + "S", TYPE),  # its total time would be infinite
        ("cmi.session_time", "PT277777777H46M40S", OK),  # 10^12 s, the longest taken
        ("cmi.session_time", "PT277777777H46M41S", TYPE),
        ("cmi.score.raw", "9" * 400, TYPE),  # stored as a double it would be infinity
        ("cmi.score.max", "-" + "9" * 301, TYPE),
        ("cmi.score.max", "1" + "0" * 300, OK),
        ("cmi.location", "slide-7", OK),
        ("adl.nav.request", "continue", OK),
        ("adl.nav.request", "{target=sco-2}choice", OK),
        ("adl.nav.request", "{target=sco-2}jump", OK),
        ("adl.nav.request", "suspendAll", OK),
        ("adl.nav.request", "choice", TYPE),
        ("adl.nav.request", "start", TYPE),
    ],
)
def test_scalar_values_are_checked_by_type_and_range(element: str, value: str, outcome: tuple) -> None:
    assert set_(running("2004"), element, value) == outcome


def test_a_localized_string_may_carry_a_language() -> None:
    attempt = running("2004")
    set_all(attempt, ("cmi.comments_from_learner.0.comment", "{lang=en-GB}Lovely course"))
    assert get(attempt, "cmi.comments_from_learner.0.comment") == ("{lang=en-GB}Lovely course", "0")


def test_a_malformed_language_delimiter_is_a_type_mismatch() -> None:
    assert set_(running("2004"), "cmi.comments_from_learner.0.comment", "{lang=not a code}hi") == TYPE


@pytest.mark.parametrize("value", ["obj 1", "", "urn:", "urn:bad nid:x", "a[.]b", "{x}", 'say"hi"'])
def test_identifiers_are_uris_without_spaces(value: str) -> None:
    assert set_(running("2004"), "cmi.objectives.0.id", value) == TYPE


@pytest.mark.parametrize(
    "value", ["obj-1", "urn:adl:objective:1", "http://example.org/objectives#1", "q(1)", "caf%C3%A9", "café"]
)
def test_identifiers_accept_uris_and_plain_names(value: str) -> None:
    assert set_(running("2004"), "cmi.objectives.0.id", value) == OK


def test_timestamps_are_iso_8601() -> None:
    attempt = running("2004")
    set_all(attempt, ("cmi.interactions.0.id", "q1"))
    assert set_(attempt, "cmi.interactions.0.timestamp", "2026-11-22T09:30:00.5Z") == OK
    assert set_(attempt, "cmi.interactions.0.timestamp", "2026-11-22T09:30:00Z") == TYPE
    assert set_(attempt, "cmi.interactions.0.timestamp", "22/11/2026") == TYPE


def test_interaction_result_is_a_state_or_a_number() -> None:
    attempt = running("2004")
    set_all(attempt, ("cmi.interactions.0.id", "q1"))
    assert set_(attempt, "cmi.interactions.0.result", "incorrect") == OK
    assert set_(attempt, "cmi.interactions.0.result", "0.75") == OK
    assert set_(attempt, "cmi.interactions.0.result", "wrong") == TYPE  # 1.2's word, not 2004's
