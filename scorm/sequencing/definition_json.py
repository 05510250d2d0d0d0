"""One activity's sequencing definition (CAM 4th Ed. section 5) as scorm-again 3.4 settings JSON.

scorm-again's ``ActivityTreeBuilder.createActivity`` reads these keys (its ``ActivitySettings`` type).
Three of its defaults differ from the specification, so every control is written out explicitly:
its ``flow`` defaults to true (SN default: false), its map-info ``read*`` flags for completion,
progress and score default to true (SN: only an ``adlseq:mapInfo`` grants them), and it reads a
primary objective only when it has an ID (the CAM lets a primary objective go without one).
"""

from __future__ import annotations

import re
from typing import Any

from scorm.manifest import sequencing_model as sm
from scorm.manifest.model import CompletionThreshold

# scorm-again's CMITimespan pattern: attemptAbsoluteDurationLimit outside it makes its Activity
# setter throw, which would stop the whole player, so such a value is left out (no limit).
_TIMESPAN = re.compile(
    r"^P(?:([.,\d]+)Y)?(?:([.,\d]+)M)?(?:([.,\d]+)W)?(?:([.,\d]+)D)?"
    r"(?:T?(?:([.,\d]+)H)?(?:([.,\d]+)M)?(?:(\d+(?:\.\d{1,2})?)S)?)?$"
)

# SN rollup condition "activityProgressKnown" is spelled "progressKnown" in scorm-again's rollup enum.
_ROLLUP_CONDITION_NAMES = {"activityProgressKnown": "progressKnown"}

HIDE_LMS_UI_TOKENS = ("continue", "previous", "exit", "exitAll", "abandon", "abandonAll", "suspendAll")


def primary_objective_id(activity_id: str, objective: sm.Objective) -> str:
    """The primary objective's ID, or a stable stand-in when the manifest gives none (CAM 5.1.7.1)."""
    return objective.objective_id or f"{activity_id}#primary"


def controls_json(seq: sm.Sequencing) -> dict[str, Any]:
    """Control modes (SN 3.2), constrained choice (4th Ed. adlseq), rollup controls (SN 4.6),
    selection and randomisation (SN 3.10). scorm-again keeps these together on one object."""
    mode, rollup, chosen = seq.control_mode, seq.rollup_rules, seq.randomization_controls
    constrained = seq.constrained_choice_considerations
    return {
        "choice": mode.choice,
        "choiceExit": mode.choice_exit,
        "flow": mode.flow,
        "forwardOnly": mode.forward_only,
        "useCurrentAttemptObjectiveInfo": mode.use_current_attempt_objective_info,
        "useCurrentAttemptProgressInfo": mode.use_current_attempt_progress_info,
        "preventActivation": constrained.prevent_activation,
        "constrainChoice": constrained.constrain_choice,
        "rollupObjectiveSatisfied": rollup.rollup_objective_satisfied,
        "rollupProgressCompletion": rollup.rollup_progress_completion,
        "objectiveMeasureWeight": rollup.objective_measure_weight,
        "selectionTiming": chosen.selection_timing,
        # scorm-again ignores 0; the SN treats a missing count as "select all".
        "selectCount": chosen.select_count if chosen.select_count else None,
        "randomizationTiming": chosen.randomization_timing,
        # The definition's reorderChildren is scorm-again's randomizeChildren; its own
        # reorderChildren / selectionCountStatus are run-time state and start false.
        "randomizeChildren": chosen.reorder_children,
    }


def delivery_controls_json(seq: sm.Sequencing) -> dict[str, Any]:
    delivery = seq.delivery_controls
    return {
        "tracked": delivery.tracked,
        "completionSetByContent": delivery.completion_set_by_content,
        "objectiveSetByContent": delivery.objective_set_by_content,
    }


def _rule_condition_json(condition: sm.RuleCondition) -> dict[str, Any]:
    found: dict[str, Any] = {"condition": condition.condition}
    if condition.operator == "not":
        found["operator"] = "not"  # scorm-again reads a missing operator as noOp
    if condition.referenced_objective:
        found["referencedObjective"] = condition.referenced_objective
    if condition.condition in ("objectiveMeasureGreaterThan", "objectiveMeasureLessThan"):
        found["parameters"] = {"threshold": condition.measure_threshold}
    return found


def _rules_json(rules: list[sm.SequencingRule]) -> list[dict[str, Any]]:
    return [
        {
            "action": rule.action,
            "conditionCombination": rule.condition_combination,
            "conditions": [_rule_condition_json(c) for c in rule.conditions],
        }
        for rule in rules
    ]


def sequencing_rules_json(seq: sm.Sequencing) -> dict[str, Any]:
    """Pre-, exit and post-condition rules (SN 3.4, UP.2 Sequencing Rules Check Process)."""
    rules = seq.sequencing_rules
    return {
        "preConditionRules": _rules_json(rules.pre_condition),
        "exitConditionRules": _rules_json(rules.exit_condition),
        "postConditionRules": _rules_json(rules.post_condition),
    }


def rollup_rules_json(seq: sm.Sequencing) -> dict[str, Any]:
    """Rollup rules (SN 4.6.5). scorm-again calls the child activity set "consideration" and
    takes minimumPercent on a 0..100 scale where the CAM uses 0..1."""
    return {
        "rules": [
            {
                "action": rule.action,
                "consideration": rule.child_activity_set,
                "minimumCount": rule.minimum_count,
                "minimumPercent": round(rule.minimum_percent * 100, 6),
                "conditionCombination": rule.condition_combination,
                "conditions": [
                    {
                        "condition": _ROLLUP_CONDITION_NAMES.get(c.condition, c.condition),
                        "operator": c.operator,
                    }
                    for c in rule.conditions
                ],
            }
            for rule in seq.rollup_rules.rules
        ]
    }


