"""Group commit: the commits of one process's concurrent requests share one database transaction.

With durability on, every transaction waits for the disk (SQLite's fsync at synchronous=FULL, PostgreSQL's
WAL flush), and SQLite writers also take turns. One writer thread per process takes whatever commit jobs
are waiting, runs each inside its own SAVEPOINT (a refused or failing job is rolled back alone) and commits
them together, so one flush answers several learners. A request waits for its batch to be durable before
it answers.

A job submitted with ``isolated=False`` runs without a SAVEPOINT (two statements each way, on every
commit): it must write nothing when it answers keep=False. If it raises, the whole batch is rolled back, it
gets its error, and the batch's other jobs run again in a new transaction (nothing of them was committed).

A `DriverJob` runs its statements on the DBAPI cursor. When every job of a batch is one, the batch runs on a
pooled DBAPI connection (Database.driver_work, begun as a session begins) without an ORM session, whose
creation and commit cost more than the jobs' statements. A driver job that answers None wrote nothing and
needs the ORM: its `fallback` runs after that transaction, in a session of its own. A batch with any session
job runs every job in one session, in the order they came, a driver job on the session's cursor.

On a SQLite file the writer threads of all processes also take turns on an exclusive file lock (flock)
before they begin. SQLite's own busy handler waits by sleeping in growing steps (up to 100 ms), so a writer
freed by another process's COMMIT noticed late and an unlucky one starved (p99 of seconds under 50
learners); a blocked flock wakes at once, in turn. The lock only orders these batches: SQLite's locking
still guards every write. While a writer waits for its turn, more jobs queue and join its batch.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import queue
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from lti_tool.db import Database
from lti_tool.db.driver import cursor_of

Job = Callable[[Session], tuple[Any, bool]]  # returns (answer, keep: False rolls the job's writes back)


class DriverJob:
    """A job without a SAVEPOINT on the DBAPI cursor: `run(cursor)` gives (answer, keep) or None when it wrote
    nothing and `fallback()`, a session job, must answer instead. Called with a session, it is a `Job`."""

    __slots__ = ("run", "fallback")

    def __init__(self, run: Callable[[Any], tuple[Any, bool] | None], fallback: Callable[[], Job]) -> None:
        self.run = run
        self.fallback = fallback

    def __call__(self, session: Session) -> tuple[Any, bool]:
        answered = self.run(cursor_of(session))
        return self.fallback()(session) if answered is None else answered


class _Pending:
    __slots__ = ("job", "isolated", "done", "answer", "error")

    def __init__(self, job: Job | DriverJob, isolated: bool = True) -> None:
        self.job = job
        self.isolated = isolated
        self.done = threading.Event()
        self.answer: Any = None
        self.error: BaseException | None = None


class GroupCommitter:
    def __init__(self, db: Database, max_batch: int = 32) -> None:
        self._db = db
        self._max_batch = max_batch
        self._queue: queue.SimpleQueue[_Pending] = queue.SimpleQueue()
        self._started_in: int | None = None
        self._lock = threading.Lock()
        self._turn_file = _turn_file_of(db.url)

    def run(self, job: Job | DriverJob, isolated: bool = True) -> Any:
        """Run `job` in the next batch; its answer, or the exception it (or the batch's commit) raised.
        `isolated=False`: no SAVEPOINT of its own (see the module's docstring); a DriverJob never has one."""
        self._ensure_writer()
        pending = _Pending(job, isolated and not isinstance(job, DriverJob))
        self._queue.put(pending)
        pending.done.wait()
        if pending.error is not None:
            raise pending.error
        return pending.answer

    def _ensure_writer(self) -> None:
        # gunicorn forks workers after the app is built: each process needs its own writer thread.
        if self._started_in == os.getpid():
            return
        with self._lock:
            if self._started_in != os.getpid():
                threading.Thread(target=self._write_forever, name="player-group-commit", daemon=True).start()
                self._started_in = os.getpid()

    def _write_forever(self) -> None:
        while True:
            batch = [self._queue.get()]
            with self._writers_turn():
                while len(batch) < self._max_batch:
                    try:
                        batch.append(self._queue.get_nowait())
                    except queue.Empty:
                        break
                self._write(batch)

    @contextlib.contextmanager
    def _writers_turn(self) -> Iterator[None]:
        if self._turn_file is None:
            yield
            return
        try:
            handle = os.open(self._turn_file, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            yield  # no lock file (a read-only folder): SQLite's busy handler alone orders the writers
            return
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            os.close(handle)  # closing releases the lock; opened per batch, never shared across a fork

    def _write(self, batch: list[_Pending]) -> None:
        try:
            remaining = batch
            while remaining:
                remaining = self._write_once(remaining)
        finally:
            for pending in batch:
                pending.done.set()

    def _write_once(self, batch: list[_Pending]) -> list[_Pending]:
        """Run and commit the batch; the jobs to run again when a job without a SAVEPOINT broke it, or the
        fallbacks of driver jobs that wrote nothing."""
        if all(isinstance(pending.job, DriverJob) for pending in batch):
            return _committed(batch, lambda: self._write_at_the_driver(batch))
        return _committed(batch, lambda: self._write_in_a_session(batch))

    def _write_in_a_session(self, batch: list[_Pending]) -> list[_Pending]:
        with self._db.session() as session:
            for pending in batch:
                self._run_job(session, pending)
        return []

    def _write_at_the_driver(self, batch: list[_Pending]) -> list[_Pending]:
        fallbacks: list[_Pending] = []
        with self._db.driver_work() as work:
            cursor = work.cursor()
            for pending in batch:
                self._run_driver_job(cursor, pending, fallbacks)
        return fallbacks

    @staticmethod
    def _run_driver_job(cursor: Any, pending: _Pending, fallbacks: list[_Pending]) -> None:
        job = pending.job
        assert isinstance(job, DriverJob)
        try:
            answered = job.run(cursor)
        except Exception as error:  # noqa: BLE001 - handed to the waiting request as is
            pending.error = error
            raise _JobFailed from error  # its writes cannot be undone alone: roll back the batch
        if answered is None:
            pending.job = job.fallback()  # same _Pending: its request waits on it; no SAVEPOINT either
            fallbacks.append(pending)
        else:
            pending.answer = answered[0]

    @staticmethod
    def _run_job(session: Session, pending: _Pending) -> None:
        if not pending.isolated:
            try:
                pending.answer, _keep = pending.job(session)  # keep=False: it wrote nothing
            except Exception as error:  # noqa: BLE001 - handed to the waiting request as is
                pending.error = error
                raise _JobFailed from error  # its writes cannot be undone alone: roll back the batch
            return
        savepoint = session.begin_nested()
        try:
            pending.answer, keep = pending.job(session)
        except Exception as error:  # noqa: BLE001 - handed to the waiting request as is
            pending.error = error
            savepoint.rollback()
            return
        if keep:
            savepoint.commit()
        else:
            savepoint.rollback()


def _committed(batch: list[_Pending], write: Callable[[], list[_Pending]]) -> list[_Pending]:
    """`write` the batch in one transaction; the jobs it hands back to run again. A job that raised without a
    SAVEPOINT rolled the whole batch back: the others run again. Any other failure (the COMMIT itself) is
    every job's failure."""
    try:
        return write()
    except _JobFailed:
        return [pending for pending in batch if pending.error is None]
    except Exception as error:  # noqa: BLE001 - the batch's commit failed: every job of it failed
        for pending in batch:
            if pending.error is None:
                pending.answer, pending.error = None, error
        return []


class _JobFailed(Exception):
    """A job without a SAVEPOINT raised: the batch's transaction is rolled back."""


def _turn_file_of(database_url: str) -> str | None:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return str(Path(url.database).with_name(Path(url.database).name + ".commit-turn"))


_committers: dict[int, GroupCommitter] = {}
_committers_lock = threading.Lock()


def committer_for(db: Database) -> GroupCommitter:
    with _committers_lock:
        found = _committers.get(id(db))
        if found is None:
            found = _committers[id(db)] = GroupCommitter(db)
        return found
