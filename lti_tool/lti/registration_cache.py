"""Registration rows a login or a launch read, kept a few seconds per process (like the player's LaunchCache).

Every login and launch of one LMS reads the same registration (and deployment) row; keeping it spares a query
and, for the login, its only database work. An admin's change of status must still take effect quickly:
a change made in this process (lti_tool.repo.registrations.set_status) drops every kept row at once, and one
made elsewhere (another worker, `carecert platform activate`) is seen within `seconds`. Only rows found are
kept: an unknown client id or deployment is looked up every time, so one added by an admin works at once.
Rows are the read-only snapshots the login and the launch use (`registration.status`, `deployment.id`), kept
with the count of status changes (registration_repo.status_changes) taken before they were read.
"""

from __future__ import annotations

from lti_tool.db.kept import KeptRows
from lti_tool.repo import registrations as registration_repo

REGISTRATION_CACHE_SECONDS = 5.0
REGISTRATION_CACHE_ENTRIES = 4096


def _no_status_change_since(status_changes: int) -> bool:
    return status_changes == registration_repo.status_changes()


registration_cache = KeptRows(REGISTRATION_CACHE_SECONDS, REGISTRATION_CACHE_ENTRIES, _no_status_change_since)