def rollup_considerations_json(seq: sm.Sequencing) -> dict[str, Any]:
    """ADL rollup considerations (SN 4th Ed. 4.6.6, adlseq:rollupConsiderations)."""
    considered = seq.rollup_considerations
    return {
        "requiredForSatisfied": considered.required_for_satisfied,
        "requiredForNotSatisfied": considered.required_for_not_satisfied,
        "requiredForCompleted": considered.required_for_completed,
        "requiredForIncomplete": considered.required_for_incomplete,
        "measureSatisfactionIfActive": considered.measure_satisfaction_if_active,
    }


_EXTENDED_FLAGS = (
    ("readRawScore", "read_raw_score"),
    ("readMinScore", "read_min_score"),
    ("readMaxScore", "read_max_score"),
    ("readCompletionStatus", "read_completion_status"),
    ("readProgressMeasure", "read_progress_measure"),
    ("writeRawScore", "write_raw_score"),
    ("writeMinScore", "write_min_score"),
    ("writeMaxScore", "write_max_score"),
    ("writeCompletionStatus", "write_completion_status"),
    ("writeProgressMeasure", "write_progress_measure"),
)


def _map_info_json(
    basic: sm.MapInfo | None, extended: sm.ExtendedMapInfo | None, target: str
) -> dict[str, Any]:
    found: dict[str, Any] = {
        "targetObjectiveID": target,
        "readSatisfiedStatus": basic.read_satisfied_status if basic else False,
        "readNormalizedMeasure": basic.read_normalized_measure if basic else False,
        "writeSatisfiedStatus": basic.write_satisfied_status if basic else False,
        "writeNormalizedMeasure": basic.write_normalized_measure if basic else False,
    }
    for json_name, field_name in _EXTENDED_FLAGS:
        found[json_name] = bool(getattr(extended, field_name)) if extended else False
    return found


def _objective_maps(objective: sm.Objective, seq: sm.Sequencing) -> list[dict[str, Any]]:
    """imsss:mapInfo (satisfied status, measure) merged with the 4th Ed. adlseq:mapInfo of the same
    objective and target (scores, completion, progress): scorm-again keeps both on one map entry."""
    extended = {
        info.target_objective_id: info
        for adl in seq.adl_objectives
        if adl.objective_id == objective.objective_id
        for info in adl.map_info
    }
    maps = [
        _map_info_json(info, extended.pop(info.target_objective_id, None), info.target_objective_id)
        for info in objective.map_info
    ]
    maps += [_map_info_json(None, info, target) for target, info in extended.items()]
    return maps


def objectives_json(seq: sm.Sequencing, activity_id: str) -> dict[str, Any]:
    """Objectives (SN 4.5 / CAM 5.1.7): the primary objective apart, the others as a list."""
    found: dict[str, Any] = {}
    others = []
    for objective in seq.objectives:
        settings = {
            "objectiveID": primary_objective_id(activity_id, objective)
            if objective.is_primary
            else objective.objective_id,
            "isPrimary": objective.is_primary,
            "satisfiedByMeasure": objective.satisfied_by_measure,
            "minNormalizedMeasure": objective.min_normalized_measure,
            "mapInfo": _objective_maps(objective, seq),
        }
        if objective.is_primary:
            found["primaryObjective"] = settings
        elif objective.objective_id:
            others.append(settings)
    if others:
        found["objectives"] = others
    return found


def limit_conditions_json(seq: sm.Sequencing) -> dict[str, Any]:
    """Limit conditions (SN 3.3): attemptLimit 0 means none, which scorm-again spells null."""
    limits = seq.limit_conditions
    found: dict[str, Any] = {"attemptLimit": limits.attempt_limit or None}
    duration = limits.attempt_absolute_duration_limit
    if duration and _TIMESPAN.match(duration) and duration not in ("P", "PT"):
        found["attemptAbsoluteDurationLimit"] = duration
    return found


def completion_threshold_json(threshold: CompletionThreshold | None) -> dict[str, Any]:
    if threshold is None:
        return {}
    return {
        "completionThreshold": {
            "completedByMeasure": threshold.completed_by_measure,
            "minProgressMeasure": threshold.min_progress_measure,
            "progressWeight": threshold.progress_weight,
        }
    }


def auxiliary_resources_json(seq: sm.Sequencing) -> dict[str, Any]:
    resources = [
        {"resourceId": r.auxiliary_resource_id, "purpose": r.purpose}
        for r in seq.auxiliary_resources
        if r.auxiliary_resource_id
    ]
    return {"auxiliaryResources": resources} if resources else {}


def hide_lms_ui_json(tokens: list[str]) -> dict[str, Any]:
    """adlnav:hideLMSUI (CAM 4th Ed. 5.2): only the vocabulary scorm-again knows, once each."""
    kept = list(dict.fromkeys(t for t in tokens if t in HIDE_LMS_UI_TOKENS))
    return {"hideLmsUi": kept} if kept else {}


def definition_json(seq: sm.Sequencing, activity_id: str) -> dict[str, Any]:
    """Every part of one effective sequencing definition, as ActivitySettings keys."""
    return {
        "sequencingControls": controls_json(seq),
        "deliveryControls": delivery_controls_json(seq),
        "sequencingRules": sequencing_rules_json(seq),
        "rollupRules": rollup_rules_json(seq),
        "rollupConsiderations": rollup_considerations_json(seq),
        **limit_conditions_json(seq),
        **objectives_json(seq, activity_id),
        **auxiliary_resources_json(seq),
    }
