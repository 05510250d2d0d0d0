"""The demo LMS served by several processes (gunicorn workers) that share one gradebook in a SQLite file.

A single Python process serves a few hundred score POSTs a second (the GIL), which is less than a grade
worker can send; the benchmark of grade delivery needs a platform that is not the slower side. Each worker
process loads the same saved platform (state.py: keys, course, users, tool, links, line items), so any of them
verifies an access token another issued, and keeps what changes per request in the shared file:

- the gradebook's entries and its log of every score received (`SharedGradebook`): applying a score is one
  `BEGIN IMMEDIATE` transaction, so the Moodle rule "409 unless later than the stored score" holds across
  processes exactly as the in-memory lock makes it hold across threads;
- the log of token requests, so `tokens_issued` counts those of every process.

Start it with gunicorn's gthread workers (HTTP/1.1 keep-alive):
    gunicorn -k gthread -w 4 --threads 4 -b 127.0.0.1:PORT \
        'demo_lms.shared:create_shared_app(state="platform.json", store="gradebook.sqlite3")'
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

import flask

from demo_lms.gradebook import Gradebook, ScoreRefused
from demo_lms.models import GradebookEntry, LineItem, ScoreRecord, TokenRequestRecord, User
from demo_lms.platform import DemoPlatform
from demo_lms.state import load_platform

SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (line_item_id TEXT, user_id TEXT, entry TEXT,
                                    PRIMARY KEY (line_item_id, user_id));
CREATE TABLE IF NOT EXISTS score_log (id INTEGER PRIMARY KEY, line_item_id TEXT, body TEXT, status INTEGER,
                                      outcome TEXT, received_at TEXT);
CREATE TABLE IF NOT EXISTS token_requests (id INTEGER PRIMARY KEY, client_id TEXT, scopes TEXT,
                                           status INTEGER, error TEXT, received_at TEXT);
"""


class SharedFile:
    """One SQLite connection per thread on the shared file. Synchronous writes are off: a crash of the
    machine may lose the last scores, which a test platform can afford; a crash of a process loses nothing."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._local = threading.local()

    def connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=OFF")
            self._local.connection = connection
        return connection

    def create(self) -> None:
        self.connection().executescript(SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction; nested uses join the outer one."""
        connection = self.connection()
        if connection.in_transaction:
            yield connection
            return
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")


def _times_to_text(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in record.items()}


class SharedEntries(MutableMapping[tuple[str, str], GradebookEntry]):
    """gradebook.entries, kept in the shared file."""

    def __init__(self, shared: SharedFile) -> None:
        self.shared = shared

    def __getitem__(self, key: tuple[str, str]) -> GradebookEntry:
        row = (
            self.shared.connection()
            .execute("SELECT entry FROM entries WHERE line_item_id = ? AND user_id = ?", key)
            .fetchone()
        )
        if row is None:
            raise KeyError(key)
        return _entry(row[0])

    def __setitem__(self, key: tuple[str, str], entry: GradebookEntry) -> None:
        with self.shared.transaction() as connection:
            connection.execute(
                "INSERT INTO entries VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET entry = excluded.entry",
                (*key, json.dumps(_times_to_text(asdict(entry)))),
            )

    def __delitem__(self, key: tuple[str, str]) -> None:
        with self.shared.transaction() as connection:
            connection.execute("DELETE FROM entries WHERE line_item_id = ? AND user_id = ?", key)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        rows = self.shared.connection().execute("SELECT line_item_id, user_id FROM entries").fetchall()
        return iter([tuple(row) for row in rows])

    def __len__(self) -> int:
        return self.shared.connection().execute("SELECT count(*) FROM entries").fetchone()[0]


def _entry(text: str) -> GradebookEntry:
    fields = json.loads(text)
    for name in ("timestamp", "received_at"):
        fields[name] = datetime.fromisoformat(fields[name])
    return GradebookEntry(**fields)


