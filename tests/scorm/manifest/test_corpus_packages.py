"""Facts about every real package in the shared corpus, read from their manifests (checked by hand)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from scorm.manifest import Manifest, read_manifest


def read_corpus_manifest(corpus: Path, name: str) -> Manifest:
    with zipfile.ZipFile(corpus / "packages" / name) as archive:
        reading = read_manifest(archive.read("imsmanifest.xml"))
    assert reading.manifest is not None, reading.problems
    return reading.manifest


# file, version, edition, SCO items, first launch URL, has sequencing
FACTS = [
    ("golf12_ContentPackagingSingleSCO.zip", "1.2", None, 1, "shared/launchpage.html", False),
    ("golf12_RuntimeBasicCalls.zip", "1.2", None, 1, "shared/launchpage.html", False),
    ("golf12_ContentPackagingOneFilePerSCO_multiSCO.zip", "1.2", None, 0, "Playing/Playing.html", False),
    ("golf2004e2_ContentPackagingSingleSCO.zip", "2004", 2, 1, "shared/launchpage.html", False),
    ("golf2004e3_ContentPackagingMetadata.zip", "2004", 3, 1, "shared/launchpage.html", False),
    ("golf2004e3_RunTimeAdvancedCalls.zip", "2004", 3, 1, "shared/launchpage.html", True),
    ("golf2004e3_RuntimeBasicCalls.zip", "2004", 3, 1, "shared/launchpage.html", True),
    (
        "golf2004e3_SequencingForcedSequential.zip",
        "2004",
        3,
        5,
        "shared/launchpage.html?content=playing",
        True,
    ),
    ("golf2004e3_SequencingRandomTest.zip", "2004", 3, 8, "shared/launchpage.html?content=playing", True),
    ("moodle_complexscorm_12.zip", "1.2", None, 7, "index.html", False),
]


@pytest.mark.parametrize(("name", "version", "edition", "sco_count", "first_launch", "sequenced"), FACTS)
def test_corpus_package_facts(corpus, name, version, edition, sco_count, first_launch, sequenced):
    manifest = read_corpus_manifest(corpus, name)
    assert (manifest.version, manifest.edition) == (version, edition)
    assert len(manifest.sco_items()) == sco_count
    assert manifest.launchable_items()[0].launch == first_launch
    assert manifest.has_sequencing is sequenced


def test_cam_13_schemaversion_is_2004_second_edition(corpus):
    manifest = read_corpus_manifest(corpus, "golf2004e2_ContentPackagingSingleSCO.zip")
    assert manifest.schemaversion == "CAM 1.3"
    assert manifest.edition == 2


def test_one_file_per_sco_has_19_asset_resources_18_launched_with_quiz_parameters(corpus):
    manifest = read_corpus_manifest(corpus, "golf12_ContentPackagingOneFilePerSCO_multiSCO.zip")
    assert [r.scorm_type for r in manifest.resources] == ["asset"] * 19
    launches = {item.identifier: item.launch for item in manifest.launchable_items()}
    assert len(launches) == 18  # the 19th asset holds the shared files and has no href
    assert all(item.resource_scorm_type == "asset" for item in manifest.launchable_items())
    assert launches["playing_quiz_item"] == "shared/assessmenttemplate.html?questions=Playing"
    assert launches["havingfun_quiz_item"] == "shared/assessmenttemplate.html?questions=HavingFun"
    assert [i.identifier for i in manifest.default_organization.items][0] == "playing_item"
    assert len(manifest.default_organization.items[0].children) == 6


def test_forced_sequential_items_merge_the_sequencing_collection(corpus):
    manifest = read_corpus_manifest(corpus, "golf2004e3_SequencingForcedSequential.zip")
    items = manifest.sco_items()
    assert [i.launch.split("=")[1] for i in items] == [
        "playing",
        "etiquette",
        "handicapping",
        "havingfun",
        "assessment",
    ]
    for item in items:
        assert item.sequencing.id_ref == "common_seq_rules"
        # from the collection entry
        assert item.sequencing.rollup_rules.objective_measure_weight == 0.0
        assert item.sequencing.delivery_controls.completion_set_by_content is True
        assert item.sequencing.delivery_controls.objective_set_by_content is True
    etiquette = items[1].sequencing
    (rule,) = etiquette.sequencing_rules.pre_condition
    assert rule.action == "disabled" and rule.condition_combination == "any"
    assert [(c.operator, c.condition) for c in rule.conditions] == [
        ("not", "satisfied"),
        ("not", "objectiveStatusKnown"),
    ]
    assert rule.conditions[0].referenced_objective == "previous_sco_satisfied"
    primary, previous = etiquette.objectives
    assert primary.is_primary and primary.objective_id == "etiquette_satisfied"
    assert primary.map_info[0].write_satisfied_status is True
    assert previous.map_info[0].target_objective_id.endswith("playing_satisfied")
    assert previous.map_info[0].write_satisfied_status is False
    assert previous.map_info[0].read_normalized_measure is True  # spec default


def test_forced_sequential_organisation_allows_choice_and_flow(corpus):
    manifest = read_corpus_manifest(corpus, "golf2004e3_SequencingForcedSequential.zip")
    org = manifest.default_organization
    assert org.objectives_global_to_system is False
    assert (org.sequencing.control_mode.choice, org.sequencing.control_mode.flow) == (True, True)


def test_random_test_reads_randomisation_attempt_limit_and_hidden_ui(corpus):
    manifest = read_corpus_manifest(corpus, "golf2004e3_SequencingRandomTest.zip")
    posttest = next(i for i in manifest.default_organization.items if i.identifier == "posttest_item")
    seq = posttest.sequencing
    assert seq.randomization_controls.randomization_timing == "onEachNewAttempt"
    assert seq.randomization_controls.reorder_children is True
    assert seq.limit_conditions.attempt_limit == 2
    assert len(seq.sequencing_rules.pre_condition) == 2
    assert [r.action for r in seq.sequencing_rules.post_condition] == ["retry", "retry", "exitAll"]
    assert [r.action for r in seq.rollup_rules.rules] == ["satisfied", "notSatisfied"]
    assert seq.control_mode.choice is False
    assert [c.isvisible for c in posttest.children] == [False] * 4
    assert all(c.hide_lms_ui == ["suspendAll"] for c in posttest.children)
    wrapper = manifest.default_organization.items[0]
    assert wrapper.isvisible is False and wrapper.launch is None
    assert wrapper.sequencing.rollup_rules.rollup_objective_satisfied is False


def test_advanced_calls_primary_objective_is_satisfied_by_measure(corpus):
    manifest = read_corpus_manifest(corpus, "golf2004e3_RunTimeAdvancedCalls.zip")
    seq = manifest.sco_items()[0].sequencing
    assert seq.primary_objective.satisfied_by_measure is True
    assert seq.primary_objective.min_normalized_measure == 0.8
    assert [o.objective_id for o in seq.objectives[1:]] == [
        "obj_etiquette",
        "obj_handicapping",
        "obj_havingfun",
        "obj_playing",
    ]


def test_complex_12_package_keeps_hidden_items_prerequisites_and_nested_scos(corpus):
    manifest = read_corpus_manifest(corpus, "moodle_complexscorm_12.zip")
    items = {i.identifier.rsplit("c25", 1)[1]: i for i in manifest.default_organization.all_items()}
    assert items["s07"].isvisible is False
    assert items["s08"].prerequisites.endswith("s01 & mm-ITEM-SCORMDEbugger555f231e21b982c25s02")
    assert items["s08"].prerequisites_type == "aicc_script"
    assert items["s03"].resource_scorm_type == "asset"
    assert items["s04"].children[0].children[0].launch == "index.html"  # 1.2: parents launch too
    assert manifest.default_organization.identifier == "mm-SCORMDEbugger555f231e21b982c25d16"
