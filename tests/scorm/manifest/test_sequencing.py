"""SCORM 2004 sequencing: every element read, spec defaults where absent, IDRef merging element by element."""

from __future__ import annotations

from scorm.manifest import read_manifest
from scorm.manifest.sequencing_model import Sequencing
from tests.scorm.manifest.builders import manifest_xml

FULL = """<imsss:sequencing>
  <imsss:controlMode choice="false" choiceExit="false" flow="true" forwardOnly="true"
      useCurrentAttemptObjectiveInfo="false" useCurrentAttemptProgressInfo="false"/>
  <imsss:sequencingRules>
    <imsss:preConditionRule><imsss:ruleConditions conditionCombination="any">
      <imsss:ruleCondition referencedObjective="obj1" measureThreshold="0.5" operator="not"
          condition="objectiveMeasureGreaterThan"/></imsss:ruleConditions>
      <imsss:ruleAction action="skip"/></imsss:preConditionRule>
    <imsss:exitConditionRule><imsss:ruleConditions><imsss:ruleCondition condition="completed"/>
      </imsss:ruleConditions>
      <imsss:ruleAction action="exit"/></imsss:exitConditionRule>
    <imsss:postConditionRule><imsss:ruleConditions><imsss:ruleCondition condition="always"/>
      </imsss:ruleConditions>
      <imsss:ruleAction action="retryAll"/></imsss:postConditionRule>
  </imsss:sequencingRules>
  <imsss:limitConditions attemptLimit="3" attemptAbsoluteDurationLimit="PT1H"/>
  <imsss:auxiliaryResources><imsss:auxiliaryResource auxiliaryResourceID="glossary" purpose="help"/>
  </imsss:auxiliaryResources>
  <imsss:rollupRules rollupObjectiveSatisfied="false" rollupProgressCompletion="false"
      objectiveMeasureWeight="0.5">
    <imsss:rollupRule childActivitySet="atLeastPercent" minimumPercent="0.6" minimumCount="2">
      <imsss:rollupConditions conditionCombination="all">
        <imsss:rollupCondition operator="not" condition="attempted"/></imsss:rollupConditions>
      <imsss:rollupAction action="incomplete"/></imsss:rollupRule>
  </imsss:rollupRules>
  <imsss:objectives>
    <imsss:primaryObjective objectiveID="p" satisfiedByMeasure="true">
      <imsss:minNormalizedMeasure>0.7</imsss:minNormalizedMeasure>
      <imsss:mapInfo targetObjectiveID="g1" readSatisfiedStatus="false" writeNormalizedMeasure="true"/>
    </imsss:primaryObjective>
    <imsss:objective objectiveID="obj1"/>
  </imsss:objectives>
  <imsss:randomizationControls randomizationTiming="once" selectCount="2" reorderChildren="true"
      selectionTiming="onEachNewAttempt"/>
  <imsss:deliveryControls tracked="false" completionSetByContent="true" objectiveSetByContent="true"/>
  <adlseq:constrainedChoiceConsiderations preventActivation="true" constrainChoice="true"/>
  <adlseq:rollupConsiderations requiredForSatisfied="ifAttempted" requiredForNotSatisfied="ifNotSkipped"
      requiredForCompleted="ifNotSuspended" requiredForIncomplete="ifAttempted"
          measureSatisfactionIfActive="false"/>
  <adlseq:objectives><adlseq:objective objectiveID="p">
    <adlseq:mapInfo targetObjectiveID="g1" writeRawScore="true" readProgressMeasure="false"/>
  </adlseq:objective></adlseq:objectives>
</imsss:sequencing>"""


def item_sequencing(item_body: str, extra: str = "") -> Sequencing:
    items = f'<item identifier="i1" identifierref="res1"><title>T</title>{item_body}</item>'
    reading = read_manifest(manifest_xml(items=items, extra=extra))
    return reading.manifest.default_organization.items[0].sequencing


