"""Manifest.to_dict(): plain JSON data with everything the player needs to build the activity tree."""

from __future__ import annotations

import json
import zipfile

from scorm.manifest import read_manifest
from tests.scorm.manifest.builders import manifest_xml


def test_to_dict_is_json_serialisable_and_round_trips(corpus):
    with zipfile.ZipFile(corpus / "packages" / "golf2004e3_SequencingForcedSequential.zip") as archive:
        manifest = read_manifest(archive.read("imsmanifest.xml")).manifest
    data = json.loads(json.dumps(manifest.to_dict()))
    assert (data["version"], data["edition"], data["has_sequencing"]) == ("2004", 3, True)
    assert data["default_organization"] == "golf_sample_default_org"
    item = data["organizations"][0]["items"][1]
    assert item["launch"] == "shared/launchpage.html?content=etiquette"
    rule = item["sequencing"]["sequencing_rules"]["pre_condition"][0]
    assert rule["action"] == "disabled"
    assert rule["conditions"][0] == {
        "condition": "satisfied",
        "referenced_objective": "previous_sco_satisfied",
        "measure_threshold": 0.0,
        "operator": "not",
    }
    assert item["sequencing"]["delivery_controls"]["completion_set_by_content"] is True


def test_to_dict_carries_reading_notes_as_plain_problems():
    items = '<item identifier="i1" identifierref="res1" isvisible="perhaps"><title>T</title></item>'
    data = read_manifest(manifest_xml(items=items)).manifest.to_dict()
    assert data["notes"][0]["code"] == "CP-070"
    assert data["notes"][0]["severity"] == "warning"
