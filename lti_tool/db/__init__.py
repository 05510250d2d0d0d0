"""The database: one engine per app, SQLite tuned for several processes, sessions as context managers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 30_000


def _tune_sqlite(engine: Engine, synchronous: str) -> None:
    # WAL lets readers run beside one writer, which several gunicorn workers need; busy_timeout makes a
    # writer wait for the lock instead of failing at once with "database is locked".
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute(f"PRAGMA synchronous={synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()
        # pysqlite's own transaction handling defers BEGIN and breaks SAVEPOINT; we emit BEGIN ourselves.
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def on_begin(connection):  # type: ignore[no-untyped-def]
        options = connection.get_execution_options()
        pooled = connection.connection.info  # lives as long as the DBAPI connection
        for statement in sqlite_begin(
            pooled, synchronous, options.get("sqlite_begin", "IMMEDIATE"), bool(options.get("bookkeeping"))
        ):
            connection.exec_driver_sql(statement)


def sqlite_begin(pooled: dict, synchronous: str, mode: str, bookkeeping: bool) -> list[str]:
    """The statements that begin a unit of work on one SQLite connection (`pooled`: its pool info)."""
    # IMMEDIATE takes the write lock at the start, so two writers queue on busy_timeout instead of one
    # failing with SQLITE_BUSY when it upgrades a read lock mid-transaction.
    # Read-only units of work ask for DEFERRED so they never wait for a writer (WAL readers do not block).
    # A read-only unit of work commits nothing, so it keeps whatever level the connection has: switching
    # would cost two PRAGMAs on every read between bookkeeping writes (a launch alternates both).
    current = pooled.get("synchronous", synchronous)
    wanted = current if mode == "DEFERRED" else "NORMAL" if bookkeeping else synchronous
    pooled["synchronous"] = wanted
    # The PRAGMA is a per-connection setting, changed outside any transaction.
    return [f"PRAGMA synchronous={wanted}", f"BEGIN {mode}"] if current != wanted else [f"BEGIN {mode}"]


BOOKKEEPING_POSTGRESQL = "SET LOCAL synchronous_commit TO OFF"


def _tune_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def on_begin(connection):  # type: ignore[no-untyped-def]
        if connection.get_execution_options().get("bookkeeping"):
            # Bookkeeping a relaunch can recreate: commit without waiting for the WAL flush (no corruption
            # risk; at worst the last few milliseconds of such commits are lost in a server crash).
            connection.exec_driver_sql(BOOKKEEPING_POSTGRESQL)


def make_engine(database_url: str, sqlite_synchronous: str = "FULL") -> Engine:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        _tune_sqlite(engine, sqlite_synchronous.upper())
        return engine
    engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
    if url.get_backend_name() == "postgresql":
        _tune_postgresql(engine)
    return engine


class DriverWork:
    """A write unit of work on one pooled DBAPI connection, begun as `Database.session` begins one, for the
    hot paths that run their statements at the driver (lti_tool.db.driver). The connection is taken at the
    first `cursor()`; `restart()` rolls back what was begun (only before anything is written) and gives the
    connection back, so the caller can wait on something slow (a fetch) without holding SQLite's write lock.
    """

    def __init__(self, database: Database, durable: bool):
        self._database = database
        self._bookkeeping = not durable
        self._connection: Any = None
        self._cursor: Any = None

    def cursor(self) -> Any:
        if self._cursor is None:
            self._connection = self._database.engine.raw_connection()
            self._cursor = self._connection.cursor()
            for statement in self._database.begin_statements(self._connection.info, self._bookkeeping):
                self._cursor.execute(statement)
        return self._cursor

    @property
    def engine(self) -> Engine:
        return self._database.engine

    def restart(self) -> None:
        self._release(commit=False)

    def _release(self, commit: bool) -> None:
        connection, self._connection, self._cursor = self._connection, None, None
        if connection is None:
            return
        try:
            if commit:
                connection.commit()
            else:
                connection.rollback()
        finally:
            connection.close()  # back to the pool


class Database:
    """The engine and session factory of one app (or one CLI command)."""

    def __init__(self, database_url: str, sqlite_synchronous: str = "FULL"):
        self.url = database_url
        self._sqlite_synchronous = sqlite_synchronous.upper()
        self.engine = make_engine(database_url, sqlite_synchronous)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._read_sessions = sessionmaker(
            self.engine.execution_options(sqlite_begin="DEFERRED"), expire_on_commit=False
        )
        self._bookkeeping_sessions = sessionmaker(
            self.engine.execution_options(bookkeeping=True), expire_on_commit=False
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self, readonly: bool = False, durable: bool = True) -> Iterator[Session]:
        """A unit of work: committed when the block ends normally, rolled back when it raises.

        `durable=False` is for bookkeeping that a relaunch recreates (login states, launch sessions): its
        commit does not wait for the disk (SQLite synchronous=NORMAL in WAL, PostgreSQL synchronous_commit
        off). Learner data (run-time state, grades) always uses the default, durable commits.
        """
        factory = (
            self._read_sessions if readonly else self._sessions if durable else self._bookkeeping_sessions
        )
        with factory() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def driver_work(self, durable: bool = True) -> Iterator[DriverWork]:
        """Like `session()`, committed when the block ends normally and rolled back when it raises, but on the
        DBAPI connection itself: no ORM session and no SQLAlchemy connection layers around it."""
        work = DriverWork(self, durable)
        try:
            yield work
        except BaseException:
            work._release(commit=False)
            raise
        work._release(commit=True)

    def begin_statements(self, pooled: dict, bookkeeping: bool) -> list[str]:
        """What the `begin` events run, for a unit of work begun on the DBAPI connection (DriverWork)."""
        if self.dialect == "sqlite":
            return sqlite_begin(pooled, self._sqlite_synchronous, "IMMEDIATE", bookkeeping)
        return [BOOKKEEPING_POSTGRESQL] if bookkeeping and self.dialect == "postgresql" else []

    def dispose(self) -> None:
        self.engine.dispose()
