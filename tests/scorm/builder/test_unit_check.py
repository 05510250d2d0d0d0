"""The builder refuses a unit definition it cannot build, naming every problem and its place."""

from __future__ import annotations

import pytest

from scorm.builder import UnitError, build_package_bytes, check_unit
from tests.scorm.builder.unit_fixture import make_unit


def reasons_for(unit) -> list[str]:
    with pytest.raises(UnitError) as refused:
        check_unit(unit)
    return refused.value.reasons


def test_the_fixture_unit_is_buildable():
    check_unit(make_unit())


def test_a_unit_that_is_not_a_mapping_is_refused():
    assert reasons_for(["u01"]) == ["a unit definition must be a mapping (dict)"]


def test_a_badly_formed_unit_id_is_refused():
    assert any(reason.startswith("id:") for reason in reasons_for(make_unit(id="unit one")))


def test_a_version_below_one_is_refused():
    assert any(reason.startswith("version:") for reason in reasons_for(make_unit(version=0)))


def test_an_empty_title_is_refused():
    assert any(reason.startswith("title:") for reason in reasons_for(make_unit(title="  ")))


def test_an_unknown_block_type_is_refused_with_its_place():
    unit = make_unit()
    unit["pages"][1]["blocks"].append({"type": "video", "src": "x.mp4"})
    assert any(
        reason.startswith("pages[1].blocks[2]: unknown block type 'video'") for reason in reasons_for(unit)
    )


def test_a_question_with_two_right_answers_is_refused():
    unit = make_unit()
    unit["assessment"]["bank"][0]["options"][0]["correct"] = True
    assert any("exactly one option must be marked correct, found 2" in r for r in reasons_for(unit))


def test_a_true_false_question_needs_options_true_and_false():
    unit = make_unit()
    unit["assessment"]["bank"][1]["options"][0]["id"] = "yes"
    assert any("options 'true' and 'false'" in reason for reason in reasons_for(unit))


def test_a_question_for_an_unknown_outcome_is_refused():
    unit = make_unit()
    unit["assessment"]["bank"][0]["outcome"] = "LO9"
    assert any("assessment.bank[0].outcome: 'LO9'" in reason for reason in reasons_for(unit))


def test_an_observed_outcome_must_be_one_of_the_units_outcomes():
    unit = make_unit(observation={"required": True, "outcomes": ["LO7"], "guidance": ""})
    assert any("observation.outcomes: 'LO7'" in reason for reason in reasons_for(unit))


def test_drawing_more_questions_than_the_bank_holds_is_refused():
    unit = make_unit()
    unit["assessment"]["questions_per_attempt"] = 6
    assert any("6 is more than the 5 questions" in reason for reason in reasons_for(unit))


def test_a_pass_mark_outside_percent_is_refused():
    unit = make_unit()
    unit["assessment"]["pass_mark"] = 120
    assert any(reason.startswith("assessment.pass_mark") for reason in reasons_for(unit))


def test_a_duplicate_question_id_is_refused():
    unit = make_unit()
    unit["assessment"]["bank"][1]["id"] = "q01"
    assert any("'q01' is used twice" in reason for reason in reasons_for(unit))


def test_an_identifier_with_spaces_is_refused():
    unit = make_unit()
    unit["learning_outcomes"][0]["id"] = "LO 1"
    assert any(reason.startswith("learning_outcomes[0].id") for reason in reasons_for(unit))


def test_every_problem_is_reported_at_once():
    unit = make_unit(title="", summary="")
    unit["assessment"]["pass_mark"] = 0
    assert len(reasons_for(unit)) == 3


def test_building_an_invalid_unit_raises_unit_error_naming_the_unit():
    with pytest.raises(UnitError, match="unit u99 cannot be built"):
        build_package_bytes(make_unit(summary=""), "2004")


def test_text_with_a_character_xml_cannot_hold_is_refused_with_its_place():
    unit = make_unit()
    unit["pages"][0]["blocks"][0]["text"] = "Bell \x07 here"
    assert (
        "pages[0].blocks[0].text: contains the control character U+0007, which XML cannot hold"
        in reasons_for(unit)
    )
