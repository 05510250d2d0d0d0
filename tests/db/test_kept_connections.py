"""The hot paths' connections to a SQLite file (Database.connect / DriverWork): one per thread's turn, kept by
the process instead of checked out of the pool, rolled back when a unit of work fails, and never shared with
or closed by a forked child."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event, text

from lti_tool.db import Database
from tests.db.forking import passes_in_a_forked_child


@pytest.fixture
def db(tmp_path: Path):
    database = Database(f"sqlite:///{tmp_path / 'kept.sqlite3'}")
    with database.session() as session:
        session.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
    yield database
    database.dispose()


def pool_checkouts(database: Database) -> list[object]:
    """The pool's checkouts from now on (a connection made anew is checked out too)."""
    taken: list[object] = []
    event.listen(database.engine, "checkout", lambda dbapi_connection, *_: taken.append(dbapi_connection))
    return taken


def write_note(database: Database, body: str) -> None:
    with database.driver_work() as work:
        work.cursor().execute("INSERT INTO notes (body) VALUES (?)", (body,))


def notes(database: Database) -> list[str]:
    connection = database.connect()
    try:
        return [row[0] for row in connection.cursor().execute("SELECT body FROM notes ORDER BY id")]
    finally:
        database.disconnect(connection)


def test_units_of_work_one_after_another_share_one_sqlite_connection(db: Database) -> None:
    taken = pool_checkouts(db)
    for number in range(20):
        write_note(db, f"note {number}")
        assert len(notes(db)) == number + 1
    assert len(taken) == 1  # the first, then kept


def test_the_kept_connections_leave_the_pool_free_for_sessions(db: Database) -> None:
    held = [db.connect() for _ in range(20)]  # more than the pool's 5 + 10
    with db.session(readonly=True) as session:
        assert session.execute(text("SELECT count(*) FROM notes")).scalar() == 0
    for connection in held:
        db.disconnect(connection)


def test_a_failed_unit_of_work_is_rolled_back_and_its_connection_works_again(db: Database) -> None:
    taken = pool_checkouts(db)
    with pytest.raises(RuntimeError), db.driver_work() as work:
        work.cursor().execute("INSERT INTO notes (body) VALUES ('never stored')")
        raise RuntimeError("the job failed after writing")
    write_note(db, "stored")
    assert notes(db) == ["stored"]
    assert len(taken) == 1


def test_a_connection_given_back_inside_a_transaction_is_rolled_back(db: Database) -> None:
    connection = db.connect()
    cursor = connection.cursor()
    cursor.execute("BEGIN IMMEDIATE")
    cursor.execute("INSERT INTO notes (body) VALUES ('left open')")
    db.disconnect(connection)
    write_note(db, "after")  # would wait for the write lock if the transaction were still open
    assert notes(db) == ["after"]


def test_a_forked_child_opens_its_own_connection_and_leaves_the_parents_open(db: Database) -> None:
    write_note(db, "parent before")  # the parent now keeps an idle connection
    parent_connection = db.connect()
    db.disconnect(parent_connection)

    def child_uses_a_connection_of_its_own() -> bool:
        connection = db.connect()
        fresh = connection is not parent_connection
        db.disconnect(connection)
        write_note(db, "child")
        return fresh and notes(db) == ["parent before", "child"]

    assert passes_in_a_forked_child(child_uses_a_connection_of_its_own)
    assert db.connect() is parent_connection  # the parent's own, still open and in use
    db.disconnect(parent_connection)
    write_note(db, "parent after")
    assert notes(db) == ["parent before", "child", "parent after"]


def test_an_in_memory_database_is_reached_through_the_pool() -> None:
    # Every new connection to :memory: would be an empty database of its own.
    database = Database("sqlite://")
    with database.session() as session:
        session.execute(text("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)"))
    write_note(database, "in memory")
    assert notes(database) == ["in memory"]
    database.dispose()


def test_dispose_closes_the_kept_connections(db: Database) -> None:
    connection = db.connect()
    dbapi_connection = connection.dbapi_connection
    db.disconnect(connection)
    db.dispose()
    with pytest.raises(Exception, match="closed"):
        dbapi_connection.execute("SELECT 1")


def test_a_connection_taken_before_the_engine_is_disposed_is_closed_when_given_back(db: Database) -> None:
    taken = db.connect()
    dbapi_connection = taken.dbapi_connection
    db.engine.dispose()
    db.disconnect(taken)
    with pytest.raises(Exception, match="closed"):
        dbapi_connection.execute("SELECT 1")
    write_note(db, "on a new connection")
    assert notes(db) == ["on a new connection"]
