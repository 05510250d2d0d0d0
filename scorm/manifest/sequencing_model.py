"""SCORM 2004 sequencing definitions (IMS Simple Sequencing + ADL extensions), with the spec's defaults.

Field defaults are the defaults of SCORM 2004 4th Edition CAM section 5 (Sequencing Definition Model),
so an absent element or attribute reads exactly as a conformant LMS would read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ControlMode:
    choice: bool = True
    choice_exit: bool = True
    flow: bool = False
    forward_only: bool = False
    use_current_attempt_objective_info: bool = True
    use_current_attempt_progress_info: bool = True


@dataclass
class RuleCondition:
    condition: str  # satisfied, objectiveStatusKnown, objectiveMeasureKnown, … always
    referenced_objective: str | None = None
    measure_threshold: float = 0.0
    operator: str = "noOp"  # or "not"


@dataclass
class SequencingRule:
    action: str  # pre: skip|disabled|hiddenFromChoice|stopForwardTraversal; exit: exit; post: …
    condition_combination: str = "all"
    conditions: list[RuleCondition] = field(default_factory=list)
    line: int | None = None


@dataclass
class SequencingRules:
    pre_condition: list[SequencingRule] = field(default_factory=list)
    exit_condition: list[SequencingRule] = field(default_factory=list)
    post_condition: list[SequencingRule] = field(default_factory=list)


@dataclass
class LimitConditions:
    attempt_limit: int = 0  # 0: no limit (CAM 5.1.4)
    attempt_absolute_duration_limit: str | None = None  # xs:duration, e.g. "PT1H"


@dataclass
class AuxiliaryResource:
    auxiliary_resource_id: str
    purpose: str


@dataclass
class RollupCondition:
    condition: str  # satisfied, objectiveStatusKnown, objectiveMeasureKnown, completed, …
    operator: str = "noOp"


@dataclass
class RollupRule:
    action: str  # satisfied, notSatisfied, completed, incomplete
    child_activity_set: str = "all"  # all, any, none, atLeastCount, atLeastPercent
    minimum_count: int = 0
    minimum_percent: float = 0.0
    condition_combination: str = "any"
    conditions: list[RollupCondition] = field(default_factory=list)


@dataclass
class RollupRules:
    rollup_objective_satisfied: bool = True
    rollup_progress_completion: bool = True
    objective_measure_weight: float = 1.0
    rules: list[RollupRule] = field(default_factory=list)


@dataclass
class MapInfo:
    target_objective_id: str
    read_satisfied_status: bool = True
    read_normalized_measure: bool = True
    write_satisfied_status: bool = False
    write_normalized_measure: bool = False


@dataclass
class Objective:
    objective_id: str | None  # optional only for the primary objective
    is_primary: bool = False
    satisfied_by_measure: bool = False
    min_normalized_measure: float = 1.0
    map_info: list[MapInfo] = field(default_factory=list)
    line: int | None = None


@dataclass
class ExtendedMapInfo:
    """adlseq:mapInfo (4th Edition): maps score parts, completion and progress to a global objective."""

    target_objective_id: str
    read_raw_score: bool = True
    read_min_score: bool = True
    read_max_score: bool = True
    read_completion_status: bool = True
    read_progress_measure: bool = True
    write_raw_score: bool = False
    write_min_score: bool = False
    write_max_score: bool = False
    write_completion_status: bool = False
    write_progress_measure: bool = False


@dataclass
class ExtendedObjective:
    objective_id: str
    map_info: list[ExtendedMapInfo] = field(default_factory=list)


@dataclass
class RandomizationControls:
    randomization_timing: str = "never"  # never, once, onEachNewAttempt
    select_count: int | None = None
    reorder_children: bool = False
    selection_timing: str = "never"


@dataclass
class DeliveryControls:
    tracked: bool = True
    completion_set_by_content: bool = False
    objective_set_by_content: bool = False


@dataclass
class ConstrainedChoiceConsiderations:
    prevent_activation: bool = False
    constrain_choice: bool = False


@dataclass
class RollupConsiderations:
    required_for_satisfied: str = "always"  # always, ifAttempted, ifNotSkipped, ifNotSuspended
    required_for_not_satisfied: str = "always"
    required_for_completed: str = "always"
    required_for_incomplete: str = "always"
    measure_satisfaction_if_active: bool = True


@dataclass
class Sequencing:
    """The effective sequencing of one activity: its own definition merged over any IDRef collection entry."""

    declared: bool = False  # False: no <imsss:sequencing> at all, everything is the default
    id_ref: str | None = None
    control_mode: ControlMode = field(default_factory=ControlMode)
    sequencing_rules: SequencingRules = field(default_factory=SequencingRules)
    limit_conditions: LimitConditions = field(default_factory=LimitConditions)
    auxiliary_resources: list[AuxiliaryResource] = field(default_factory=list)
    rollup_rules: RollupRules = field(default_factory=RollupRules)
    objectives: list[Objective] = field(default_factory=list)  # the primary objective first, if any
    adl_objectives: list[ExtendedObjective] = field(default_factory=list)
    randomization_controls: RandomizationControls = field(default_factory=RandomizationControls)
    delivery_controls: DeliveryControls = field(default_factory=DeliveryControls)
    constrained_choice_considerations: ConstrainedChoiceConsiderations = field(
        default_factory=ConstrainedChoiceConsiderations
    )
    rollup_considerations: RollupConsiderations = field(default_factory=RollupConsiderations)
    line: int | None = None

    @property
    def primary_objective(self) -> Objective | None:
        return next((o for o in self.objectives if o.is_primary), None)
