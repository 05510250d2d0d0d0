"""Each unit of the built-in catalogue is valid, sound and maps to the Care Certificate (issue 6)."""

from __future__ import annotations

from collections import Counter
from functools import cache

import pytest

from lti_tool.catalogue import UNITS_DIR, load_catalogue
from lti_tool.catalogue import load_unit as load_unit_uncached

# Our unit ids and the Care Certificate standards each one covers (standard 16 was added in March 2025).
STANDARDS_BY_UNIT = {
    "u01": [1],
    "u02": [2],
    "u03": [3],
    "u04": [4],
    "u05": [5],
    "u06": [6],
    "u07": [7],
    "u08": [8],
    "u09": [9],
    "u10": [10],
    "u11": [11],
    "u12": [12, 13],
    "u13": [14],
    "u14": [15],
    "u15": [16],
}
# Units whose outcomes include skills an assessor must see at work; the others are knowledge only.
UNITS_NEEDING_OBSERVATION = {"u01", "u03", "u04", "u05", "u06", "u07", "u08", "u12", "u13", "u14"}
PAGES_PER_UNIT = range(6, 11)
MIN_BANK_SIZE = 12
PASS_MARK = 80

UNIT_IDS = sorted(STANDARDS_BY_UNIT)

# Each test reads a unit without changing it, so one load per unit serves them all.
load_unit = cache(load_unit_uncached)


@pytest.fixture(scope="module")
def catalogue() -> list[dict]:
    return load_catalogue()


def test_catalogue_holds_exactly_the_fifteen_units(catalogue):
    assert [unit["id"] for unit in catalogue] == UNIT_IDS
    assert sorted(file.stem for file in UNITS_DIR.glob("*.yaml")) == UNIT_IDS


@pytest.mark.parametrize("unit_id", UNIT_IDS)
def test_unit_validates_against_schema_and_integrity_rules(unit_id):
    assert load_unit(unit_id)["id"] == unit_id


@pytest.mark.parametrize("unit_id", UNIT_IDS)
def test_unit_maps_to_its_care_certificate_standards(unit_id):
    assert load_unit(unit_id)["standards"] == STANDARDS_BY_UNIT[unit_id]


def test_standards_one_to_sixteen_are_each_covered_exactly_once(catalogue):
    covered = Counter(standard for unit in catalogue for standard in unit["standards"])
    assert covered == Counter(range(1, 17))


def test_unit_titles_are_unique(catalogue):
    titles = [unit["title"] for unit in catalogue]
    assert len(set(titles)) == len(titles)


@pytest.mark.parametrize("unit_id", UNIT_IDS)
def test_unit_has_six_to_ten_content_pages(unit_id):
    assert len(load_unit(unit_id)["pages"]) in PAGES_PER_UNIT


@pytest.mark.parametrize("unit_id", UNIT_IDS)
def test_unit_bank_is_larger_than_one_attempt(unit_id):
    assessment = load_unit(unit_id)["assessment"]
    assert len(assessment["bank"]) >= MIN_BANK_SIZE
    assert len(assessment["bank"]) >= assessment["questions_per_attempt"] >= 8
    assert assessment["pass_mark"] == PASS_MARK


@pytest.mark.parametrize("unit_id", UNIT_IDS)
def test_unit_bank_mixes_question_types(unit_id):
    types = {question["type"] for question in load_unit(unit_id)["assessment"]["bank"]}
    assert types == {"choice", "true-false", "scenario"}


@pytest.mark.parametrize("unit_id", UNIT_IDS)
def test_every_learning_outcome_is_taught_on_a_page(unit_id):
    unit = load_unit(unit_id)
    taught = {page.get("outcome") for page in unit["pages"]}
    assert {outcome["id"] for outcome in unit["learning_outcomes"]} <= taught


@pytest.mark.parametrize("unit_id", UNIT_IDS)
def test_observation_is_required_only_for_units_with_workplace_skills(unit_id):
    observation = load_unit(unit_id)["observation"]
    assert observation["required"] is (unit_id in UNITS_NEEDING_OBSERVATION)


@pytest.mark.parametrize("unit_id", UNIT_IDS)
def test_unknown_qualification_facts_are_left_empty_not_guessed(unit_id):
    unit = load_unit(unit_id)
    assert set(unit["awarding_body_refs"].values()) == {""}
    assert unit["credits"] is None
    assert unit["guided_learning_hours"] is None


@pytest.mark.parametrize("unit_id", UNIT_IDS)
def test_feedback_teaches_rather_than_just_marking(unit_id):
    # "Correct!" alone teaches nothing: feedback has to carry a reason.
    for question in load_unit(unit_id)["assessment"]["bank"]:
        for verdict, text in question["feedback"].items():
            assert len(text.split()) >= 8, f"{question['id']} {verdict} feedback is too thin: {text!r}"


@pytest.mark.parametrize("unit_id", UNIT_IDS)
def test_correct_answers_are_not_always_in_the_same_place(unit_id):
    positions = {
        [option["correct"] for option in question["options"]].index(True)
        for question in load_unit(unit_id)["assessment"]["bank"]
        if question["type"] != "true-false"
    }
    assert len(positions) > 1
