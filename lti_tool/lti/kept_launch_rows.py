"""The user, course and link rows launches write, kept a minute per process: a relaunch that sends the very
same values for them writes none of them, and its launch session's insert proves they are still there.

Every launch upserts its user, course and link; most launches are relaunches of the same learner on the same
activity, which change nothing but the user's `last_seen_at`. A row is kept under everything the launch sends
for it (its registration, deployment, natural key and every claim value it holds), so a launch that sends
anything different (a new name, title, unit or course) misses and writes it. A launch that reuses kept rows
opens its session with an insert that inserts nothing unless those rows still exist under the same
registration and natural key (lti_tool.repo.launches.record_launch_session_of_kept_rows); when one is gone
(deleted meanwhile) the launch drops it, rolls back and writes its rows again in a new transaction.

What can be up to a minute stale, and why that is safe: a user's `last_seen_at` (nothing reads it for any
decision); and the row the launch hands on, when something other than this process's launches changed it
(another worker's launch with other values, a roster sync in another process): the launch page then shows
the name or title this process last wrote, and the table keeps what the other process wrote until this one
next writes the row: at once when sent other values than it kept, else at its first launch after the
minute. Rows recorded in this process outside launches (lti_tool.repo.people.record_user, ...) drop every
kept row at once.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from lti_tool.db.driver import DriverStatement
from lti_tool.db.kept import KeptRows
from lti_tool.lti.launch_rows import LaunchStatements
from lti_tool.repo import people

KEPT_LAUNCH_ROWS_SECONDS = 60.0
# About 1.5 KB an entry (its key holds the claim values, its row the columns): at most ~6 MB a process, and
# room for the rows of over a thousand launches a minute per process before the cache starts again.
KEPT_LAUNCH_ROWS_ENTRIES = 4096
NATURAL_KEYS = {"user": "sub", "context": "context_id", "link": "resource_link_id"}


def _nothing_recorded_since(recorded: int) -> bool:
    return recorded == people.recorded_outside_launches()


kept_launch_rows = KeptRows(KEPT_LAUNCH_ROWS_SECONDS, KEPT_LAUNCH_ROWS_ENTRIES, _nothing_recorded_since)


class LaunchRowWriter:
    """The rows of one launch, each reused from the kept rows or upserted, and then its session's insert."""

    def __init__(self, rows: LaunchStatements, cursor: Any, engine: Hashable, reuse: bool) -> None:
        """`engine`: the database the rows live in (ids are per database); `reuse`: may rows be reused."""
        self._rows, self._cursor, self._engine, self._reuse = rows, cursor, engine, reuse
        self._recorded = people.recorded_outside_launches()  # before anything is read or written
        self._reused: dict[str, tuple[Hashable, str]] = {}  # kind: (its key, its natural key's value)
        self._written: list[tuple[Hashable, Any]] = []

    @property
    def reused_rows(self) -> bool:
        return bool(self._reused)

    def row(self, kind: str, upsert: DriverStatement, values: dict[str, Any], times: dict[str, Any]) -> Any:
        """The `kind` row ("user", "context", "link") for `values` (what the launch sends for it, with its
        registration and deployment); `times` are its timestamps, written but never compared."""
        key = (kind, self._engine, *values.items())
        if self._reuse:
            kept = kept_launch_rows.kept(key)
            if kept is not None:
                self._reused[kind] = (key, values[NATURAL_KEYS[kind]])
                return kept
        row = self._rows.upsert(upsert, self._cursor, values | times)
        self._written.append((key, row))
        return row

    def insert_session(self, params: dict[str, Any]) -> tuple | None:
        """The launch session's row (its id), or None: its login state was used already, or a reused row
        is gone (then it is no longer kept)."""
        if not self._reused:
            return self._rows.insert_launch_session.first(self._cursor, params)
        statement = self._rows.insert_launch_session_of_kept(frozenset(self._reused))
        natural_keys = {f"kept_{NATURAL_KEYS[kind]}": value for kind, (_, value) in self._reused.items()}
        found = statement.first(self._cursor, params | natural_keys)
        if found is None:
            for key, _ in self._reused.values():
                kept_launch_rows.forget(key)
        return found

    def keep_written(self) -> None:
        """Once the launch's transaction has committed: the rows of a launch rolled back are never kept."""
        for key, row in self._written:
            kept_launch_rows.keep(key, row, self._recorded)
