"""The database: one engine per app, SQLite tuned for several processes, sessions as context managers."""

from __future__ import annotations

import contextlib
import os
import select
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

SQLITE_BUSY_TIMEOUT_MS = 30_000
T = TypeVar("T")


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


class KeptConnections:
    """DBAPI connections that the hot paths (a commit's read and write, DriverWork) take and give back
    without the pool: a checkout and return cost about what a commit's SELECT does (events, fairy, queue,
    reset), and on PostgreSQL `pool_pre_ping` added a round trip to each. Each is made by the engine (its
    connect events set SQLite's WAL and pragmas) and detached from the pool, so held ones never starve ORM
    sessions.

    PostgreSQL's are in autocommit: a read is its own statement and DriverWork sends BEGIN itself, or nothing
    for one statement. A server can drop a connection (a restart, pg_terminate_backend), so one is pinged
    before it is used again when it has been idle `ping_after` seconds or the server has sent something on it
    while idle (an idle session gets nothing unasked, but a terminated one gets the server's FATAL and end of
    file): looking at the socket costs a system call, not a round trip. One that fails its ping is closed,
    with every idle one (they likely share its fate), and a new one is made. A connection dropped between that
    look and its statement raises there: `Database.reconnecting` runs such work once more.

    A forked child starts with none (os.register_at_fork): the parent's connections are never used there,
    nor closed (closing one would release SQLite's locks that belong to the parent's open file, or end the
    parent's PostgreSQL session). As with the pool, `engine.dispose()` closes the idle ones, and those taken
    before it are closed when given back."""

    def __init__(self, engine: Engine, keep: int = 16, ping_after: float = 5.0) -> None:
        self._engine = engine
        self._keep = keep
        self._postgresql = engine.dialect.name == "postgresql"
        self._ping_after = ping_after
        self._idle: list[Any] = []
        self.generation = 0  # moves on at every engine.dispose() and every dropped connection
        _every_kept.add(self)
        event.listen(engine, "engine_disposed", self._disposed)

    def take(self) -> Any:
        """A connection of this process, not in a transaction (a pool-proxied connection, detached)."""
        try:
            connection = self._idle.pop()  # atomic under the GIL: no lock
        except IndexError:
            return self._new_connection()
        if self._postgresql and not self._still_connected(connection):
            _close_quietly(connection)
            self.forget_idle()
            return self._new_connection()
        return connection

    def _new_connection(self) -> Any:
        connection = self._engine.raw_connection()
        connection.detach()
        connection.info["kept_generation"] = self.generation
        if self._postgresql:
            connection.dbapi_connection.autocommit = True
        return connection

    def _still_connected(self, connection: Any) -> bool:
        idle_since = connection.info.get("kept_idle_since", 0.0)
        fresh = time.monotonic() - idle_since < self._ping_after
        if fresh and not _readable(connection.dbapi_connection):
            return True
        try:
            self._engine.dialect.do_ping(connection.dbapi_connection)
        except Exception:  # noqa: BLE001 - any failure: not kept
            return False
        return True

    def give_back(self, connection: Any) -> None:
        """Back for the next taker, rolled back if a transaction was left open; closed if that fails, if it
        was dropped, or if enough are kept."""
        try:
            if in_transaction(connection.dbapi_connection, self._postgresql):
                connection.rollback()
        except Exception:  # noqa: BLE001 - a broken connection is not kept
            _close_quietly(connection)
            return
        current = connection.info.get("kept_generation") == self.generation
        if current and len(self._idle) < self._keep:
            if self._postgresql:  # SQLite's never drop: no ping, so no clock
                connection.info["kept_idle_since"] = time.monotonic()
            self._idle.append(connection)
        else:
            _close_quietly(connection)

    def forget_idle(self) -> None:
        """Close the idle connections, and those taken now when they come back (the server dropped one)."""
        self.generation += 1
        while self._idle:
            _close_quietly(self._idle.pop())

    def _disposed(self, _engine: Engine) -> None:
        self.forget_idle()

    def forget_inherited(self) -> None:
        _inherited.append(self._idle)
        self._idle = []


def in_transaction(dbapi_connection: Any, postgresql: bool) -> bool:
    """Whether a transaction is open on the connection (psycopg's or sqlite3's, by `postgresql`)."""
    if postgresql:
        return dbapi_connection.info.transaction_status != 0  # 0 is IDLE; a closed connection's is not
    return dbapi_connection.in_transaction


def connection_dropped(dbapi_connection: Any) -> bool:
    """Whether the server dropped a PostgreSQL connection (psycopg found it broken)."""
    return bool(dbapi_connection.broken)


def _readable(dbapi_connection: Any) -> bool:
    """Whether the server has sent something on an idle connection (or closed it)."""
    # poll, not select: select refuses a descriptor numbered 1024 or more, which a busy worker may hold.
    try:
        watch = select.poll()
        watch.register(dbapi_connection.fileno(), select.POLLIN)
        return bool(watch.poll(0))
    except Exception:  # noqa: BLE001 - closed: as good as readable
        return True


def _close_quietly(connection: Any) -> None:
    with contextlib.suppress(Exception):
        connection.close()


_every_kept: weakref.WeakSet[KeptConnections] = weakref.WeakSet()
_inherited: list[list[Any]] = []  # a parent's idle connections in a forked child: held, never closed


def _after_fork_in_child() -> None:
    for kept in list(_every_kept):
        kept.forget_inherited()


os.register_at_fork(after_in_child=_after_fork_in_child)


