"""The commit path's rows at the driver level: one read before the writer's turn, conditional writes in it.

A commit arrives on every slide of every learner's course, and SQLAlchemy's execution layers cost more than
the statements themselves; these few statements are written once per dialect and run on the DBAPI cursor.
The read needs no lock: it sees only committed (so durable) rows. The state write is conditional on the
delivery and sequence that were read, so a commit of the same SCO stored in between makes it miss (no row
changes) and the caller falls back to the locked path.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import Dialect, Engine

from lti_tool.db import Database
from lti_tool.db.models import LaunchSession
from lti_tool.json_text import load_json
from lti_tool.player.models import ScoState

_LAUNCH = (
    "SELECT l.registration_id, l.user_pk, l.resource_link_pk, l.role, l.expires_at"
    " FROM launch_sessions l JOIN registrations r ON r.id = l.registration_id"
    " WHERE l.token_hash = ? AND r.status = 'active'"
)
_READ = (
    "SELECT a.registration_id, a.user_pk, a.resource_link_pk, a.package_pk,"
    " a.completion, a.success, a.score_scaled,"
    " s.id, s.state{as_text}, s.delivery, s.last_sequence, s.last_body_hash, s.session_count"
    " FROM player_attempts a"
    " LEFT JOIN player_sco_states s ON s.attempt_pk = a.id AND s.item_id = ?"
    " WHERE a.id = ?"
)
_STORE_STATE = (
    "UPDATE player_sco_states SET state = {json}, result = {json}, last_sequence = ?, last_body_hash = ?,"
    " ended = ?, suspended = ?, updated_at = ?"
    " WHERE id = ? AND delivery = ? AND last_sequence = ?"
)
_STORE_UNIT_RESULT = (
    "UPDATE player_attempts SET completion = ?, success = ?, score_scaled = ?, total_time_seconds = ?,"
    " updated_at = ? WHERE id = ?"
)
# PostgreSQL: both in one statement (one round trip to the server instead of two); the attempt's row is
# written only when the state's UPDATE changed a row. SQLite runs in process and has no UPDATE in WITH.
_STORE_BOTH = (
    "WITH stored_state AS ("
    + _STORE_STATE
    + " RETURNING id) "
    + _STORE_UNIT_RESULT
    + " AND EXISTS (SELECT 1 FROM stored_state)"
)


_SAMPLE_MOMENT = datetime(2026, 1, 2, 3, 4, 5, 6, tzinfo=UTC)


def _naive_utc_text(moment: datetime) -> str:
    """An aware datetime as SQLAlchemy writes a UTC timestamp on SQLite (UTCDateTime, naive UTC text);
    used only when it writes the same text for a sample moment."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given; use lti_tool.db.models.utcnow()")
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


class StoredRows(NamedTuple):  # a NamedTuple as commits.CommitOutcome
    """The attempt's owner and unit result, and the SCO's state (state_pk None: never delivered)."""

    attempt_id: int
    item_id: str
    registration_id: int
    user_pk: int
    resource_link_pk: int | None
    package_pk: int
    completion: str
    success: str
    score_scaled: float | None
    state_pk: int | None
    state: dict[str, Any] | None
    delivery: int
    last_sequence: int
    last_body_hash: str
    session_count: int


