"""SCORM sequencing for the player and the server: scorm-again settings from a manifest (2004),
rollup of SCO results into a unit result, SCORM 1.2 prerequisites, and the table of contents."""

from scorm.sequencing.activity_tree import (
    SequencingSettingsError,
    activity_ids,
    build_sequencing_settings,
)
from scorm.sequencing.navigation import (
    TableOfContents,
    TocEntry,
    first_item,
    next_item,
    previous_item,
    table_of_contents,
)
from scorm.sequencing.prerequisites import (
    PrerequisiteSyntaxError,
    parse_prerequisites,
    prerequisites_met,
)
from scorm.sequencing.rollup import RollupInputs, rollup_tree
from scorm.sequencing.tracking import ActivityState
from scorm.sequencing.unit_result import UnitResult, rollup_unit_result, tracked_items

__all__ = [
    "ActivityState",
    "PrerequisiteSyntaxError",
    "RollupInputs",
    "SequencingSettingsError",
    "TableOfContents",
    "TocEntry",
    "UnitResult",
    "activity_ids",
    "build_sequencing_settings",
    "first_item",
    "next_item",
    "parse_prerequisites",
    "prerequisites_met",
    "previous_item",
    "rollup_tree",
    "rollup_unit_result",
    "table_of_contents",
    "tracked_items",
]
