"""Rollup of one cluster from its children's status (SN 4.6, RB.1.1 - RB.1.4)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from scorm.manifest import sequencing_model as sm
from scorm.sequencing.conditions import (
    ObjectiveLookup,
    child_set_fires,
    rollup_conditions_hold,
    skipped,
)
from scorm.sequencing.tracking import ActivityState, objective_by_measure

# SN 4.6.5 default rollup rules, used when a cluster defines none for that pair of actions. Each
# pair is listed "negative first": RB.1.2b / RB.1.3b apply it first, so the positive one wins.
DEFAULT_OBJECTIVE_RULES = (
    sm.RollupRule("notSatisfied", "all", conditions=[sm.RollupCondition("objectiveStatusKnown")]),
    sm.RollupRule("satisfied", "all", conditions=[sm.RollupCondition("satisfied")]),
)
DEFAULT_PROGRESS_RULES = (
    sm.RollupRule("incomplete", "all", conditions=[sm.RollupCondition("activityProgressKnown")]),
    sm.RollupRule("completed", "all", conditions=[sm.RollupCondition("completed")]),
)


@dataclass(frozen=True)
class Child:
    """A child as its parent's rollup sees it."""

    seq: sm.Sequencing
    state: ActivityState
    objectives: ObjectiveLookup


def contributes(action: str, child: Child) -> bool:
    """RB.1.4.2 Check Child for Rollup Subprocess, with the ADL rollup considerations (SN 4.6.6)."""
    seq, state = child.seq, child.state
    if not seq.delivery_controls.tracked:
        return False
    considered = seq.rollup_considerations
    if action in ("satisfied", "notSatisfied"):
        if not seq.rollup_rules.rollup_objective_satisfied:
            return False
        required = (
            considered.required_for_satisfied
            if action == "satisfied"
            else considered.required_for_not_satisfied
        )
    else:
        if not seq.rollup_rules.rollup_progress_completion:
            return False
        required = (
            considered.required_for_completed if action == "completed" else considered.required_for_incomplete
        )
    if required == "ifAttempted":
        return state.attempted
    if required == "ifNotSkipped":
        return not skipped(state, seq, child.objectives)
    if required == "ifNotSuspended":
        return state.attempted and not state.suspended
    return True


def rule_fires(rule: sm.RollupRule, children: list[Child]) -> bool:
    """RB.1.4 Rollup Rule Check Subprocess for one rule."""
    values = [rollup_conditions_hold(rule, c.state, c.seq) for c in children if contributes(rule.action, c)]
    return child_set_fires(rule, values)


def measure_rollup(state: ActivityState, children: list[Child]) -> ActivityState:
    """RB.1.1a Measure Rollup Process: weighted by each child's objectiveMeasureWeight. A tracked
    child with no measure yet still counts its weight (4th Ed.), so an unfinished course cannot
    show the score of its one finished test."""
    total = 0.0
    counted = 0.0
    valid = False
    for child in children:
        if not child.seq.delivery_controls.tracked:
            continue
        weight = child.seq.rollup_rules.objective_measure_weight
        counted += weight
        if child.state.measure_known:
            total += child.state.measure * weight
            valid = True
    if not valid or counted <= 0:
        return replace(state, measure_known=False, measure=0.0)
    return replace(state, measure_known=True, measure=max(-1.0, min(1.0, total / counted)))


def _apply_pair(
    rules: tuple[sm.RollupRule, ...] | list[sm.RollupRule], children: list[Child], negative: str
) -> bool | None:
    """The outcome of a negative/positive pair of rule actions: True, False, or None (no change)."""
    outcome = None
    for rule in sorted(rules, key=lambda r: r.action != negative):
        if rule_fires(rule, children):
            outcome = rule.action != negative
    return outcome


def objective_rollup(state: ActivityState, seq: sm.Sequencing, children: list[Child]) -> ActivityState:
    """RB.1.2 Objective Rollup Process: by measure (RB.1.2a), by rules (RB.1.2b), or by default."""
    primary = seq.primary_objective
    if primary is not None and primary.satisfied_by_measure:
        return objective_by_measure(state, seq)
    own = [r for r in seq.rollup_rules.rules if r.action in ("satisfied", "notSatisfied")]
    outcome = _apply_pair(own or DEFAULT_OBJECTIVE_RULES, children, "notSatisfied")
    if outcome is None:
        return replace(state, objective_known=False, satisfied=False)
    return replace(state, objective_known=True, satisfied=outcome)


def progress_rollup(state: ActivityState, seq: sm.Sequencing, children: list[Child]) -> ActivityState:
    """RB.1.3 Activity Progress Rollup Process by rules (RB.1.3b) or by default (RB.1.3c)."""
    own = [r for r in seq.rollup_rules.rules if r.action in ("completed", "incomplete")]
    outcome = _apply_pair(own or DEFAULT_PROGRESS_RULES, children, "incomplete")
    if outcome is None:
        return replace(state, progress_known=False, completed=False)
    return replace(state, progress_known=True, completed=outcome)


def cluster_state(
    seq: sm.Sequencing, children: list[Child], attempt_count: int | None, suspended: bool
) -> ActivityState:
    """RB.1.5 Overall Rollup Process for one cluster: measure, then objective, then progress."""
    attempted = attempt_count if attempt_count is not None else int(any(c.state.attempted for c in children))
    state = ActivityState(attempt_count=attempted, suspended=suspended)
    if not seq.delivery_controls.tracked:
        return state
    state = measure_rollup(state, children)
    state = objective_rollup(state, seq, children)
    return progress_rollup(state, seq, children)
