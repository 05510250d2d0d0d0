"""Keep the demo LMS's state in a JSON file, so `carecert demo` restarts with its course, activities,
registration, keys and gradebook (the tool keeps its own in its database)."""

from __future__ import annotations

import json
import os
import threading
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from demo_lms.keys import PlatformKey
from demo_lms.models import (
    Course,
    GradebookEntry,
    LineItem,
    ResourceLink,
    ScoreRecord,
    ToolRegistration,
    User,
)
from demo_lms.platform import DemoPlatform

STATE_VERSION = 1
_SAVING = threading.Lock()


def platform_state(platform: DemoPlatform) -> dict[str, Any]:
    with platform.lock:
        return {
            "version": STATE_VERSION,
            "issuer": platform.issuer,
            "strict_scores": platform.gradebook.strict,
            "last_number": platform.last_number,
            "keys": [key.private_pem for key in platform.keys],
            "course": asdict(platform.course),
            "users": [asdict(user) for user in platform.users.values()],
            # The tool's JWKS is not kept: it is fetched again when needed.
            "tools": [{**asdict(tool), "key_set": None} for tool in platform.tools.values()],
            "resource_links": [asdict(link) for link in platform.resource_links.values()],
            "line_items": [asdict(item) for item in platform.line_items.values()],
            "gradebook": [_with_times(asdict(entry)) for entry in platform.gradebook.entries.values()],
            "score_log": [_with_times(asdict(record)) for record in platform.gradebook.score_log],
        }


def save_platform(platform: DemoPlatform, path: Path) -> None:
    """Write atomically (a crash mid-write leaves the previous state), one writer at a time."""
    with _SAVING:
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(platform_state(platform), indent=1), encoding="utf-8")
        os.replace(temporary, path)


def load_platform(path: Path, issuer: str) -> DemoPlatform | None:
    """The saved platform for `issuer`; None if there is none, it is unreadable, or it is for another URL."""
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
        if state.get("version") != STATE_VERSION or state.get("issuer") != issuer.rstrip("/"):
            return None
        return _platform_from(state)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _platform_from(state: dict[str, Any]) -> DemoPlatform:
    keys = [PlatformKey.from_private_pem(pem) for pem in state["keys"]]
    users = [User(**user) for user in state["users"]]
    course = Course(**state["course"])
    strict = bool(state["strict_scores"])
    platform = DemoPlatform(state["issuer"], strict_scores=strict, course=course, users=users, key=keys[-1])
    platform.keys = keys
    platform.last_number = int(state["last_number"])
    platform.tools = {tool["client_id"]: ToolRegistration(**tool) for tool in state["tools"]}
    platform.resource_links = {link["id"]: ResourceLink(**link) for link in state["resource_links"]}
    platform.line_items = {item["id"]: LineItem(**item) for item in state["line_items"]}
    for entry in state["gradebook"]:
        restored = GradebookEntry(**_parse_times(entry, "timestamp", "received_at"))
        platform.gradebook.entries[(restored.line_item_id, restored.user_id)] = restored
    platform.gradebook.score_log = [ScoreRecord(**_parse_times(r, "received_at")) for r in state["score_log"]]
    return platform


def _with_times(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in record.items()}


def _parse_times(record: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: datetime.fromisoformat(v) if k in names else v for k, v in record.items()}
