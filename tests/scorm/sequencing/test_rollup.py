"""SCORM 2004 rollup on the server (SN 4.6): one rule per test, on small hand-built trees."""

from __future__ import annotations

import pytest

from scorm.manifest import sequencing_model as sm
from scorm.sequencing import rollup_unit_result
from tests.scorm.sequencing.trees import cluster, course, result, rule, rules, sco, seq, weight

TWO = course(sco("a"), sco("b"))


def unit(manifest, **results):
    return rollup_unit_result(manifest, results)


# --- default rules (SN 4.6.5) ---------------------------------------------------------------------


def test_course_is_completed_when_every_sco_is_completed():
    assert unit(TWO, a=result("completed"), b=result("completed")).completion == "completed"


def test_course_is_incomplete_when_a_sco_is_known_incomplete():
    assert unit(TWO, a=result("completed"), b=result("incomplete")).completion == "incomplete"


def test_unvisited_sco_leaves_the_root_unknown_reported_as_incomplete():
    found = unit(TWO, a=result("completed"))

    assert found.completion == "incomplete"
    assert found.activities["root"]["completion"] == "unknown"
    assert found.activities["b"]["completion"] == "not attempted"


def test_nothing_attempted_is_not_attempted():
    assert unit(TWO).completion == "not attempted"


def test_course_is_passed_when_every_sco_is_passed():
    assert unit(TWO, a=result(success="passed"), b=result(success="passed")).success == "passed"


def test_course_is_failed_when_all_are_known_and_one_failed():
    assert unit(TWO, a=result(success="passed"), b=result(success="failed")).success == "failed"


def test_one_failed_and_one_unknown_leaves_success_unknown_under_the_default_rules():
    assert unit(TWO, a=result(success="failed")).success == "unknown"


def test_status_rolls_up_through_nested_clusters():
    manifest = course(cluster("m1", sco("a"), sco("b")), cluster("m2", sco("c")))
    done = result("completed", "passed")

    found = unit(manifest, a=done, b=done, c=done)

    assert (found.completion, found.success) == ("completed", "passed")
    assert found.activities["m1"] == {"completion": "completed", "success": "passed"}


# --- measure rollup (RB.1.1a) ---------------------------------------------------------------------


def test_score_is_the_mean_weighted_by_objective_measure_weight():
    manifest = course(sco("a", weight(1.0)), sco("b", weight(3.0)))

    found = unit(manifest, a=result(scaled=0.2), b=result(scaled=0.6))

    assert found.score_scaled == pytest.approx(0.5)


def test_a_sco_without_a_score_still_counts_its_weight():
    assert unit(TWO, a=result(scaled=0.8)).score_scaled == pytest.approx(0.4)


def test_no_score_when_every_weight_is_zero():
    manifest = course(sco("a", weight(0.0)), sco("b", weight(0.0)))

    assert unit(manifest, a=result(scaled=0.8), b=result(scaled=0.9)).score_scaled is None


def test_untracked_sco_neither_scores_nor_counts():
    untracked = seq(delivery_controls=sm.DeliveryControls(tracked=False))
    manifest = course(sco("a"), sco("b", untracked))

    found = unit(manifest, a=result("completed", "passed", 0.7), b=result("incomplete", "failed", 0.1))

    assert (found.completion, found.success, found.score_scaled) == (
        "completed",
        "passed",
        pytest.approx(0.7),
    )


def test_root_satisfied_by_measure_compares_the_rolled_up_score():
    by_measure = seq(
        objectives=[sm.Objective("p", is_primary=True, satisfied_by_measure=True, min_normalized_measure=0.6)]
    )
    manifest = course(sco("a", weight(1.0)), sco("b", weight(1.0)), sequencing=by_measure)

    assert unit(manifest, a=result(scaled=0.5), b=result(scaled=0.6)).success == "failed"
    assert unit(manifest, a=result(scaled=0.7), b=result(scaled=0.6)).success == "passed"


# --- rollup controls and considerations (SN 4.6.4, 4.6.6) ----------------------------------------


def test_sco_that_does_not_roll_up_satisfaction_is_left_out_of_success():
    quiet = seq(rollup_rules=sm.RollupRules(rollup_objective_satisfied=False))
    manifest = course(sco("a"), sco("b", quiet))

    assert unit(manifest, a=result(success="passed"), b=result(success="failed")).success == "passed"


def test_sco_that_does_not_roll_up_completion_is_left_out_of_completion():
    quiet = seq(rollup_rules=sm.RollupRules(rollup_progress_completion=False))
    manifest = course(sco("a"), sco("b", quiet))

    assert unit(manifest, a=result("completed")).completion == "completed"


def test_required_if_attempted_leaves_unattempted_scos_out():
    optional = seq(rollup_considerations=sm.RollupConsiderations(required_for_satisfied="ifAttempted"))
    manifest = course(sco("a"), sco("b", optional))

    assert unit(manifest, a=result(success="passed")).success == "passed"


def test_required_if_not_suspended_leaves_suspended_scos_out():
    optional = seq(rollup_considerations=sm.RollupConsiderations(required_for_completed="ifNotSuspended"))
    manifest = course(sco("a"), sco("b", optional))
    results = {"a": result("completed"), "b": result("incomplete")}

    assert rollup_unit_result(manifest, results, suspended={"b"}).completion == "completed"
    assert rollup_unit_result(manifest, results).completion == "incomplete"