def test_every_sequencing_element_and_attribute_is_read():
    seq = item_sequencing(FULL)
    mode = seq.control_mode
    assert (mode.choice, mode.choice_exit, mode.flow, mode.forward_only) == (False, False, True, True)
    assert (mode.use_current_attempt_objective_info, mode.use_current_attempt_progress_info) == (False, False)
    (pre,) = seq.sequencing_rules.pre_condition
    (condition,) = pre.conditions
    assert (pre.action, pre.condition_combination) == ("skip", "any")
    assert (condition.condition, condition.operator) == ("objectiveMeasureGreaterThan", "not")
    assert (condition.referenced_objective, condition.measure_threshold) == ("obj1", 0.5)
    assert seq.sequencing_rules.exit_condition[0].action == "exit"
    assert seq.sequencing_rules.post_condition[0].action == "retryAll"
    assert (seq.limit_conditions.attempt_limit, seq.limit_conditions.attempt_absolute_duration_limit) == (
        3,
        "PT1H",
    )
    assert (seq.auxiliary_resources[0].auxiliary_resource_id, seq.auxiliary_resources[0].purpose) == (
        "glossary",
        "help",
    )
    rollup = seq.rollup_rules
    assert (rollup.rollup_objective_satisfied, rollup.rollup_progress_completion) == (False, False)
    assert rollup.objective_measure_weight == 0.5
    (rule,) = rollup.rules
    assert (rule.child_activity_set, rule.minimum_percent, rule.minimum_count) == ("atLeastPercent", 0.6, 2)
    assert (rule.condition_combination, rule.action) == ("all", "incomplete")
    assert (rule.conditions[0].operator, rule.conditions[0].condition) == ("not", "attempted")
    primary, secondary = seq.objectives
    assert (primary.objective_id, primary.satisfied_by_measure, primary.min_normalized_measure) == (
        "p",
        True,
        0.7,
    )
    (mapping,) = primary.map_info
    assert (mapping.read_satisfied_status, mapping.read_normalized_measure) == (False, True)
    assert (mapping.write_satisfied_status, mapping.write_normalized_measure) == (False, True)
    assert (secondary.objective_id, secondary.is_primary) == ("obj1", False)
    random = seq.randomization_controls
    assert (random.randomization_timing, random.select_count, random.reorder_children) == ("once", 2, True)
    assert random.selection_timing == "onEachNewAttempt"
    delivery = seq.delivery_controls
    assert (delivery.tracked, delivery.completion_set_by_content, delivery.objective_set_by_content) == (
        False,
        True,
        True,
    )
    assert seq.constrained_choice_considerations.prevent_activation is True
    considerations = seq.rollup_considerations
    assert considerations.required_for_satisfied == "ifAttempted"
    assert considerations.required_for_not_satisfied == "ifNotSkipped"
    assert considerations.required_for_completed == "ifNotSuspended"
    assert considerations.measure_satisfaction_if_active is False
    (extended,) = seq.adl_objectives[0].map_info
    assert (extended.write_raw_score, extended.read_progress_measure, extended.read_raw_score) == (
        True,
        False,
        True,
    )


def test_absent_sequencing_has_the_spec_defaults():
    seq = item_sequencing("")
    assert seq.declared is False
    mode = seq.control_mode
    assert (mode.choice, mode.choice_exit, mode.flow, mode.forward_only) == (True, True, False, False)
    assert seq.limit_conditions.attempt_limit == 0
    assert (seq.rollup_rules.rollup_objective_satisfied, seq.rollup_rules.objective_measure_weight) == (
        True,
        1.0,
    )
    assert seq.delivery_controls.tracked is True
    assert seq.delivery_controls.completion_set_by_content is False
    assert seq.randomization_controls.randomization_timing == "never"
    assert seq.rollup_considerations.required_for_satisfied == "always"
    assert seq.rollup_considerations.measure_satisfaction_if_active is True