class DriverWork:
    """A write unit of work on one DBAPI connection, begun as `Database.session` begins one, for the hot paths
    that run their statements at the driver (lti_tool.db.driver). The connection is taken at the first
    `cursor()`; `restart()` rolls back what was begun (only before anything is written) and gives the
    connection back, so the caller can wait on something slow (a fetch) without holding SQLite's write lock.
    `one_statement`: the work is a single statement, which on PostgreSQL is then its own durable transaction
    (one round trip instead of BEGIN, the statement and COMMIT).
    """

    def __init__(self, database: Database, durable: bool, one_statement: bool = False):
        self._database = database
        self._bookkeeping = not durable
        self._one_statement = one_statement and durable
        self._connection: Any = None
        self._cursor: Any = None

    # A context manager by its own methods: a generator-based one (contextlib) cost about as much as one of
    # the statements, on every launch and every batch of commits.
    def __enter__(self) -> DriverWork:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: Any) -> None:
        self.finish(commit=kind is None, failing=kind is not None)

    def cursor(self) -> Any:
        if self._cursor is None:
            self._connection = self._database.connect()
            self._cursor = self._connection.cursor()
            begin = self._database.begin_statements(
                self._connection.info, self._bookkeeping, self._one_statement
            )
            for statement in begin:
                self._cursor.execute(statement)
        return self._cursor

    @property
    def engine(self) -> Engine:
        return self._database.engine

    def restart(self) -> None:
        self.finish(commit=False)

    def finish(self, commit: bool, failing: bool = False) -> None:
        """Commit (or roll back) what was begun and give the connection back; the work may begin again.
        `failing`: the work raised, and that error, not a failed rollback's, is the one to see."""
        connection, self._connection, self._cursor = self._connection, None, None
        if connection is None:
            return
        try:
            if not in_transaction(connection.dbapi_connection, self._database.postgresql):
                pass  # one statement on PostgreSQL: committed as it ran
            elif commit:
                connection.commit()
            else:
                connection.rollback()
        except BaseException:
            self._database.disconnect(connection, broken=True)
            if failing:
                return
            raise
        self._database.disconnect(connection)


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
        # Kept connections for the hot paths: a SQLite file (not :memory:, whose every connection is a
        # database of its own, and which SQLAlchemy does not give a QueuePool) and PostgreSQL.
        sqlite_file = self.dialect == "sqlite" and isinstance(self.engine.pool, QueuePool)
        self.postgresql = self.dialect == "postgresql"
        kept = sqlite_file or self.postgresql
        self._kept = KeptConnections(self.engine) if kept else None

    def connect(self) -> Any:
        """A DBAPI connection (pool-proxied) for driver-level work; give it back with `disconnect`."""
        return self._kept.take() if self._kept is not None else self.engine.raw_connection()

    def disconnect(self, connection: Any, broken: bool = False) -> None:
        """Give back a connection from `connect`, with no transaction left open; `broken`: after a
        failed commit or rollback, closed instead of kept."""
        if self._kept is None:
            connection.close()  # back to the pool, which resets it
        elif self.postgresql and connection_dropped(connection.dbapi_connection):
            _close_quietly(connection)
            self._kept.forget_idle()  # the server went away: the idle ones are likely gone too
        elif broken:
            _close_quietly(connection)
        else:
            self._kept.give_back(connection)

    def reconnecting(self, work: Callable[[], T]) -> T:
        """`work()`, which takes its connections with `connect()`; run once more when it failed on a
        connection the server had dropped (a restart, pg_terminate_backend: the kept ones are forgotten
        then). A driver error it raises is SQLAlchemy's (a DBAPIError), as the ORM raises it.

        Only for work that may run twice: a write whose COMMIT was sent when the connection dropped may
        have been stored (the commit path's writes are conditional on the state they read)."""
        generation = self._kept.generation if self._kept is not None else None
        try:
            return work()
        except self._driver_error as error:
            if self._kept is None or self._kept.generation == generation:  # no connection was dropped
                raise self._as_sqlalchemy_error(error) from error
        try:
            return work()
        except self._driver_error as error:
            raise self._as_sqlalchemy_error(error) from error

    @property
    def _driver_error(self) -> type[Exception]:
        return self.engine.dialect.loaded_dbapi.Error

    def _as_sqlalchemy_error(self, error: Exception) -> DBAPIError:
        dialect = self.engine.dialect
        dropped = isinstance(error, dialect.loaded_dbapi.OperationalError)
        return DBAPIError.instance(
            None, None, error, dialect.loaded_dbapi.Error, connection_invalidated=dropped, dialect=dialect
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

    def driver_work(self, durable: bool = True, one_statement: bool = False) -> DriverWork:
        """Like `session()`, committed when the `with` block ends normally and rolled back when it raises, but
        on the DBAPI connection itself: no ORM session and no SQLAlchemy connection layers around it.
        `one_statement`: see DriverWork."""
        return DriverWork(self, durable, one_statement)

    def begin_statements(self, pooled: dict, bookkeeping: bool, one_statement: bool = False) -> list[str]:
        """What the `begin` events run, for a unit of work begun on the DBAPI connection (DriverWork)."""
        if self.dialect == "sqlite":
            return sqlite_begin(pooled, self._sqlite_synchronous, "IMMEDIATE", bookkeeping)
        if not self.postgresql:
            return []  # a pooled connection, which begins by itself
        if one_statement:
            return []  # a kept connection is in autocommit: the statement is its own transaction
        # One round trip (no parameters: psycopg sends both in one simple query).
        return [f"BEGIN; {BOOKKEEPING_POSTGRESQL}" if bookkeeping else "BEGIN"]

    def dispose(self) -> None:
        self.engine.dispose()  # the kept connections too (KeptConnections listens)
