"""The loader refuses bad unit files with an error that names the file and the field."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from lti_tool.catalogue import CatalogueError, load_catalogue, load_unit


def _minimal_unit() -> dict:
    question = {
        "type": "choice",
        "outcome": "LO1",
        "scenario": None,
        "prompt": "Which?",
        "options": [
            {"id": "a", "text": "Right", "correct": True},
            {"id": "b", "text": "Wrong", "correct": False},
            {"id": "c", "text": "Also wrong", "correct": False},
        ],
        "feedback": {"correct": "Because.", "incorrect": "Because not."},
    }
    return {
        "id": "u99",
        "version": 1,
        "title": "Test unit",
        "summary": "For tests.",
        "standards": [1],
        "guided_learning_hours": None,
        "credits": None,
        "awarding_body_refs": {"NCFE CACHE": ""},
        "asc_wds_training_category": None,
        "observation": {"required": False, "outcomes": [], "guidance": ""},
        "learning_outcomes": [{"id": "LO1", "text": "Know a thing."}],
        "pages": [
            {"id": "p01", "title": "Page", "outcome": "LO1", "blocks": [{"type": "paragraph", "text": "Hi."}]}
        ],
        "assessment": {
            "pass_mark": 80,
            "questions_per_attempt": 8,
            "bank": [
                dict(copy.deepcopy(question), id=f"q{n:02d}", prompt=f"Which {n}?") for n in range(1, 9)
            ],
        },
    }


def _write(folder: Path, unit: dict, name: str = "u99") -> Path:
    (folder / f"{name}.yaml").write_text(yaml.safe_dump(unit), encoding="utf-8")
    return folder


def test_minimal_valid_unit_loads(tmp_path):
    assert load_unit("u99", _write(tmp_path, _minimal_unit()))["title"] == "Test unit"


def test_missing_field_is_named(tmp_path):
    unit = _minimal_unit()
    del unit["summary"]
    with pytest.raises(CatalogueError, match=r"u99\.yaml: .*'summary' is a required property"):
        load_unit("u99", _write(tmp_path, unit))


def test_wrong_type_names_the_nested_field(tmp_path):
    unit = _minimal_unit()
    unit["assessment"]["bank"][2]["options"][0]["correct"] = "yes"
    with pytest.raises(
        CatalogueError, match=r"u99\.yaml: field assessment\.bank\[2\]\.options\[0\]\.correct"
    ):
        load_unit("u99", _write(tmp_path, unit))


def test_html_in_text_is_refused(tmp_path):
    unit = _minimal_unit()
    unit["pages"][0]["blocks"][0]["text"] = "<script>alert(1)</script>"
    with pytest.raises(CatalogueError, match=r"field pages\[0\]\.blocks\[0\]\.text"):
        load_unit("u99", _write(tmp_path, unit))


def test_unknown_block_type_is_refused(tmp_path):
    unit = _minimal_unit()
    unit["pages"][0]["blocks"].append({"type": "video", "src": "x.mp4"})
    with pytest.raises(CatalogueError, match=r"field pages\[0\]\.blocks\[1\]"):
        load_unit("u99", _write(tmp_path, unit))


def test_question_pointing_at_missing_outcome_is_refused(tmp_path):
    unit = _minimal_unit()
    unit["assessment"]["bank"][0]["outcome"] = "LO7"
    with pytest.raises(CatalogueError, match=r"assessment\.bank\[q01\]\.outcome: learning outcome 'LO7'"):
        load_unit("u99", _write(tmp_path, unit))


def test_question_with_two_correct_options_is_refused(tmp_path):
    unit = _minimal_unit()
    unit["assessment"]["bank"][1]["options"][1]["correct"] = True
    with pytest.raises(CatalogueError, match=r"bank\[q02\]\.options: 2 options are marked correct"):
        load_unit("u99", _write(tmp_path, unit))


def test_duplicate_question_ids_are_refused(tmp_path):
    unit = _minimal_unit()
    unit["assessment"]["bank"][1]["id"] = "q01"
    with pytest.raises(CatalogueError, match=r"field assessment\.bank: id 'q01' is used more than once"):
        load_unit("u99", _write(tmp_path, unit))


def test_true_false_question_needs_true_and_false_ids(tmp_path):
    unit = _minimal_unit()
    unit["assessment"]["bank"][0].update(
        type="true-false",
        options=[
            {"id": "a", "text": "True", "correct": True},
            {"id": "b", "text": "False", "correct": False},
        ],
    )
    with pytest.raises(CatalogueError, match=r"field assessment\.bank\[0\]\.options"):
        load_unit("u99", _write(tmp_path, unit))


def test_unquoted_yaml_true_false_ids_are_refused(tmp_path):
    # YAML reads a bare `id: true` as a boolean, not the string the format needs.
    text = yaml.safe_dump(_minimal_unit()).replace("id: a\n", "id: true\n", 1)
    (tmp_path / "u99.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"\.id: True is not of type 'string'"):
        load_unit("u99", tmp_path)


def test_more_questions_drawn_than_the_bank_holds_is_refused(tmp_path):
    unit = _minimal_unit()
    unit["assessment"]["questions_per_attempt"] = 9
    with pytest.raises(CatalogueError, match=r"9 questions are drawn but the bank holds only 8"):
        load_unit("u99", _write(tmp_path, unit))


def test_observation_outcome_must_exist(tmp_path):
    unit = _minimal_unit()
    unit["observation"] = {"required": True, "outcomes": ["LO2"], "guidance": "Watch."}
    with pytest.raises(CatalogueError, match=r"field observation\.outcomes: learning outcome 'LO2'"):
        load_unit("u99", _write(tmp_path, unit))


def test_required_observation_needs_outcomes(tmp_path):
    unit = _minimal_unit()
    unit["observation"] = {"required": True, "outcomes": [], "guidance": "Watch."}
    with pytest.raises(CatalogueError, match=r"field observation\.outcomes"):
        load_unit("u99", _write(tmp_path, unit))


def test_file_id_must_match_its_name(tmp_path):
    with pytest.raises(CatalogueError, match=r"u98\.yaml: field id: says 'u99'"):
        load_unit("u98", _write(tmp_path, _minimal_unit(), name="u98"))


def test_invalid_yaml_is_reported_with_the_file_name(tmp_path):
    (tmp_path / "u99.yaml").write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"u99\.yaml: not valid YAML"):
        load_unit("u99", tmp_path)


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(CatalogueError, match=r"u42\.yaml: no such unit file"):
        load_unit("u42", tmp_path)


@pytest.mark.parametrize("bad_id", ["../secrets", "u1", "U01", "u01.yaml", ""])
def test_unit_id_that_is_not_an_id_is_refused_before_touching_files(bad_id):
    with pytest.raises(CatalogueError, match="is not a unit id"):
        load_unit(bad_id)


def test_catalogue_loads_every_unit_file_in_id_order(tmp_path):
    _write(tmp_path, dict(_minimal_unit(), id="u98"), name="u98")
    _write(tmp_path, _minimal_unit())
    assert [unit["id"] for unit in load_catalogue(tmp_path)] == ["u98", "u99"]


def test_scenario_text_on_a_plain_choice_question_is_refused(tmp_path):
    unit = _minimal_unit()
    unit["assessment"]["bank"][0]["scenario"] = "A situation."
    with pytest.raises(CatalogueError, match=r"field assessment\.bank\[0\]\.scenario"):
        load_unit("u99", _write(tmp_path, unit))


def test_scenario_question_without_its_situation_is_refused(tmp_path):
    unit = _minimal_unit()
    unit["assessment"]["bank"][0]["type"] = "scenario"
    with pytest.raises(CatalogueError, match=r"field assessment\.bank\[0\]\.scenario"):
        load_unit("u99", _write(tmp_path, unit))


def test_two_options_with_the_same_text_are_refused(tmp_path):
    unit = _minimal_unit()
    unit["assessment"]["bank"][0]["options"][2]["text"] = "wrong "
    unit["assessment"]["bank"][0]["options"][1]["text"] = "Wrong"
    with pytest.raises(CatalogueError, match=r"bank\[q01\]\.options: the text 'wrong' repeats"):
        load_unit("u99", _write(tmp_path, unit))


def test_the_same_question_twice_in_a_bank_is_refused(tmp_path):
    unit = _minimal_unit()
    unit["assessment"]["bank"][1]["prompt"] = unit["assessment"]["bank"][0]["prompt"]
    with pytest.raises(
        CatalogueError, match=r"field assessment\.bank: the question 'which 1\?' is asked more than once"
    ):
        load_unit("u99", _write(tmp_path, unit))
