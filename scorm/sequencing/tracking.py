"""The tracking status the server keeps per activity for rollup (SN 4.2 Tracking Model), and how a
SCO's run-time result becomes its leaf activity's status (RTE 4.2 -> SN mapping)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from scorm.manifest.sequencing_model import Sequencing
from scorm.runtime.result import AttemptResult

# Kleene three-valued truth (SN RB.1.4 / UP.2: a condition on an unknown status is "unknown").
Truth = bool | None


@dataclass(frozen=True)
class ActivityState:
    """One activity's primary-objective and attempt-progress status (SN 4.2.1 / 4.2.2)."""

    attempt_count: int = 0
    progress_known: bool = False  # Attempt Progress Status
    completed: bool = False  # Attempt Completion Status
    objective_known: bool = False  # Objective Progress Status
    satisfied: bool = False  # Objective Satisfied Status
    measure_known: bool = False  # Objective Measure Status
    measure: float = 0.0  # Objective Normalized Measure, -1..1
    suspended: bool = False

    @property
    def attempted(self) -> bool:
        return self.attempt_count > 0

    @property
    def completion(self) -> str:
        if not self.progress_known:
            return "unknown" if self.attempted else "not attempted"
        return "completed" if self.completed else "incomplete"

    @property
    def success(self) -> str:
        if not self.objective_known:
            return "unknown"
        return "passed" if self.satisfied else "failed"


UNKNOWN = ActivityState()


def leaf_state(
    result: AttemptResult | None,
    seq: Sequencing,
    *,
    attempt_count: int | None = None,
    ended: bool = False,
    suspended: bool = False,
) -> ActivityState:
    """A SCO's result as its activity's tracking status.

    cmi.completion_status "not attempted" is known-not-completed (the SCO was launched);
    "unknown" leaves progress unknown. cmi.success_status and cmi.score.scaled map to the primary
    objective (RTE 4.2.22 / 4.2.20). An activity that is not tracked keeps no status (SN 4.4.2
    Delivery Controls: Tracked false).
    """
    if not seq.delivery_controls.tracked:
        return UNKNOWN
    # A stored result means the SCO was delivered at least once, whatever count the caller has.
    count = max(attempt_count or 0, 1 if result is not None else 0)
    state = ActivityState(attempt_count=count, suspended=suspended)
    if result is not None:
        state = replace(
            state,
            progress_known=result.completion in ("completed", "incomplete", "not attempted"),
            completed=result.completion == "completed",
            objective_known=result.success in ("passed", "failed"),
            satisfied=result.success == "passed",
            measure_known=result.score_scaled is not None,
            measure=result.score_scaled if result.score_scaled is not None else 0.0,
        )
    if ended and state.attempted:
        state = end_attempt_defaults(state, seq)
    return objective_by_measure(state, seq)


def end_attempt_defaults(state: ActivityState, seq: Sequencing) -> ActivityState:
    """UP.4 End Attempt Process: when the content does not set a status itself, the LMS records
    the ended attempt as completed and satisfied (completionSetByContent / objectiveSetByContent)."""
    delivery = seq.delivery_controls
    if not delivery.completion_set_by_content and not state.progress_known:
        state = replace(state, progress_known=True, completed=True)
    if not delivery.objective_set_by_content and not state.objective_known:
        state = replace(state, objective_known=True, satisfied=True)
    return state


def objective_by_measure(state: ActivityState, seq: Sequencing) -> ActivityState:
    """RB.1.2a Objective Rollup Using Measure: a primary objective satisfied by measure takes its
    status from the measure alone (unknown measure -> unknown status)."""
    primary = seq.primary_objective
    if primary is None or not primary.satisfied_by_measure:
        return state
    if not state.measure_known:
        return replace(state, objective_known=False, satisfied=False)
    return replace(state, objective_known=True, satisfied=state.measure >= primary.min_normalized_measure)


def kleene_not(value: Truth) -> Truth:
    return None if value is None else not value


def kleene_all(values: list[Truth]) -> Truth:
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def kleene_any(values: list[Truth]) -> Truth:
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False