class SharedLog:
    """An append-only list kept in one table of the shared file (score log, token requests)."""

    def __init__(self, shared: SharedFile, table: str, columns: tuple[str, ...], record_type: type) -> None:
        self.shared, self.table, self.columns, self.record_type = shared, table, columns, record_type

    def append(self, record: Any) -> None:
        values = [
            json.dumps(value) if name in ("body", "scopes") else _times_to_text({name: value})[name]
            for name, value in ((name, getattr(record, name)) for name in self.columns)
        ]
        placeholders = ", ".join("?" * len(self.columns))
        with self.shared.transaction() as connection:
            connection.execute(
                f"INSERT INTO {self.table} ({', '.join(self.columns)}) VALUES ({placeholders})", values
            )

    def _records(self) -> list[Any]:
        rows = self.shared.connection().execute(
            f"SELECT {', '.join(self.columns)} FROM {self.table} ORDER BY id"
        )
        return [self._record(row) for row in rows]

    def _record(self, row: tuple) -> Any:
        fields = dict(zip(self.columns, row, strict=True))
        for name in ("body", "scopes"):
            if name in fields:
                fields[name] = json.loads(fields[name])
        fields["received_at"] = datetime.fromisoformat(fields["received_at"])
        return self.record_type(**fields)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._records())

    def __len__(self) -> int:
        return self.shared.connection().execute(f"SELECT count(*) FROM {self.table}").fetchone()[0]

    def __getitem__(self, index: int | slice) -> Any:
        return self._records()[index]

    def count_by_status(self) -> dict[int, int]:
        rows = self.shared.connection().execute(f"SELECT status, count(*) FROM {self.table} GROUP BY status")
        return dict(rows.fetchall())


class SharedGradebook(Gradebook):
    def __init__(self, shared: SharedFile, strict: bool) -> None:
        super().__init__(strict)
        self.shared = shared
        self.entries = SharedEntries(shared)  # type: ignore[assignment]
        self.score_log = SharedLog(  # type: ignore[assignment]
            shared, "score_log", ("line_item_id", "body", "status", "outcome", "received_at"), ScoreRecord
        )

    def receive(self, line_item: LineItem, user: User | None, body: Any) -> GradebookEntry:
        # One transaction from reading the stored score to logging this one: no other process in between.
        # A refusal is logged too, so it commits before the refusal goes on to the caller.
        with self.shared.transaction():
            try:
                return super().receive(line_item, user, body)
            except ScoreRefused as refused:
                refusal = refused
        raise refusal


def share(platform: DemoPlatform, store: str | Path) -> SharedFile:
    """Keep the platform's gradebook and token requests in the shared file from now on."""
    shared = SharedFile(store)
    shared.create()
    platform.gradebook = SharedGradebook(shared, platform.gradebook.strict)
    platform.token_requests = SharedLog(  # type: ignore[assignment]
        shared,
        "token_requests",
        ("client_id", "scopes", "status", "error", "received_at"),
        TokenRequestRecord,
    )
    return shared


def create_shared_app(state: str, store: str) -> flask.Flask:
    """The demo LMS of the saved `state` file (its issuer included), sharing `store` with the other
    processes; plus `/bench/noop` (a POST that does nothing: the server's own ceiling) and `/bench/stats`."""
    from demo_lms.app import create_platform_app

    saved = json.loads(Path(state).read_text(encoding="utf-8"))
    platform = load_platform(Path(state), saved["issuer"])
    if platform is None:
        raise RuntimeError(f"{state} is not a saved demo platform")
    share(platform, store)
    app = create_platform_app(platform)
    app.add_url_rule("/bench/noop", "bench_noop", lambda: flask.jsonify({}), methods=["POST"])
    app.add_url_rule("/bench/stats", "bench_stats", lambda: flask.jsonify(shared_stats(platform)))
    return app


def shared_stats(platform: DemoPlatform) -> dict[str, int]:
    scores = platform.gradebook.score_log.count_by_status()  # type: ignore[attr-defined]
    tokens = platform.token_requests.count_by_status()  # type: ignore[attr-defined]
    return {
        "tokens": tokens.get(200, 0),
        "token_requests": sum(tokens.values()),
        "applied": scores.get(200, 0),
        "refused": sum(count for status, count in scores.items() if status != 200),
    }