class CommitStatements:
    """The statements in one dialect's SQL and parameter forms."""

    def __init__(self, dialect: Dialect) -> None:
        self.sqlite = dialect.name == "sqlite"
        # As lti_tool.db.models.UTCDateTime stores it: naive UTC text on SQLite, aware on PostgreSQL.
        updated_at = ScoState.__table__.c.updated_at.type.dialect_impl(dialect)
        self._timestamp = updated_at.bind_processor(dialect) or (lambda v: v)
        if self.sqlite and self._timestamp(_SAMPLE_MOMENT) == _naive_utc_text(_SAMPLE_MOMENT):
            self._timestamp = _naive_utc_text  # the same text at a fifth of the cost (two processors)
        expires_at = LaunchSession.__table__.c.expires_at.type.dialect_impl(dialect)
        self._read_timestamp = expires_at.result_processor(dialect, None) or (lambda v: v)
        placeholder, json_placeholder = ("?", "?") if self.sqlite else ("%s", "%s::json")
        self.launch_sql = _LAUNCH.replace("?", placeholder)
        # PostgreSQL: the json column's text, parsed here by orjson rather than by psycopg's json.loads.
        self.read_sql = _READ.format(as_text="" if self.sqlite else "::text").replace("?", placeholder)
        self.store_state_sql = _STORE_STATE.format(json=json_placeholder).replace("?", placeholder)
        self.store_unit_result_sql = _STORE_UNIT_RESULT.replace("?", placeholder)
        self.store_both_sql = _STORE_BOTH.format(json=json_placeholder).replace("?", placeholder)
        self.one_statement_store = not self.sqlite  # store_if_unchanged: _STORE_BOTH alone on PostgreSQL

    def stored_rows(
        self, db: Database, token_hash: str | None, attempt_id: int, item_id: str
    ) -> tuple[tuple | None, StoredRows | None]:
        """The launch behind `token_hash` (registration_id, user_pk, resource_link_pk, role, expires_at;
        None: unknown or its registration is not active; not read when `token_hash` is None) and the
        attempt with its SCO state as committed now (None: no such attempt)."""
        launch, row = db.reconnecting(lambda: self._read(db, token_hash, attempt_id, item_id))
        if launch is not None:
            launch = (*launch[:4], self._read_timestamp(launch[4]))
        if row is None or (token_hash is not None and launch is None):
            return launch, None
        state = row[8]
        if state is not None:
            state = load_json(state)
        rows = StoredRows(
            attempt_id, item_id, *row[:8], state, row[9] or 0, row[10] or 0, row[11] or "", row[12] or 0
        )
        return launch, rows

    def _read(self, db: Database, token_hash: str | None, attempt_id: int, item_id: str) -> tuple[Any, Any]:
        """The launch row (None: not asked, or unknown) and the attempt's row, as the driver gives them."""
        # A kept connection: in autocommit on PostgreSQL (lti_tool.db), so each read is its own statement and
        # no transaction is left to roll back; SQLite's are in autocommit too.
        connection = db.connect()
        try:
            cursor = connection.cursor()
            launch = None
            if token_hash is not None:
                cursor.execute(self.launch_sql, (token_hash,))
                launch = cursor.fetchone()
                if launch is None:
                    return None, None
            cursor.execute(self.read_sql, (item_id, attempt_id))
            row = cursor.fetchone()
            cursor.close()
        finally:
            db.disconnect(connection)
        return launch, row

    def timestamp(self, moment: datetime) -> Any:
        return self._timestamp(moment)

    def store_if_unchanged(self, cursor: Any, row: StoredRows, state: tuple, unit_result: tuple) -> bool:
        """Write the SCO's `state` (store_state's SET values) and the attempt's `unit_result`, unless the
        state moved on since `row` was read: then nothing is written and the answer is False. `cursor`: the
        batch transaction's own (BEGIN IMMEDIATE on SQLite already emitted)."""
        state_where = (row.state_pk, row.delivery, row.last_sequence)
        if not self.sqlite:
            cursor.execute(self.store_both_sql, (*state, *state_where, *unit_result, row.attempt_id))
            return cursor.rowcount == 1
        cursor.execute(self.store_state_sql, (*state, *state_where))
        if cursor.rowcount != 1:
            return False
        cursor.execute(self.store_unit_result_sql, (*unit_result, row.attempt_id))
        return True


_statements: dict[str, CommitStatements] = {}


def statements_for(engine: Engine) -> CommitStatements:
    found = _statements.get(engine.dialect.name)
    if found is None:
        found = _statements[engine.dialect.name] = CommitStatements(engine.dialect)
    return found
