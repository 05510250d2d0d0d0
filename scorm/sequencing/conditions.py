"""Condition evaluation on the server's tracking status: rollup conditions (SN RB.1.4.1) and the
sequencing-rule conditions the rollup needs for "ifNotSkipped" (SN UP.2.1), in Kleene logic."""

from __future__ import annotations

from collections.abc import Callable

from scorm.manifest import sequencing_model as sm
from scorm.sequencing.tracking import ActivityState, Truth, kleene_all, kleene_any, kleene_not

# A referenced objective's status, by objective ID (None: no such objective, or nothing known).
ObjectiveLookup = Callable[[str], ActivityState | None]

# Conditions about an objective; the others are about the activity even when an objective is named.
OBJECTIVE_CONDITIONS = frozenset(
    {
        "satisfied",
        "objectiveStatusKnown",
        "objectiveMeasureKnown",
        "objectiveMeasureGreaterThan",
        "objectiveMeasureLessThan",
    }
)


def condition_value(
    condition: str, state: ActivityState, seq: sm.Sequencing, threshold: float = 0.0
) -> Truth:
    """The truth of one condition word for an activity (or objective) status.

    The server keeps no clock for sequencing, so time conditions are false, as they are for an
    activity without time limits.
    """
    if condition == "satisfied":
        return state.satisfied if state.objective_known else None
    if condition == "objectiveStatusKnown":
        return state.objective_known
    if condition == "objectiveMeasureKnown":
        return state.measure_known
    if condition == "objectiveMeasureGreaterThan":
        return state.measure > threshold if state.measure_known else None
    if condition == "objectiveMeasureLessThan":
        return state.measure < threshold if state.measure_known else None
    if condition == "completed":
        return state.completed if state.progress_known else None
    if condition == "activityProgressKnown":
        return state.progress_known
    if condition == "attempted":
        return state.attempted
    if condition == "attemptLimitExceeded":
        limit = seq.limit_conditions.attempt_limit
        return bool(limit) and state.attempt_count >= limit
    return condition == "always"


def _combine(values: list[Truth], combination: str) -> Truth:
    return kleene_all(values) if combination == "all" else kleene_any(values)


def rollup_conditions_hold(rule: sm.RollupRule, child: ActivityState, child_seq: sm.Sequencing) -> Truth:
    """RB.1.4.1 Evaluate Rollup Conditions Subprocess for one child. No conditions: always true."""
    values = []
    for condition in rule.conditions:
        value = condition_value(condition.condition, child, child_seq)
        values.append(kleene_not(value) if condition.operator == "not" else value)
    return _combine(values, rule.condition_combination) if values else True


def child_set_fires(rule: sm.RollupRule, values: list[Truth]) -> bool:
    """RB.1.4 Rollup Rule Check, the child activity set: only True values count; an empty set of
    contributing children never changes a status."""
    if not values:
        return False
    trues = sum(1 for v in values if v is True)
    if rule.child_activity_set == "all":
        return trues == len(values)
    if rule.child_activity_set == "any":
        return trues > 0
    if rule.child_activity_set == "none":
        return all(v is False for v in values)
    if rule.child_activity_set == "atLeastCount":
        return trues >= rule.minimum_count
    return trues / len(values) >= rule.minimum_percent  # atLeastPercent


def sequencing_rule_fires(
    rule: sm.SequencingRule, state: ActivityState, seq: sm.Sequencing, objectives: ObjectiveLookup
) -> bool:
    """UP.2.1 Sequencing Rule Check Subprocess: a rule acts only when its conditions are True."""
    values = []
    for condition in rule.conditions:
        target = state
        if condition.referenced_objective and condition.condition in OBJECTIVE_CONDITIONS:
            target = objectives(condition.referenced_objective) or ActivityState()
        value = condition_value(condition.condition, target, seq, condition.measure_threshold)
        values.append(kleene_not(value) if condition.operator == "not" else value)
    return _combine(values, rule.condition_combination) is True if values else True


def skipped(state: ActivityState, seq: sm.Sequencing, objectives: ObjectiveLookup) -> bool:
    """Whether a skip pre-condition rule holds (UP.2 with the Skip actions), for ifNotSkipped."""
    return any(
        sequencing_rule_fires(rule, state, seq, objectives)
        for rule in seq.sequencing_rules.pre_condition
        if rule.action == "skip"
    )
