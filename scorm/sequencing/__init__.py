"""SCORM sequencing for the player and the server: scorm-again settings from a manifest (2004),
rollup of SCO results into a unit result, SCORM 1.2 prerequisites, and the table of contents."""

from scorm.sequencing.activity_tree import (
    SequencingSettingsError,
    activity_ids,
    build_sequencing_settings,
)

__all__ = ["SequencingSettingsError", "activity_ids", "build_sequencing_settings"]
