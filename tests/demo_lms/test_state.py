"""The demo LMS's state survives a restart: saved to JSON, loaded back for the same URL only."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import requests

from demo_lms.state import load_platform, save_platform


@pytest.fixture
def saved(platform, tool, unit_link, tmp_path):
    platform.rotate_key()
    platform.add_user("learner3", "Lou Learner")
    body = {
        "userId": "learner1",
        "scoreGiven": 70,
        "scoreMaximum": 100,
        "activityProgress": "Completed",
        "gradingProgress": "FullyGraded",
        "timestamp": datetime.now(UTC).isoformat(),
    }
    platform.gradebook.receive(platform.line_items[unit_link.line_item_id], platform.users["learner1"], body)
    path = tmp_path / "lms-state.json"
    save_platform(platform, path)
    return path


def test_a_saved_platform_loads_with_its_keys_tool_links_and_gradebook(platform, tool, unit_link, saved):
    loaded = load_platform(saved, platform.issuer)
    assert [key.kid for key in loaded.keys] == [key.kid for key in platform.keys]
    assert loaded.tool.client_id == tool.client_id and loaded.tool.redirect_uris == tool.redirect_uris
    assert loaded.resource_links[unit_link.id].line_item_id == unit_link.line_item_id
    assert loaded.line_items[unit_link.line_item_id].tag == "u01"
    assert loaded.users["learner3"].name == "Lou Learner"
    entry = loaded.gradebook.entries[(unit_link.line_item_id, "learner1")]
    assert entry.grade == 70 and entry.timestamp.tzinfo is not None
    assert [record.status for record in loaded.gradebook.score_log] == [200]


def test_new_ids_continue_after_the_saved_ones(platform, tool, unit_link, saved):
    loaded = load_platform(saved, platform.issuer)
    assert loaded.add_resource_link("Next").id not in platform.resource_links


def test_a_state_saved_for_another_url_is_not_loaded(platform, saved):
    assert load_platform(saved, "http://127.0.0.1:9") is None


def test_a_damaged_or_missing_state_file_is_ignored(platform, saved, tmp_path):
    saved.write_text("{not json", encoding="utf-8")
    assert load_platform(saved, platform.issuer) is None
    assert load_platform(tmp_path / "absent.json", platform.issuer) is None


def test_a_change_over_http_reports_itself(platform, lms, tool, tool_keys):
    changes = []
    platform.on_change = lambda: changes.append(1)
    requests.get(lms.url + "/course", timeout=10)
    requests.post(lms.url + "/token", data={}, timeout=10)
    assert changes == [1]