def test_required_if_not_skipped_leaves_out_a_sco_its_skip_rule_skips():
    skip_always = sm.SequencingRule("skip", conditions=[sm.RuleCondition("always")])
    skippable = seq(
        sequencing_rules=sm.SequencingRules(pre_condition=[skip_always]),
        rollup_considerations=sm.RollupConsiderations(required_for_completed="ifNotSkipped"),
    )
    manifest = course(sco("a"), sco("b", skippable))

    assert unit(manifest, a=result("completed")).completion == "completed"


# --- explicit rules (RB.1.4) ----------------------------------------------------------------------


def test_any_satisfied_rule_passes_the_course_on_one_passed_sco():
    manifest = course(sco("a"), sco("b"), sequencing=rules(rule("satisfied", "any", "satisfied")))

    assert unit(manifest, a=result(success="passed")).success == "passed"


def test_satisfied_wins_when_both_rules_fire():
    both = rules(rule("notSatisfied", "any", "not satisfied"), rule("satisfied", "any", "satisfied"))
    manifest = course(sco("a"), sco("b"), sequencing=both)

    assert unit(manifest, a=result(success="passed"), b=result(success="failed")).success == "passed"


def test_unknown_status_never_makes_a_not_condition_true():
    manifest = course(sco("a"), sco("b"), sequencing=rules(rule("notSatisfied", "any", "not satisfied")))

    assert unit(manifest, a=result("incomplete")).success == "unknown"


def test_at_least_count_rule():
    manifest = course(
        sco("a"),
        sco("b"),
        sco("c"),
        sequencing=rules(rule("completed", "atLeastCount", "completed", minimum_count=2)),
    )

    assert unit(manifest, a=result("completed"), b=result("completed")).completion == "completed"
    assert unit(manifest, a=result("completed")).completion == "incomplete"


def test_at_least_percent_rule():
    percent = rules(rule("completed", "atLeastPercent", "completed", minimum_percent=0.5))
    manifest = course(sco("a"), sco("b"), sco("c"), sco("d"), sequencing=percent)

    assert unit(manifest, a=result("completed"), b=result("completed")).completion == "completed"


def test_none_rule_fires_only_when_every_child_is_false():
    manifest = course(
        sco("a"),
        sco("b"),
        sequencing=rules(rule("incomplete", "none", "completed"), rule("completed", "all", "attempted")),
    )

    assert unit(manifest, a=result("incomplete"), b=result("incomplete")).completion == "completed"


def test_own_completion_rules_replace_the_defaults():
    manifest = course(sco("a"), sco("b"), sequencing=rules(rule("completed", "any", "completed")))

    assert unit(manifest, a=result("completed"), b=result("incomplete")).completion == "completed"


# --- end attempt defaults (UP.4) ------------------------------------------------------------------


def test_ended_sco_that_sets_no_status_is_completed_and_satisfied_by_the_lms():
    silent = {"a": result("unknown"), "b": result("unknown")}

    assert rollup_unit_result(TWO, silent, ended={"a", "b"}).success == "passed"
    assert rollup_unit_result(TWO, silent, ended={"a", "b"}).completion == "completed"
    assert rollup_unit_result(TWO, silent).completion == "incomplete"


def test_content_that_sets_its_own_status_is_not_completed_by_the_lms():
    by_content = seq(delivery_controls=sm.DeliveryControls(completion_set_by_content=True))
    manifest = course(sco("a", by_content), sco("b", by_content))

    found = rollup_unit_result(manifest, {"a": result("unknown"), "b": result("unknown")}, ended={"a", "b"})

    assert found.completion == "incomplete"


# --- global objectives (SN 4.5.3) -----------------------------------------------------------------


def mapped(objective: str, **flags) -> sm.Sequencing:
    return seq(objectives=[sm.Objective(objective, is_primary=True, map_info=[sm.MapInfo("g", **flags)])])


def test_a_status_written_to_a_global_is_read_by_another_activity():
    writer = mapped("w", write_satisfied_status=True)
    reader = mapped("r")  # read flags default to true
    manifest = course(sco("a", writer), cluster("m", sco("b"), sequencing=reader))

    found = unit(manifest, a=result(success="passed"))

    assert found.activities["m"]["success"] == "passed"


def test_the_later_writer_of_a_global_wins():
    writer = mapped("w", write_normalized_measure=True, read_normalized_measure=False)
    reader = seq(
        objectives=[
            sm.Objective("r", is_primary=True, map_info=[sm.MapInfo("g", read_satisfied_status=False)])
        ],
        rollup_rules=sm.RollupRules(objective_measure_weight=1.0),
    )
    manifest = course(cluster("tests", sco("t1", writer), sco("t2", writer), sequencing=reader))

    first_then_second = rollup_unit_result(manifest, {"t1": result(scaled=0.3), "t2": result(scaled=0.9)})
    second_then_first = rollup_unit_result(manifest, {"t2": result(scaled=0.9), "t1": result(scaled=0.3)})

    assert first_then_second.score_scaled == pytest.approx(0.9)
    assert second_then_first.score_scaled == pytest.approx(0.3)


def test_children_the_sequencer_did_not_select_are_left_out():
    manifest = course(sco("a"), sco("b"), sco("c"))

    found = rollup_unit_result(
        manifest, {"a": result("completed"), "c": result("completed")}, unavailable={"b"}
    )

    assert found.completion == "completed"
