"""The relaxed forms of scorm/cmi/tolerance.py and how the data model consults a leniency."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scorm.cmi import CmiError, ErrorKind, new_model
from scorm.cmi.tolerance import (
    is_loose_identifier,
    is_loose_short_identifier,
    loose_duration_seconds,
    loose_timespan12_seconds,
    strip_loose_lang,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("P1W", 604_800), ("P1WT1H", 608_400), ("PT1.5H", 5_400), ("PT1,5H", 5_400), ("P", 0), ("PT", 0),
     ("P1H", 3_600), ("P0.5D", 43_200), ("PT1.25S", Decimal("1.25"))],
)  # fmt: skip
def test_a_loose_duration_has_the_length_scorm_again_reads(text: str, seconds) -> None:
    assert loose_duration_seconds(text) == seconds


@pytest.mark.parametrize("text", ["P.D", "P1.2.3D", "P..Y", "1H", "PT1.123S", "PT-1S", ""])
def test_a_duration_without_a_number_per_unit_is_no_duration(text: str) -> None:
    assert loose_duration_seconds(text) is None


def test_a_1_2_timespan_is_read_arithmetically_up_to_9999_hours() -> None:
    assert loose_timespan12_seconds("0:75:75") == 75 * 60 + 75
    assert loose_timespan12_seconds("9999:59:59.99") == Decimal("35999999.99")
    assert loose_timespan12_seconds("10000:00:00") is None


IDENTIFIERS = [("Question 1", True), ("a{b}", True), (" ", False), ("q\n1", False), ("a\x01b", False),
               ("", False), ("x" * 4001, False)]  # fmt: skip


@pytest.mark.parametrize(("text", "loose"), IDENTIFIERS)
def test_a_loose_identifier_is_one_line_with_something_in_it(text: str, loose: bool) -> None:
    assert is_loose_identifier(text) is loose


def test_a_loose_short_identifier_still_has_no_spaces() -> None:
    assert is_loose_short_identifier("urn:bad") and not is_loose_short_identifier("strongly agree")


def test_a_loose_language_tag_takes_words_but_not_digits() -> None:
    assert strip_loose_lang("{lang=english}Hello") == "Hello"
    assert strip_loose_lang("{lang=123}Hello") is None


def test_the_model_asks_a_leniency_only_about_a_type_mismatch() -> None:
    asked = []

    def leniency(pattern, value, context, refused):
        asked.append((pattern, value))
        return value

    model = new_model("2004")
    with pytest.raises(CmiError) as refused:
        model.set("cmi.score.scaled", "1.5", leniency)
    assert refused.value.kind is ErrorKind.OUT_OF_RANGE and asked == []
    model.set("cmi.interactions.0.id", "Question 1", leniency)
    assert asked == [("cmi.interactions.n.id", "Question 1")]
    assert model.values["cmi.interactions.0.id"] == "Question 1"


def test_a_leniency_may_store_a_normalised_value() -> None:
    model = new_model("2004")
    model.set("cmi.session_time", "P1W", lambda pattern, value, context, refused: "PT168H")
    assert model.values["cmi.session_time"] == "PT168H"
