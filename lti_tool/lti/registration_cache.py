"""Registration rows a login or a launch read, kept a few seconds per process (like the player's LaunchCache).

Every login and launch of one LMS reads the same registration (and deployment) row; keeping it spares a query
and, for the login, its only database work. An admin's change of status must still take effect quickly:
a change made in this process (lti_tool.repo.registrations.set_status) drops every kept row at once, and one
made elsewhere (another worker, `carecert platform activate`) is seen within `seconds`. Only rows found are
kept: an unknown client id or deployment is looked up every time, so one added by an admin works at once.
Rows are the read-only snapshots the login and the launch use (`registration.status`, `deployment.id`).
"""

from __future__ import annotations

import threading
import time
from typing import Any

from lti_tool.repo import registrations as registration_repo

REGISTRATION_CACHE_SECONDS = 5.0
REGISTRATION_CACHE_ENTRIES = 4096


class RegistrationCache:
    def __init__(
        self, seconds: float = REGISTRATION_CACHE_SECONDS, entries: int = REGISTRATION_CACHE_ENTRIES
    ) -> None:
        self.seconds = seconds
        self.entries = entries
        self._kept: dict[tuple, tuple[Any, float, int]] = {}
        self._lock = threading.Lock()

    def kept(self, key: tuple) -> Any | None:
        """The value kept under `key`, or None when there is none, it is older than `seconds`, or a
        registration's status has changed in this process since it was read."""
        found = self._kept.get(key)
        if found is None:
            return None
        value, read_at, status_changes = found
        if time.monotonic() - read_at < self.seconds and status_changes == registration_repo.status_changes():
            return value
        self._kept.pop(key, None)
        return None

    def keep(self, key: tuple, value: Any, status_changes: int) -> None:
        """Keep `value`, read from the database after `status_changes` was taken (a change in between
        makes it stale at once)."""
        with self._lock:
            if len(self._kept) >= self.entries:
                self._kept.clear()  # a burst of registrations: start again rather than track ages
            self._kept[key] = (value, time.monotonic(), status_changes)

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


registration_cache = RegistrationCache()
