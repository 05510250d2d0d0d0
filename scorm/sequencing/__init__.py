"""SCORM sequencing for the player and the server: scorm-again settings from a manifest (2004),
rollup of SCO results into a unit result, SCORM 1.2 prerequisites, and the table of contents."""

from scorm.sequencing.activity_tree import (
    SequencingSettingsError,
    activity_ids,
    build_sequencing_settings,
)
from scorm.sequencing.rollup import RollupInputs, rollup_tree
from scorm.sequencing.tracking import ActivityState
from scorm.sequencing.unit_result import UnitResult, rollup_unit_result, tracked_items

__all__ = [
    "ActivityState",
    "RollupInputs",
    "SequencingSettingsError",
    "UnitResult",
    "activity_ids",
    "build_sequencing_settings",
    "rollup_tree",
    "rollup_unit_result",
    "tracked_items",
]
