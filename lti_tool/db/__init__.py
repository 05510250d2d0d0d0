"""The database: one engine per app, SQLite tuned for several processes, sessions as context managers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

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
        # IMMEDIATE takes the write lock at the start, so two writers queue on busy_timeout instead of one
        # failing with SQLITE_BUSY when it upgrades a read lock mid-transaction.
        # Read-only units of work ask for DEFERRED so they never wait for a writer (WAL readers do not block).
        options = connection.get_execution_options()
        mode = options.get("sqlite_begin", "IMMEDIATE")
        pooled = connection.connection.info  # lives as long as the DBAPI connection
        # A read-only unit of work commits nothing, so it keeps whatever level the connection has: switching
        # would cost two PRAGMAs on every read between bookkeeping writes (a launch alternates both).
        wanted = (
            pooled.get("synchronous", synchronous)
            if mode == "DEFERRED"
            else "NORMAL"
            if options.get("bookkeeping")
            else synchronous
        )
        if pooled.get("synchronous", synchronous) != wanted:
            # A per-connection setting, changed outside any transaction.
            connection.exec_driver_sql(f"PRAGMA synchronous={wanted}")
        pooled["synchronous"] = wanted
        connection.exec_driver_sql(f"BEGIN {mode}")


def _tune_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def on_begin(connection):  # type: ignore[no-untyped-def]
        if connection.get_execution_options().get("bookkeeping"):
            # Bookkeeping a relaunch can recreate: commit without waiting for the WAL flush (no corruption
            # risk; at worst the last few milliseconds of such commits are lost in a server crash).
            connection.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")


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


class Database:
    """The engine and session factory of one app (or one CLI command)."""

    def __init__(self, database_url: str, sqlite_synchronous: str = "FULL"):
        self.url = database_url
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

    def dispose(self) -> None:
        self.engine.dispose()
