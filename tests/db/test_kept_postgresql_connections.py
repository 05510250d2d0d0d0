"""The hot paths' connections to PostgreSQL (Database.connect / DriverWork): kept by the process in
autocommit, with no ping round trip on each use; a connection the server dropped (pg_terminate_backend, as
in a restart) is replaced, a unit of work that met one runs once more, and a forked child never uses or ends
its parent's."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from lti_tool.db import Database
from tests.databases import throwaway_database
from tests.db.forking import passes_in_a_forked_child


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    with throwaway_database("postgresql", tmp_path, "kept", migrated=False) as url:
        database = Database(url)
        with database.session() as session:
            session.execute(text("CREATE TABLE notes (id SERIAL PRIMARY KEY, body TEXT)"))
        yield database
        database.dispose()


@pytest.fixture
def other(db: Database) -> Iterator:
    """A connection of the test's own to the same database, outside the tool's."""
    engine = create_engine(db.url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        yield connection
    engine.dispose()


def write_note(database: Database, body: str, one_statement: bool = False) -> None:
    with database.driver_work(one_statement=one_statement) as work:
        work.cursor().execute("INSERT INTO notes (body) VALUES (%s)", (body,))


def notes(database: Database) -> list[str]:
    connection = database.connect()
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT body FROM notes ORDER BY id")
        return [row[0] for row in cursor.fetchall()]
    finally:
        database.disconnect(connection)


def backend_of(database: Database) -> int:
    connection = database.connect()
    try:
        return connection.dbapi_connection.info.backend_pid
    finally:
        database.disconnect(connection)


def terminate(other, pids: list[int]) -> None:  # type: ignore[no-untyped-def]
    for pid in pids:  # waits (up to 5 s) until each backend has gone
        assert other.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid}).scalar()


def test_units_of_work_one_after_another_share_one_connection_without_a_ping(db: Database) -> None:
    write_note(db, "first")  # the kept connection made (the pool pings it as it hands it over)
    checkouts: list[object] = []
    event.listen(db.engine, "checkout", lambda *_: checkouts.append(1))
    pings: list[object] = []
    ping = db.engine.dialect.do_ping
    db.engine.dialect.do_ping = lambda connection: pings.append(1) or ping(connection)  # type: ignore[method-assign]
    for number in range(20):
        write_note(db, f"note {number}")
        assert len(notes(db)) == number + 2
    assert (len(checkouts), len(pings)) == (0, 0)


def test_a_one_statement_unit_of_work_is_stored_by_its_statement_and_others_at_the_end(db, other) -> None:  # type: ignore[no-untyped-def]
    def stored() -> list[str]:
        return list(other.execute(text("SELECT body FROM notes ORDER BY id")).scalars())

    with db.driver_work(one_statement=True) as work:
        work.cursor().execute("INSERT INTO notes (body) VALUES ('alone')")
        assert stored() == ["alone"]  # committed by itself: no BEGIN was sent
    with db.driver_work() as work:
        work.cursor().execute("INSERT INTO notes (body) VALUES ('in a transaction')")
        assert stored() == ["alone"]  # not before the COMMIT
    assert stored() == ["alone", "in a transaction"]


def test_a_failed_unit_of_work_is_rolled_back_and_its_connection_works_again(db: Database) -> None:
    with pytest.raises(RuntimeError), db.driver_work() as work:
        work.cursor().execute("INSERT INTO notes (body) VALUES ('never stored')")
        raise RuntimeError("the job failed after writing")
    write_note(db, "stored")
    assert notes(db) == ["stored"]


def test_a_bookkeeping_unit_of_work_does_not_wait_for_the_disk_and_leaves_the_connection_durable(db) -> None:  # type: ignore[no-untyped-def]
    with db.driver_work(durable=False) as work:
        cursor = work.cursor()
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "off"
    with db.driver_work() as work:
        cursor = work.cursor()
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone()[0] == "on"


def test_idle_connections_the_server_ended_are_replaced_before_use(db: Database, other) -> None:  # type: ignore[no-untyped-def]
    held = [db.connect() for _ in range(3)]
    pids = [connection.dbapi_connection.info.backend_pid for connection in held]
    for connection in held:
        db.disconnect(connection)
    terminate(other, pids)  # as a server restart ends every session

    write_note(db, "after the restart")

    assert notes(db) == ["after the restart"]
    assert backend_of(db) not in pids


def test_work_whose_connection_drops_before_its_statement_runs_once_more(db: Database, other) -> None:  # type: ignore[no-untyped-def]
    runs: list[int] = []

    def read_after_a_drop() -> list[str]:
        connection = db.connect()
        try:
            pid = connection.dbapi_connection.info.backend_pid
            runs.append(pid)
            if len(runs) == 1:
                terminate(other, [pid])  # after the check that it was alive, before its statement
            cursor = connection.cursor()
            cursor.execute("SELECT count(*) FROM notes")
            return cursor.fetchone()
        finally:
            db.disconnect(connection)

    assert db.reconnecting(read_after_a_drop) == (0,)
    assert len(runs) == 2 and runs[0] != runs[1]


def test_work_that_meets_a_dropped_connection_twice_fails_with_a_retryable_error(db, other) -> None:  # type: ignore[no-untyped-def]
    def always_dropped() -> None:
        connection = db.connect()
        try:
            terminate(other, [connection.dbapi_connection.info.backend_pid])
            connection.cursor().execute("SELECT 1")
        finally:
            db.disconnect(connection)

    with pytest.raises(DBAPIError) as raised:  # SQLAlchemy's, as the ORM raises it: the endpoints answer 503
        db.reconnecting(always_dropped)
    assert raised.value.connection_invalidated
    write_note(db, "later")
    assert notes(db) == ["later"]


def test_a_failure_that_is_not_a_drop_is_not_run_again(db: Database) -> None:
    runs: list[int] = []

    def bad_statement() -> None:
        runs.append(1)
        with db.driver_work() as work:
            work.cursor().execute("SELECT no_such_column FROM notes")

    with pytest.raises(DBAPIError):
        db.reconnecting(bad_statement)
    assert runs == [1]
    write_note(db, "still fine")
    assert notes(db) == ["still fine"]


def test_a_forked_child_opens_its_own_connection_and_leaves_the_parents_session_open(db: Database) -> None:
    write_note(db, "parent before")
    parent_connection = db.connect()
    parent_pid = parent_connection.dbapi_connection.info.backend_pid
    db.disconnect(parent_connection)

    def child_uses_a_session_of_its_own() -> bool:
        fresh = backend_of(db) != parent_pid
        write_note(db, "child")
        return fresh and notes(db) == ["parent before", "child"]

    assert passes_in_a_forked_child(child_uses_a_session_of_its_own)
    assert backend_of(db) == parent_pid  # the parent's own session, neither used nor ended by the child
    write_note(db, "parent after")
    assert notes(db) == ["parent before", "child", "parent after"]