def test_objective_defaults_min_measure_one_and_map_reads_on_writes_off():
    seq = item_sequencing(
        '<imsss:sequencing><imsss:objectives><imsss:primaryObjective objectiveID="p">'
        '<imsss:mapInfo targetObjectiveID="g"/></imsss:primaryObjective></imsss:objectives>'
        "</imsss:sequencing>"
    )
    primary = seq.primary_objective
    assert (primary.satisfied_by_measure, primary.min_normalized_measure) == (False, 1.0)
    mapping = primary.map_info[0]
    assert (mapping.read_satisfied_status, mapping.read_normalized_measure) == (True, True)
    assert (mapping.write_satisfied_status, mapping.write_normalized_measure) == (False, False)


COLLECTION = """<imsss:sequencingCollection><imsss:sequencing ID="common">
  <imsss:controlMode choice="false" flow="true"/>
  <imsss:deliveryControls completionSetByContent="true"/>
  <imsss:limitConditions attemptLimit="5"/>
</imsss:sequencing></imsss:sequencingCollection>"""


def test_idref_takes_the_collection_entry_where_the_item_defines_nothing():
    seq = item_sequencing('<imsss:sequencing IDRef="common"/>', COLLECTION)
    assert seq.id_ref == "common"
    assert (seq.control_mode.choice, seq.control_mode.flow) == (False, True)
    assert seq.delivery_controls.completion_set_by_content is True
    assert seq.limit_conditions.attempt_limit == 5


def test_the_items_own_elements_win_over_the_collection_entry():
    seq = item_sequencing(
        '<imsss:sequencing IDRef="common"><imsss:limitConditions attemptLimit="1"/></imsss:sequencing>',
        COLLECTION,
    )
    assert seq.limit_conditions.attempt_limit == 1
    assert seq.control_mode.flow is True  # still from the collection


def test_idref_to_a_missing_entry_is_an_error_note():
    items = (
        '<item identifier="i1" identifierref="res1"><title>T</title><imsss:sequencing IDRef="nope"/></item>'
    )
    reading = read_manifest(manifest_xml(items=items))
    assert [(p.code, p.severity) for p in reading.problems] == [("CP-047", "error")]


def test_unknown_words_and_bad_numbers_are_notes_and_defaults():
    seq_xml = """<imsss:sequencing><imsss:controlMode choice="maybe"/>
      <imsss:limitConditions attemptLimit="-2"/>
      <imsss:sequencingRules><imsss:preConditionRule><imsss:ruleConditions>
        <imsss:ruleCondition condition="sunny"/></imsss:ruleConditions>
        <imsss:ruleAction action="exitAll"/></imsss:preConditionRule></imsss:sequencingRules>
    </imsss:sequencing>"""
    items = f'<item identifier="i1" identifierref="res1"><title>T</title>{seq_xml}</item>'
    reading = read_manifest(manifest_xml(items=items))
    seq = reading.manifest.default_organization.items[0].sequencing
    assert seq.control_mode.choice is True
    assert seq.limit_conditions.attempt_limit == 0
    rule = seq.sequencing_rules.pre_condition[0]
    assert rule.conditions[0].condition == "always" and rule.action == ""  # exitAll is a post action
    assert sorted(p.code for p in reading.problems) == ["CP-070", "CP-070", "CP-071", "CP-071"]
    assert all(p.location.startswith("imsmanifest.xml:") for p in reading.problems)


def test_organisation_sequencing_and_global_flags():
    xml = manifest_xml(org_extra='<imsss:sequencing><imsss:controlMode flow="true"/></imsss:sequencing>')
    xml = xml.replace(
        b'<organization identifier="org1">',
        b'<organization identifier="org1" adlseq:objectivesGlobalToSystem="false">',
    )
    org = read_manifest(xml).manifest.default_organization
    assert org.sequencing.control_mode.flow is True
    assert org.objectives_global_to_system is False
    assert org.shared_data_global_to_system is True
