"""Manifest -> the ``sequencing`` settings scorm-again's Scorm2004API takes (its SequencingSettings).

The activity tree is the organisation (root activity, SN 1.2) with its items as descendants; every
activity's ID is the item identifier, so ``adl.nav.request`` choice targets are item identifiers.
Sequencing collections (IDRef) are already merged into each activity by the manifest model, so no
``collections`` are sent. Launch URLs are not part of scorm-again's ActivitySettings: the player
takes them from ``scorm.sequencing.navigation.table_of_contents`` (same IDs).
"""

from __future__ import annotations

from typing import Any

from scorm.manifest.model import Item, Manifest, Organization, SharedDataMap
from scorm.manifest.sequencing_model import Sequencing
from scorm.sequencing.definition_json import completion_threshold_json, definition_json, hide_lms_ui_json


class SequencingSettingsError(ValueError):
    """The manifest cannot give a sequencing tree (not SCORM 2004, no such organisation, no items)."""


def find_organization(manifest: Manifest, organization_id: str | None = None) -> Organization:
    """The named organisation, or the default one; a clear error when there is none."""
    if organization_id is None:
        found = manifest.default_organization
    else:
        found = next((o for o in manifest.organizations if o.identifier == organization_id), None)
    if found is None:
        wanted = organization_id or "default"
        raise SequencingSettingsError(f"The manifest has no {wanted!r} organisation.")
    return found


def build_sequencing_settings(manifest: Manifest, organization_id: str | None = None) -> dict[str, Any]:
    """scorm-again ``settings.sequencing`` for one organisation of a SCORM 2004 manifest."""
    if manifest.version != "2004":
        raise SequencingSettingsError("Sequencing settings exist only for SCORM 2004 packages.")
    organization = find_organization(manifest, organization_id)
    if not organization.items:
        raise SequencingSettingsError(f"Organisation {organization.identifier!r} has no items.")
    return {
        "activityTree": _root_activity(organization),
        # The root's own hideLMSUI would go here; organisations cannot carry one (CAM 5.2).
        "hideLmsUi": [],
    }


def _root_activity(organization: Organization) -> dict[str, Any]:
    activity: dict[str, Any] = {
        "id": organization.identifier,
        "title": organization.title or organization.identifier,
        "isVisible": True,
    }
    activity.update(definition_json(organization.sequencing or Sequencing(), organization.identifier))
    activity.update(completion_threshold_json(organization.completion_threshold))
    activity["children"] = [_item_activity(item) for item in organization.items]
    return activity


def _item_activity(item: Item) -> dict[str, Any]:
    activity: dict[str, Any] = {
        "id": item.identifier,
        "title": item.title or item.identifier,
        "isVisible": item.isvisible,
    }
    activity.update(definition_json(item.sequencing or Sequencing(), item.identifier))
    activity.update(completion_threshold_json(item.completion_threshold))
    activity.update(hide_lms_ui_json(item.hide_lms_ui))
    if item.time_limit_action:
        activity["timeLimitAction"] = item.time_limit_action
    if item.shared_data:
        activity["sharedDataMaps"] = [_shared_data_json(m) for m in item.shared_data if m.target_id]
    if item.children:
        activity["children"] = [_item_activity(kid) for kid in item.children]
    return activity


def _shared_data_json(shared: SharedDataMap) -> dict[str, Any]:
    return {
        "targetID": shared.target_id,
        "readSharedData": shared.read_shared_data,
        "writeSharedData": shared.write_shared_data,
    }


def activity_ids(settings: dict[str, Any]) -> list[str]:
    """Every activity ID in a settings tree, root first, depth first (scorm-again's scoItemIds)."""
    found: list[str] = []
    pending = [settings["activityTree"]]
    while pending:
        activity = pending.pop()
        found.append(activity["id"])
        pending.extend(reversed(activity.get("children", [])))
    return found
