"""build_sequencing_settings: the manifest's organisation as scorm-again's activity tree."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scorm.sequencing import SequencingSettingsError, activity_ids, build_sequencing_settings
from tests.scorm.sequencing.helpers import (
    FORCED_SEQUENTIAL,
    RANDOM_TEST,
    built_manifest,
    corpus_package_manifest,
    corpus_settings,
    sco_resources,
)


def one_item(sequencing: str = "", extra: str = "") -> str:
    return f'<item identifier="a" identifierref="a"><title>A</title>{extra}{sequencing}</item>'


def activity_a(sequencing: str = "", extra: str = "", **parts: str) -> dict:
    manifest = built_manifest(items=one_item(sequencing, extra), resources=sco_resources("a"), **parts)
    return build_sequencing_settings(manifest)["activityTree"]["children"][0]


# --- the tree -------------------------------------------------------------------------------------


def test_root_activity_is_the_organisation_and_children_are_items_in_order(corpus: Path):
    settings = corpus_settings(corpus, FORCED_SEQUENTIAL)

    assert activity_ids(settings) == [
        "golf_sample_default_org",
        "playing_item",
        "etuqiette_item",
        "handicapping_item",
        "havingfun_item",
        "assessment_item",
    ]
    assert settings["activityTree"]["title"] == "Golf Explained - Sequencing Forced Order"


def test_invisible_items_stay_in_the_tree_marked_invisible(corpus: Path):
    settings = corpus_settings(corpus, RANDOM_TEST)
    post_test = settings["activityTree"]["children"][1]

    assert [t["isVisible"] for t in post_test["children"]] == [False, False, False, False]
    assert settings["activityTree"]["children"][0]["isVisible"] is False


def test_item_without_title_is_titled_by_its_identifier():
    manifest = built_manifest(items='<item identifier="a" identifierref="a"/>', resources=sco_resources("a"))

    assert build_sequencing_settings(manifest)["activityTree"]["children"][0]["title"] == "a"


def test_settings_are_plain_json(corpus: Path):
    settings = corpus_settings(corpus, RANDOM_TEST)

    assert json.loads(json.dumps(settings)) == settings


def test_scorm_12_manifest_is_refused_with_a_clear_error(corpus: Path):
    manifest = corpus_package_manifest(corpus, "moodle_complexscorm_12.zip")

    with pytest.raises(SequencingSettingsError, match="only for SCORM 2004"):
        build_sequencing_settings(manifest)


def test_unknown_organisation_is_refused_with_a_clear_error():
    with pytest.raises(SequencingSettingsError, match="'elsewhere'"):
        build_sequencing_settings(built_manifest(), "elsewhere")


def test_named_organisation_is_used_instead_of_the_default():
    organizations = (
        '<organizations default="o1"><organization identifier="o1"><title>One</title>'
        '<item identifier="a" identifierref="a"/></organization>'
        '<organization identifier="o2"><title>Two</title><item identifier="b" identifierref="a"/>'
        "</organization></organizations>"
    )
    manifest = built_manifest(organizations=organizations, resources=sco_resources("a"))

    assert activity_ids(build_sequencing_settings(manifest, "o2")) == ["o2", "b"]


# --- controls -------------------------------------------------------------------------------------


def test_flow_is_false_when_the_manifest_says_nothing_because_that_is_the_sn_default():
    # scorm-again would otherwise default flow to true.
    assert activity_a()["sequencingControls"]["flow"] is False
    assert activity_a()["sequencingControls"]["choice"] is True


def test_control_mode_is_copied():
    controls = activity_a(
        '<imsss:sequencing><imsss:controlMode choice="false" choiceExit="false" flow="true" '
        'forwardOnly="true" useCurrentAttemptObjectiveInfo="false"/></imsss:sequencing>'
    )["sequencingControls"]

    assert (controls["choice"], controls["choiceExit"], controls["flow"], controls["forwardOnly"]) == (
        False,
        False,
        True,
        True,
    )
    assert controls["useCurrentAttemptObjectiveInfo"] is False


def test_sequencing_collection_is_merged_into_each_item(corpus: Path):
    settings = corpus_settings(corpus, FORCED_SEQUENTIAL)

    for sco in settings["activityTree"]["children"]:
        assert sco["sequencingControls"]["objectiveMeasureWeight"] == 0.0
        assert sco["deliveryControls"] == {
            "tracked": True,
            "completionSetByContent": True,
            "objectiveSetByContent": True,
        }


def test_reorder_children_becomes_randomize_children_with_its_timing(corpus: Path):
    settings = corpus_settings(corpus, RANDOM_TEST)
    controls = settings["activityTree"]["children"][1]["sequencingControls"]

    assert controls["randomizeChildren"] is True
    assert controls["randomizationTiming"] == "onEachNewAttempt"
    assert "reorderChildren" not in controls  # scorm-again's run-time flag, not a definition


def test_select_count_is_sent_and_a_missing_one_is_null():
    chosen = activity_a(
        '<imsss:sequencing><imsss:randomizationControls selectCount="2" selectionTiming="once"/>'
        "</imsss:sequencing>"
    )["sequencingControls"]

    assert (chosen["selectCount"], chosen["selectionTiming"]) == (2, "once")
    assert activity_a()["sequencingControls"]["selectCount"] is None


def test_constrained_choice_considerations_are_sent():
    controls = activity_a(
        '<imsss:sequencing><adlseq:constrainedChoiceConsiderations preventActivation="true" '
        'constrainChoice="true"/></imsss:sequencing>'
    )["sequencingControls"]

    assert (controls["preventActivation"], controls["constrainChoice"]) == (True, True)


# --- rules and limits -----------------------------------------------------------------------------


def test_pre_condition_rule_keeps_operator_and_referenced_objective(corpus: Path):
    settings = corpus_settings(corpus, FORCED_SEQUENTIAL)
    etiquette = settings["activityTree"]["children"][1]

    assert etiquette["sequencingRules"]["preConditionRules"] == [
        {
            "action": "disabled",
            "conditionCombination": "any",
            "conditions": [
                {
                    "condition": "satisfied",
                    "operator": "not",
                    "referencedObjective": "previous_sco_satisfied",
                },
                {
                    "condition": "objectiveStatusKnown",
                    "operator": "not",
                    "referencedObjective": "previous_sco_satisfied",
                },
            ],
        }
    ]


def test_measure_threshold_travels_as_the_threshold_parameter():
    rules = activity_a(
        "<imsss:sequencing><imsss:sequencingRules><imsss:postConditionRule><imsss:ruleConditions>"
        '<imsss:ruleCondition condition="objectiveMeasureGreaterThan" measureThreshold="0.6"/>'
        '</imsss:ruleConditions><imsss:ruleAction action="retry"/></imsss:postConditionRule>'
        "</imsss:sequencingRules></imsss:sequencing>"
    )["sequencingRules"]

    assert rules["postConditionRules"][0]["conditions"] == [
        {"condition": "objectiveMeasureGreaterThan", "parameters": {"threshold": 0.6}}
    ]


def test_attempt_limit_is_sent_and_zero_means_no_limit(corpus: Path):
    settings = corpus_settings(corpus, RANDOM_TEST)

    assert settings["activityTree"]["children"][1]["attemptLimit"] == 2
    assert settings["activityTree"]["children"][0]["attemptLimit"] is None


def test_duration_limit_scorm_again_would_throw_on_is_left_out():
    good = activity_a(
        '<imsss:sequencing><imsss:limitConditions attemptAbsoluteDurationLimit="PT1H30M"/></imsss:sequencing>'
    )
    bad = activity_a(
        '<imsss:sequencing><imsss:limitConditions attemptAbsoluteDurationLimit="an hour"/></imsss:sequencing>'
    )

    assert good["attemptAbsoluteDurationLimit"] == "PT1H30M"
    assert "attemptAbsoluteDurationLimit" not in bad


def test_rollup_rule_uses_scorm_again_names_and_percent_scale():
    rollup = activity_a(
        '<imsss:sequencing><imsss:rollupRules rollupObjectiveSatisfied="false" objectiveMeasureWeight="0.5">'
        '<imsss:rollupRule childActivitySet="atLeastPercent" minimumPercent="0.75">'
        '<imsss:rollupConditions conditionCombination="all">'
        '<imsss:rollupCondition condition="activityProgressKnown" operator="not"/></imsss:rollupConditions>'
        '<imsss:rollupAction action="incomplete"/></imsss:rollupRule></imsss:rollupRules></imsss:sequencing>'
    )

    assert rollup["rollupRules"]["rules"] == [
        {
            "action": "incomplete",
            "consideration": "atLeastPercent",
            "minimumCount": 0,
            "minimumPercent": 75.0,
            "conditionCombination": "all",
            "conditions": [{"condition": "progressKnown", "operator": "not"}],
        }
    ]
    assert rollup["sequencingControls"]["rollupObjectiveSatisfied"] is False
    assert rollup["sequencingControls"]["objectiveMeasureWeight"] == 0.5


def test_rollup_considerations_are_sent():
    considered = activity_a(
        '<imsss:sequencing><adlseq:rollupConsiderations requiredForSatisfied="ifAttempted" '
        'measureSatisfactionIfActive="false"/></imsss:sequencing>'
    )["rollupConsiderations"]

    assert considered["requiredForSatisfied"] == "ifAttempted"
    assert considered["requiredForCompleted"] == "always"
    assert considered["measureSatisfactionIfActive"] is False


# --- objectives -----------------------------------------------------------------------------------


def test_primary_objective_without_id_gets_a_stable_stand_in():
    activity = activity_a(
        '<imsss:sequencing><imsss:objectives><imsss:primaryObjective satisfiedByMeasure="true">'
        "<imsss:minNormalizedMeasure>0.8</imsss:minNormalizedMeasure></imsss:primaryObjective>"
        "</imsss:objectives></imsss:sequencing>"
    )

    assert activity["primaryObjective"]["objectiveID"] == "a#primary"
    assert activity["primaryObjective"]["satisfiedByMeasure"] is True
    assert activity["primaryObjective"]["minNormalizedMeasure"] == 0.8


def test_objective_map_grants_only_satisfied_status_and_measure_without_adlseq_map():
    activity = activity_a(
        '<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID="p">'
        '<imsss:mapInfo targetObjectiveID="g1" writeSatisfiedStatus="true"/></imsss:primaryObjective>'
        "</imsss:objectives></imsss:sequencing>"
    )
    map_info = activity["primaryObjective"]["mapInfo"][0]

    assert map_info["targetObjectiveID"] == "g1"
    assert (map_info["readSatisfiedStatus"], map_info["writeSatisfiedStatus"]) == (True, True)
    assert map_info["readCompletionStatus"] is False
    assert map_info["readRawScore"] is False


def test_adlseq_map_info_is_merged_into_the_objective_map_of_the_same_target():
    activity = activity_a(
        '<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID="p">'
        '<imsss:mapInfo targetObjectiveID="g1"/></imsss:primaryObjective></imsss:objectives>'
        '<adlseq:objectives><adlseq:objective objectiveID="p">'
        '<adlseq:mapInfo targetObjectiveID="g1" writeCompletionStatus="true"/>'
        '<adlseq:mapInfo targetObjectiveID="g2" writeRawScore="true"/>'
        "</adlseq:objective></adlseq:objectives></imsss:sequencing>"
    )
    first, second = activity["primaryObjective"]["mapInfo"]

    assert (first["targetObjectiveID"], first["writeCompletionStatus"], first["readSatisfiedStatus"]) == (
        "g1",
        True,
        True,
    )
    assert (second["targetObjectiveID"], second["writeRawScore"], second["readSatisfiedStatus"]) == (
        "g2",
        True,
        False,
    )


def test_other_objectives_are_listed_apart_from_the_primary(corpus: Path):
    settings = corpus_settings(corpus, FORCED_SEQUENTIAL)
    etiquette = settings["activityTree"]["children"][1]

    assert etiquette["primaryObjective"]["objectiveID"] == "etiquette_satisfied"
    assert [o["objectiveID"] for o in etiquette["objectives"]] == ["previous_sco_satisfied"]


# --- presentation and data ------------------------------------------------------------------------


def test_hide_lms_ui_is_sent_per_activity(corpus: Path):
    settings = corpus_settings(corpus, RANDOM_TEST)
    tests = settings["activityTree"]["children"][1]["children"]

    assert all(t["hideLmsUi"] == ["suspendAll"] for t in tests)
    assert "hideLmsUi" not in settings["activityTree"]["children"][0]


def test_completion_threshold_and_shared_data_are_sent():
    activity = activity_a(
        extra=(
            '<adlcp:completionThreshold completedByMeasure="true" minProgressMeasure="0.6"/>'
            '<adlcp:data><adlcp:map targetID="bucket" writeSharedData="false"/></adlcp:data>'
        )
    )

    assert activity["completionThreshold"] == {
        "completedByMeasure": True,
        "minProgressMeasure": 0.6,
        "progressWeight": 1.0,
    }
    assert activity["sharedDataMaps"] == [
        {"targetID": "bucket", "readSharedData": True, "writeSharedData": False}
    ]
