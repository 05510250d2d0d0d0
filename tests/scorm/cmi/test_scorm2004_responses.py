"""Interaction response formats per type (SCORM 2004 RTE 4.2.9.1-2) and correct_responses limits."""

from __future__ import annotations

import pytest

from tests.scorm.cmi.helpers import running, set_, set_all


def interaction(kind: str):
    attempt = running("2004")
    set_all(attempt, ("cmi.interactions.0.id", "q1"), ("cmi.interactions.0.type", kind))
    return attempt


PATTERN = "cmi.interactions.0.correct_responses.0.pattern"
RESPONSE = "cmi.interactions.0.learner_response"

GOOD_PATTERNS = [
    ("true-false", "true"),
    ("choice", "a[,]b[,]c"),
    ("choice", ""),
    ("fill-in", "{case_matters=true}{order_matters=false}red[,]{lang=fr}rouge"),
    ("fill-in", "{order_matters=true}one"),
    ("long-fill-in", "{case_matters=false}" + "A long answer. " * 400),
    ("likert", "agree"),
    ("matching", "1[.]a[,]2[.]b"),
    ("performance", "{order_matters=false}step1[.]open[,]step2[.]1.5[:]2.5[,][.]close"),
    ("sequencing", "c[,]a[,]b"),
    ("numeric", "1.5[:]2.5"),
    ("numeric", "[:]10"),
    ("other", "anything at all"),
]
BAD_PATTERNS = [
    ("true-false", "yes"),
    ("choice", "a[,]a"),
    ("choice", "a b"),
    ("fill-in", "{case_matters=maybe}red"),
    ("fill-in", "{case_matters=true}{case_matters=true}red"),
    ("long-fill-in", "{order_matters=true}text"),
    ("likert", "strongly agree"),
    ("matching", "1-a"),
    ("performance", "[.]"),
    ("numeric", "5[:]1"),
    ("numeric", "5"),
    ("sequencing", "1[.]a"),
    ("likert", "{lang=en}agree"),
]


@pytest.mark.parametrize(("kind", "pattern"), GOOD_PATTERNS)
def test_correct_response_patterns_in_the_type_format_are_stored(kind: str, pattern: str) -> None:
    assert set_(interaction(kind), PATTERN, pattern) == ("true", "0")


@pytest.mark.parametrize(("kind", "pattern"), BAD_PATTERNS)
def test_correct_response_patterns_in_another_format_are_type_mismatches(kind: str, pattern: str) -> None:
    assert set_(interaction(kind), PATTERN, pattern) == ("false", "406")


@pytest.mark.parametrize(
    ("kind", "response", "accepted"),
    [
        ("true-false", "false", True),
        ("choice", "a[,]c", True),
        ("fill-in", "{lang=en}colour[,]color", True),
        ("fill-in", "{case_matters=true}red", True),  # no delimiters in a response: it is just text
        ("matching", "1[.]b", True),
        ("performance", "step1[.]opened the valve", True),
        ("numeric", "3.14", True),
        ("numeric", "1[:]2", False),
        ("likert", "two words", False),
        ("other", "x" * 10_000, True),
    ],
)
def test_learner_responses_follow_the_interaction_type(kind: str, response: str, accepted: bool) -> None:
    outcome = ("true", "0") if accepted else ("false", "406")
    assert set_(interaction(kind), RESPONSE, response) == outcome


def test_learner_response_before_the_type_is_a_dependency_error() -> None:
    attempt = running("2004")
    set_all(attempt, ("cmi.interactions.0.id", "q1"))
    assert set_(attempt, RESPONSE, "a") == ("false", "408")
    assert set_(attempt, PATTERN, "a") == ("false", "408")


@pytest.mark.parametrize("kind", ["true-false", "likert", "numeric", "other"])
def test_single_pattern_types_refuse_a_second_correct_response(kind: str) -> None:
    attempt = interaction(kind)
    first = {"true-false": "true", "likert": "x", "numeric": "1[:]2", "other": "x"}[kind]
    set_all(attempt, (PATTERN, first))
    assert set_(attempt, "cmi.interactions.0.correct_responses.1.pattern", first) == ("false", "351")


def test_choice_correct_responses_must_differ() -> None:
    attempt = interaction("choice")
    set_all(attempt, (PATTERN, "a[,]b"))
    assert set_(attempt, "cmi.interactions.0.correct_responses.1.pattern", "a[,]b") == ("false", "351")
    assert set_(attempt, "cmi.interactions.0.correct_responses.1.pattern", "c") == ("true", "0")


def test_choice_accepts_more_correct_responses_than_the_spm_of_ten() -> None:
    attempt = interaction("choice")
    for index in range(25):
        element = f"cmi.interactions.0.correct_responses.{index}.pattern"
        assert set_(attempt, element, f"option{index}") == ("true", "0")
