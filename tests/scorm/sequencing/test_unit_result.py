"""rollup_unit_result on real packages, single-SCO units and the SCORM 1.2 LMS rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from scorm.sequencing import rollup_unit_result, table_of_contents, tracked_items
from scorm.sequencing.unit_result import COMPLETIONS, SUCCESSES
from tests.scorm.sequencing.helpers import (
    FORCED_SEQUENTIAL,
    RANDOM_TEST,
    corpus_package_manifest,
    cts_manifest,
)
from tests.scorm.sequencing.trees import course, result, sco

DONE = result("completed", "passed")


# --- single SCO -----------------------------------------------------------------------------------


def test_single_sco_unit_result_is_the_sco_result(corpus: Path):
    manifest = corpus_package_manifest(corpus, "golf2004e3_RunTimeAdvancedCalls.zip")
    only = tracked_items(manifest)[0].identifier

    found = rollup_unit_result(manifest, {only: result("completed", "failed", 0.45, 125.5)})

    assert (found.completion, found.success, found.score_scaled) == ("completed", "failed", 0.45)
    assert (found.total_time_seconds, found.total_time, found.rule) == (125.5, "PT2M5.5S", "single-sco")


def test_single_sco_without_a_result_is_not_attempted():
    found = rollup_unit_result(course(sco("a")), {})

    assert (found.completion, found.success, found.score_scaled) == ("not attempted", "unknown", None)


def test_results_for_unknown_identifiers_are_ignored():
    found = rollup_unit_result(course(sco("a")), {"intruder": DONE})

    assert found.completion == "not attempted"


# --- SCORM 2004 corpus ----------------------------------------------------------------------------


def test_forced_sequential_is_completed_and_passed_when_every_sco_is(corpus: Path):
    manifest = corpus_package_manifest(corpus, FORCED_SEQUENTIAL)
    results = {item.identifier: result("completed", "passed", 0.8) for item in tracked_items(manifest)}

    found = rollup_unit_result(manifest, results)

    assert (found.completion, found.success, found.rule) == ("completed", "passed", "scorm2004-rollup")
    assert found.score_scaled is None  # every objectiveMeasureWeight is 0: "no score is rolled up"
    assert found.total_time_seconds == 300.0


def test_forced_sequential_is_incomplete_after_the_first_sco(corpus: Path):
    manifest = corpus_package_manifest(corpus, FORCED_SEQUENTIAL)

    found = rollup_unit_result(manifest, {"playing_item": DONE})

    assert (found.completion, found.success) == ("incomplete", "unknown")


def random_test_content_done() -> dict:
    return {name: DONE for name in ("playing_item", "etuqiette_item", "handicapping_item", "havingfun_item")}


def test_random_test_takes_status_from_the_post_test_and_score_from_the_last_test(corpus: Path):
    manifest = corpus_package_manifest(corpus, RANDOM_TEST)
    results = random_test_content_done() | {
        "test_3": result("completed", "failed", 0.4),
        "test_1": result("completed", "passed", 0.9),
    }

    found = rollup_unit_result(manifest, results)

    assert (found.completion, found.success) == ("completed", "passed")
    assert found.score_scaled == pytest.approx(0.9)
    assert found.activities["content_wrapper"]["success"] == "passed"


def test_random_test_one_failed_test_fails_the_course_but_leaves_it_open(corpus: Path):
    manifest = corpus_package_manifest(corpus, RANDOM_TEST)
    results = random_test_content_done() | {"test_2": result("completed", "failed", 0.3)}

    found = rollup_unit_result(manifest, results)

    assert (found.completion, found.success) == ("incomplete", "failed")


def test_random_test_is_completed_once_the_post_test_attempt_limit_is_used(corpus: Path):
    manifest = corpus_package_manifest(corpus, RANDOM_TEST)
    results = random_test_content_done() | {"test_2": result("completed", "failed", 0.3)}

    found = rollup_unit_result(manifest, results, attempt_counts={"posttest_item": 2})

    assert (found.completion, found.success) == ("completed", "failed")


# --- SCORM 1.2 rule -------------------------------------------------------------------------------


def scorm12(*items):
    return course(*items, version="1.2")


def test_scorm12_completed_when_every_sco_is_completed_passed_or_failed():
    manifest = scorm12(sco("a"), sco("b"), sco("c"))
    results = {
        "a": result("completed"),
        "b": result("completed", "passed"),
        "c": result("completed", "failed"),
    }

    assert rollup_unit_result(manifest, results).completion == "completed"


def test_scorm12_incomplete_while_a_sco_is_missing():
    found = rollup_unit_result(scorm12(sco("a"), sco("b")), {"a": result("completed")})

    assert (found.completion, found.rule) == ("incomplete", "scorm12-lms-rule")


def test_scorm12_passed_when_every_sco_with_a_mastery_score_passed():
    manifest = scorm12(sco("a"), sco("quiz", mastery=80.0))

    found = rollup_unit_result(manifest, {"quiz": result("completed", "passed")})

    assert (found.success, found.completion) == ("passed", "incomplete")


def test_scorm12_failed_when_a_sco_failed():
    manifest = scorm12(sco("a"), sco("quiz"))

    assert (
        rollup_unit_result(manifest, {"a": DONE, "quiz": result("completed", "failed")}).success == "failed"
    )


def test_scorm12_without_mastery_scores_passes_only_a_completed_unit_with_a_pass():
    manifest = scorm12(sco("a"), sco("quiz"))

    assert rollup_unit_result(manifest, {"quiz": DONE}).success == "unknown"
    assert rollup_unit_result(manifest, {"a": result("completed"), "quiz": DONE}).success == "passed"


def test_scorm12_score_is_the_mean_of_the_scos_that_have_one():
    manifest = scorm12(sco("a"), sco("b"), sco("c"))
    results = {"a": result(scaled=0.5), "b": result(scaled=1.0), "c": result()}

    assert rollup_unit_result(manifest, results).score_scaled == pytest.approx(0.75)


def test_scorm12_total_time_is_the_sum_of_the_scos():
    found = rollup_unit_result(
        scorm12(sco("a"), sco("b")), {"a": result(seconds=30), "b": result(seconds=45)}
    )

    assert (found.total_time_seconds, found.total_time) == (75.0, "PT1M15S")


def test_scorm12_complex_package_tracks_every_sco_item_including_hidden_and_nested(corpus: Path):
    manifest = corpus_package_manifest(corpus, "moodle_complexscorm_12.zip")
    scos = [item.identifier for item in tracked_items(manifest)]
    all_but_hidden = {s: result("completed") for s in scos if not s.endswith("s07")}

    assert len(scos) == 7  # the asset is not tracked
    assert rollup_unit_result(manifest, all_but_hidden).completion == "incomplete"
    assert rollup_unit_result(manifest, {s: result("completed") for s in scos}).completion == "completed"


def test_scorm12_asset_only_package_tracks_its_launched_assets(corpus: Path):
    manifest = corpus_package_manifest(corpus, "golf12_ContentPackagingOneFilePerSCO_multiSCO.zip")
    items = [item.identifier for item in tracked_items(manifest)]

    found = rollup_unit_result(manifest, {i: result("completed") for i in items})

    assert len(items) == 18
    assert found.completion == "completed"


def test_every_adl_cts_manifest_rolls_up_and_lists_its_contents(corpus: Path):
    patterns = [DONE, result("incomplete", "failed", -0.5), result("unknown", "unknown")]
    for path in sorted((corpus / "adl_cts_manifests").glob("*.xml")):
        manifest = cts_manifest(corpus, path.name)
        items = [item.identifier for item in tracked_items(manifest)]
        toc = table_of_contents(manifest)
        assert {e.identifier for e in toc.entries if e.launchable} >= set(items), path.name
        for pattern in patterns:
            found = rollup_unit_result(manifest, dict.fromkeys(items, pattern), ended=items)
            assert found.completion in COMPLETIONS and found.success in SUCCESSES, path.name
