"""Read <imsss:sequencing> (and its ADL extensions) into the sequencing model.

An element's sequencing is read into *parts* (only the child elements that are present); an item
with IDRef takes the referenced sequencingCollection entry's parts and its own parts win over them,
element by element (CAM 4th Ed. 5.1: the collection entry supplies what the item does not define).
Missing parts get the specification's defaults when the parts become a Sequencing.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from scorm.manifest import sequencing_model as sm
from scorm.manifest.values import ParseNotes, parse_float_text, read_bool, read_float, read_int, read_word
from scorm.manifest.xml_read import ADLSEQ, IMSSS, child, child_text, children, is_element, name_of

Parts = dict[str, Any]

CONDITIONS = frozenset(
    {
        "satisfied",
        "objectiveStatusKnown",
        "objectiveMeasureKnown",
        "objectiveMeasureGreaterThan",
        "objectiveMeasureLessThan",
        "completed",
        "activityProgressKnown",
        "attempted",
        "attemptLimitExceeded",
        "timeLimitExceeded",
        "outsideAvailableTimeRange",
        "always",
    }
)
ROLLUP_CONDITIONS = CONDITIONS - {"objectiveMeasureGreaterThan", "objectiveMeasureLessThan", "always"}
OPERATORS = frozenset({"not", "noOp"})
COMBINATIONS = frozenset({"all", "any"})
RULE_ACTIONS = {
    "preConditionRule": frozenset({"skip", "disabled", "hiddenFromChoice", "stopForwardTraversal"}),
    "exitConditionRule": frozenset({"exit"}),
    "postConditionRule": frozenset({"exitParent", "exitAll", "retry", "retryAll", "continue", "previous"}),
}
ROLLUP_ACTIONS = frozenset({"satisfied", "notSatisfied", "completed", "incomplete"})
CHILD_SETS = frozenset({"all", "any", "none", "atLeastCount", "atLeastPercent"})
TIMINGS = frozenset({"never", "once", "onEachNewAttempt"})
REQUIRED_FOR = frozenset({"always", "ifAttempted", "ifNotSkipped", "ifNotSuspended"})


def uri_attr(el: etree._Element, name: str) -> str:
    """An xs:anyURI attribute (objective IDs): whitespace collapsed as XML Schema prescribes."""
    return " ".join((el.get(name) or "").split())


def read_sequencing_parts(element: etree._Element, notes: ParseNotes) -> Parts:
    """The parts an <imsss:sequencing> element defines itself, keyed by Sequencing field name."""
    readers = {
        (IMSSS, "controlMode"): ("control_mode", _control_mode),
        (IMSSS, "sequencingRules"): ("sequencing_rules", _sequencing_rules),
        (IMSSS, "limitConditions"): ("limit_conditions", _limit_conditions),
        (IMSSS, "auxiliaryResources"): ("auxiliary_resources", _auxiliary_resources),
        (IMSSS, "rollupRules"): ("rollup_rules", _rollup_rules),
        (IMSSS, "objectives"): ("objectives", _objectives),
        (IMSSS, "randomizationControls"): ("randomization_controls", _randomization),
        (IMSSS, "deliveryControls"): ("delivery_controls", _delivery),
        (ADLSEQ, "constrainedChoiceConsiderations"): (
            "constrained_choice_considerations",
            _constrained_choice,
        ),
        (ADLSEQ, "rollupConsiderations"): ("rollup_considerations", _rollup_considerations),
        (ADLSEQ, "objectives"): ("adl_objectives", _adl_objectives),
    }
    parts: Parts = {}
    for part in element:
        if not is_element(part):
            continue
        reader = readers.get(name_of(part))
        if reader is not None and reader[0] not in parts:
            parts[reader[0]] = reader[1](part, notes)
    return parts


def build_sequencing(
    own: Parts, collection_entry: Parts | None, *, id_ref: str | None, line: int | None
) -> sm.Sequencing:
    merged = {**(collection_entry or {}), **own}
    return sm.Sequencing(declared=True, id_ref=id_ref, line=line, **merged)


def _control_mode(el: etree._Element, notes: ParseNotes) -> sm.ControlMode:
    d = sm.ControlMode()
    return sm.ControlMode(
        choice=read_bool(el, "choice", d.choice, notes),
        choice_exit=read_bool(el, "choiceExit", d.choice_exit, notes),
        flow=read_bool(el, "flow", d.flow, notes),
        forward_only=read_bool(el, "forwardOnly", d.forward_only, notes),
        use_current_attempt_objective_info=read_bool(
            el, "useCurrentAttemptObjectiveInfo", d.use_current_attempt_objective_info, notes
        ),
        use_current_attempt_progress_info=read_bool(
            el, "useCurrentAttemptProgressInfo", d.use_current_attempt_progress_info, notes
        ),
    )


def _sequencing_rules(el: etree._Element, notes: ParseNotes) -> sm.SequencingRules:
    rules = sm.SequencingRules()
    by_kind = {
        "preConditionRule": rules.pre_condition,
        "exitConditionRule": rules.exit_condition,
        "postConditionRule": rules.post_condition,
    }
    for rule_el in el:
        if is_element(rule_el) and name_of(rule_el)[0] == IMSSS and name_of(rule_el)[1] in by_kind:
            kind = name_of(rule_el)[1]
            by_kind[kind].append(_sequencing_rule(rule_el, RULE_ACTIONS[kind], notes))
    return rules


def _sequencing_rule(el: etree._Element, actions: frozenset[str], notes: ParseNotes) -> sm.SequencingRule:
    conditions_el = child(el, IMSSS, "ruleConditions")
    action_el = child(el, IMSSS, "ruleAction")
    combination = "all"
    conditions: list[sm.RuleCondition] = []
    if conditions_el is not None:
        combination = read_word(conditions_el, "conditionCombination", "all", COMBINATIONS, notes)
        conditions = [_rule_condition(c, notes) for c in children(conditions_el, IMSSS, "ruleCondition")]
    action = ""
    if action_el is None:
        notes.note("CP-072", "sequencing rule has no <ruleAction>; it can never apply.", el)
    else:
        action = read_word(action_el, "action", "", actions, notes)
    return sm.SequencingRule(
        action=action, condition_combination=combination, conditions=conditions, line=el.sourceline
    )


def _rule_condition(el: etree._Element, notes: ParseNotes) -> sm.RuleCondition:
    referenced = uri_attr(el, "referencedObjective")
    return sm.RuleCondition(
        condition=read_word(el, "condition", "always", CONDITIONS, notes),
        referenced_objective=referenced or None,
        measure_threshold=read_float(el, "measureThreshold", 0.0, notes, -1.0, 1.0),
        operator=read_word(el, "operator", "noOp", OPERATORS, notes),
    )


def _limit_conditions(el: etree._Element, notes: ParseNotes) -> sm.LimitConditions:
    duration = el.get("attemptAbsoluteDurationLimit")
    return sm.LimitConditions(
        attempt_limit=read_int(el, "attemptLimit", 0, notes) or 0,
        attempt_absolute_duration_limit=duration.strip() if duration else None,
    )


def _auxiliary_resources(el: etree._Element, notes: ParseNotes) -> list[sm.AuxiliaryResource]:
    return [
        sm.AuxiliaryResource(
            auxiliary_resource_id=(a.get("auxiliaryResourceID") or "").strip(), purpose=a.get("purpose") or ""
        )
        for a in children(el, IMSSS, "auxiliaryResource")
    ]


def _rollup_rules(el: etree._Element, notes: ParseNotes) -> sm.RollupRules:
    d = sm.RollupRules()
    return sm.RollupRules(
        rollup_objective_satisfied=read_bool(
            el, "rollupObjectiveSatisfied", d.rollup_objective_satisfied, notes
        ),
        rollup_progress_completion=read_bool(
            el, "rollupProgressCompletion", d.rollup_progress_completion, notes
        ),
        objective_measure_weight=read_float(el, "objectiveMeasureWeight", 1.0, notes, 0.0, 1.0),
        rules=[_rollup_rule(r, notes) for r in children(el, IMSSS, "rollupRule")],
    )


def _rollup_rule(el: etree._Element, notes: ParseNotes) -> sm.RollupRule:
    conditions_el = child(el, IMSSS, "rollupConditions")
    action_el = child(el, IMSSS, "rollupAction")
    combination, conditions = "any", []
    if conditions_el is not None:
        combination = read_word(conditions_el, "conditionCombination", "any", COMBINATIONS, notes)
        conditions = [
            sm.RollupCondition(
                condition=read_word(c, "condition", "satisfied", ROLLUP_CONDITIONS, notes),
                operator=read_word(c, "operator", "noOp", OPERATORS, notes),
            )
            for c in children(conditions_el, IMSSS, "rollupCondition")
        ]
    if action_el is None:
        notes.note("CP-072", "rollup rule has no <rollupAction>; it can never apply.", el)
        action = ""
    else:
        action = read_word(action_el, "action", "", ROLLUP_ACTIONS, notes)
    return sm.RollupRule(
        action=action,
        child_activity_set=read_word(el, "childActivitySet", "all", CHILD_SETS, notes),
        minimum_count=read_int(el, "minimumCount", 0, notes) or 0,
        minimum_percent=read_float(el, "minimumPercent", 0.0, notes, 0.0, 1.0),
        condition_combination=combination,
        conditions=conditions,
    )


def _objectives(el: etree._Element, notes: ParseNotes) -> list[sm.Objective]:
    found = [_objective(o, True, notes) for o in children(el, IMSSS, "primaryObjective")[:1]]
    found += [_objective(o, False, notes) for o in children(el, IMSSS, "objective")]
    return found


def _objective(el: etree._Element, is_primary: bool, notes: ParseNotes) -> sm.Objective:
    objective_id = uri_attr(el, "objectiveID") or None
    if objective_id is None and not is_primary:
        notes.note(
            "CP-073", "<imsss:objective> has no objectiveID (required for all but the primary objective).", el
        )
    measure_text = child_text(el, IMSSS, "minNormalizedMeasure")
    measure = 1.0
    if measure_text:
        measure = parse_float_text(measure_text, 1.0, notes, el, "minNormalizedMeasure", -1.0, 1.0)
    return sm.Objective(
        objective_id=objective_id,
        is_primary=is_primary,
        satisfied_by_measure=read_bool(el, "satisfiedByMeasure", False, notes),
        min_normalized_measure=measure,
        map_info=[_map_info(m, notes) for m in children(el, IMSSS, "mapInfo")],
        line=el.sourceline,
    )


def _map_info(el: etree._Element, notes: ParseNotes) -> sm.MapInfo:
    d = sm.MapInfo("")
    return sm.MapInfo(
        target_objective_id=uri_attr(el, "targetObjectiveID"),
        read_satisfied_status=read_bool(el, "readSatisfiedStatus", d.read_satisfied_status, notes),
        read_normalized_measure=read_bool(el, "readNormalizedMeasure", d.read_normalized_measure, notes),
        write_satisfied_status=read_bool(el, "writeSatisfiedStatus", d.write_satisfied_status, notes),
        write_normalized_measure=read_bool(el, "writeNormalizedMeasure", d.write_normalized_measure, notes),
    )


def _adl_objectives(el: etree._Element, notes: ParseNotes) -> list[sm.ExtendedObjective]:
    return [
        sm.ExtendedObjective(
            objective_id=uri_attr(o, "objectiveID"),
            map_info=[_extended_map_info(m, notes) for m in children(o, ADLSEQ, "mapInfo")],
        )
        for o in children(el, ADLSEQ, "objective")
    ]


def _extended_map_info(el: etree._Element, notes: ParseNotes) -> sm.ExtendedMapInfo:
    flags = {
        "read_raw_score": "readRawScore",
        "read_min_score": "readMinScore",
        "read_max_score": "readMaxScore",
        "read_completion_status": "readCompletionStatus",
        "read_progress_measure": "readProgressMeasure",
        "write_raw_score": "writeRawScore",
        "write_min_score": "writeMinScore",
        "write_max_score": "writeMaxScore",
        "write_completion_status": "writeCompletionStatus",
        "write_progress_measure": "writeProgressMeasure",
    }
    defaults = sm.ExtendedMapInfo("")
    values = {
        name: read_bool(el, xml_name, getattr(defaults, name), notes) for name, xml_name in flags.items()
    }
    return sm.ExtendedMapInfo(target_objective_id=uri_attr(el, "targetObjectiveID"), **values)


def _randomization(el: etree._Element, notes: ParseNotes) -> sm.RandomizationControls:
    return sm.RandomizationControls(
        randomization_timing=read_word(el, "randomizationTiming", "never", TIMINGS, notes),
        select_count=read_int(el, "selectCount", None, notes),
        reorder_children=read_bool(el, "reorderChildren", False, notes),
        selection_timing=read_word(el, "selectionTiming", "never", TIMINGS, notes),
    )


def _delivery(el: etree._Element, notes: ParseNotes) -> sm.DeliveryControls:
    return sm.DeliveryControls(
        tracked=read_bool(el, "tracked", True, notes),
        completion_set_by_content=read_bool(el, "completionSetByContent", False, notes),
        objective_set_by_content=read_bool(el, "objectiveSetByContent", False, notes),
    )


def _constrained_choice(el: etree._Element, notes: ParseNotes) -> sm.ConstrainedChoiceConsiderations:
    return sm.ConstrainedChoiceConsiderations(
        prevent_activation=read_bool(el, "preventActivation", False, notes),
        constrain_choice=read_bool(el, "constrainChoice", False, notes),
    )


def _rollup_considerations(el: etree._Element, notes: ParseNotes) -> sm.RollupConsiderations:
    return sm.RollupConsiderations(
        required_for_satisfied=read_word(el, "requiredForSatisfied", "always", REQUIRED_FOR, notes),
        required_for_not_satisfied=read_word(el, "requiredForNotSatisfied", "always", REQUIRED_FOR, notes),
        required_for_completed=read_word(el, "requiredForCompleted", "always", REQUIRED_FOR, notes),
        required_for_incomplete=read_word(el, "requiredForIncomplete", "always", REQUIRED_FOR, notes),
        measure_satisfaction_if_active=read_bool(el, "measureSatisfactionIfActive", True, notes),
    )
