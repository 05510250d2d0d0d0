"""What an assessor must still observe for a catalogue unit (read by the grades and the records)."""

from __future__ import annotations

from functools import lru_cache

from lti_tool.catalogue.loader import CatalogueError, load_unit


@lru_cache(maxsize=64)
def catalogue_unit_needs_observation(unit_id: str) -> bool:
    """The unit's ``observation.required``: skills an assessor must observe in the workplace before the unit
    is achieved. False for an id that is not a catalogue unit."""
    try:
        unit = load_unit(unit_id)
    except CatalogueError:
        return False
    return bool(unit["observation"]["required"])


@lru_cache(maxsize=64)
def catalogue_unit_observed_outcomes(unit_id: str) -> tuple[str, ...]:
    """The learning outcome ids the assessor observes (empty when none, or not a catalogue unit)."""
    try:
        unit = load_unit(unit_id)
    except CatalogueError:
        return ()
    return tuple(unit["observation"]["outcomes"]) if unit["observation"]["required"] else ()
