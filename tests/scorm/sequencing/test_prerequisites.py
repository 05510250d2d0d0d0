"""SCORM 1.2 adlcp:prerequisites (AICC script): what each operator means, and bad scripts."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scorm.sequencing import PrerequisiteSyntaxError, parse_prerequisites, prerequisites_met

DONE = {"a": "completed", "b": "passed", "c": "incomplete", "d": "failed", "e": "browsed"}


def met(script: str, statuses=DONE, known=None) -> bool:
    return prerequisites_met(script, statuses, known)


def test_identifier_is_met_when_its_item_is_completed_or_passed():
    assert (met("a"), met("b")) == (True, True)


@pytest.mark.parametrize("item", ["c", "d", "e", "never_launched"])
def test_identifier_is_not_met_when_incomplete_failed_browsed_or_not_attempted(item):
    assert met(item) is False


def test_and_needs_both():
    assert (met("a & b"), met("a & c")) == (True, False)


def test_or_needs_either():
    assert (met("c | a"), met("c | d")) == (True, False)


def test_not_negates():
    assert (met("~c"), met("~a")) == (True, False)


def test_and_binds_tighter_than_or():
    assert met("a | c & d") is True  # a | (c & d)
    assert met("(a | c) & d") is False


def test_not_binds_tightest():
    assert met("~c & a") is True


@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ('d = "failed"', True),
        ("d = failed", True),
        ("d = f", True),
        ("D = F", False),  # identifiers are case-sensitive, status words are not
        ("c <> incomplete", False),
        ("c <> p", True),
        ('z = "not attempted"', True),
        ("z = not attempted", True),
        ("e = B", True),
    ],
)
def test_status_comparison_accepts_words_letters_and_quotes(script, expected):
    assert met(script) is expected


def test_at_least_n_of_a_set():
    assert (met("2*{a,b,c}"), met("3*{a,b,c}")) == (True, False)


def test_set_without_a_count_needs_all_of_it():
    assert (met("{a,b}"), met("{a,c}")) == (True, False)


def test_set_members_may_be_expressions():
    assert met("2*{a, c = incomplete, d}") is True


def test_identifiers_with_dots_dashes_and_underscores():
    statuses = {"mm-ITEM.s01_x": "completed"}

    assert prerequisites_met("mm-ITEM.s01_x", statuses) is True


def test_unknown_item_does_not_lock_the_learner_out():
    assert met("a & missing", known={"a", "b"}) is True
    assert met("a & missing") is False  # without the package's items every name is taken at its word


def test_no_script_restricts_nothing():
    assert (met(None), met(""), met("   ")) == (True, True, True)


def test_unreadable_script_restricts_nothing():
    assert met("a & & b") is True


@pytest.mark.parametrize(
    "script",
    ["a &", "& a", "(a | b", "a | b)", "a = x", "2*{a,b", "a ? b", "{}", "a = ", "a b"],
)
def test_malformed_scripts_are_refused_with_a_syntax_error(script):
    with pytest.raises(PrerequisiteSyntaxError):
        parse_prerequisites(script)


def test_very_long_or_deep_scripts_are_refused():
    with pytest.raises(PrerequisiteSyntaxError):
        parse_prerequisites("a & " * 2000 + "a")
    with pytest.raises(PrerequisiteSyntaxError):
        parse_prerequisites("(" * 100 + "a" + ")" * 100)


@given(st.text(alphabet='ab&|~=<>(){},*"pn 2', max_size=40))
def test_any_text_parses_or_is_refused_cleanly(script):
    with contextlib.suppress(PrerequisiteSyntaxError):
        parse_prerequisites(script)
    assert prerequisites_met(script, DONE) in (True, False)
