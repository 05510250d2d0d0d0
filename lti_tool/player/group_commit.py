"""Group commit: the commits of one process's concurrent requests share one database transaction.

With durability on, every transaction waits for the disk (SQLite's fsync at synchronous=FULL, PostgreSQL's
WAL flush), and SQLite writers also take turns. The commit jobs waiting in one process run together, each
inside its own SAVEPOINT (a refused or failing job is rolled back alone), and commit together, so one flush
answers several learners. A request waits for its batch to be durable before it answers. On PostgreSQL,
`committer_for` gives an OwnCommitter instead (each request writes alone: see its docstring).

Leader and followers: the request that finds no batch being written in its process writes itself (the
leader): its own job, then whatever else has queued by the time it has the writers' turn. Requests arriving
meanwhile queue and wait (followers). Once its batch is durable, the leader wakes its batch's followers and,
when jobs are still queued, hands the lead to the oldest of them, which writes the next batch on its own
thread. A commit with nobody else writing therefore runs on its request's thread without any hand-off
between threads (a writer thread cost two on every commit); under load one wake-up answers each follower.
A failing job or write settles every job of its batch (with its answer or an error) and hands the lead on
before the leader returns: no request waits for a leader that has gone.

A job submitted with ``isolated=False`` runs without a SAVEPOINT (two statements each way, on every
commit): it must write nothing when it answers keep=False. If it raises, the whole batch is rolled back, it
gets its error, and the batch's other jobs run again in a new transaction (nothing of them was committed).

A `DriverJob` runs its statements on the DBAPI cursor. When every job of a batch is one, the batch runs on a
DBAPI connection (DriverWork, begun as a session begins) without an ORM session, whose
creation and commit cost more than the jobs' statements. A driver job that answers None wrote nothing and
needs the ORM: its `fallback` runs after that transaction, in a session of its own. A batch with any session
job runs every job in one session, in the order they came, a driver job on the session's cursor.

On a SQLite file the leaders of all processes also take turns on an exclusive file lock (flock) before they
begin; each process opens the file once and keeps it open (an open and a close on every batch cost more than
the lock). SQLite's own busy handler waits by sleeping in growing steps (up to 100 ms), so a writer freed by
another process's COMMIT noticed late and an unlucky one starved (p99 of seconds under 50 learners); a
blocked flock wakes at once, in turn. The lock only orders these batches: SQLite's locking still guards
every write. While a leader waits for its turn, more jobs queue and join its batch.

gunicorn forks its workers after the app is built: a forked child starts with no leader, an empty queue and
no turn file (os.register_at_fork), whatever the parent's threads were doing at the fork.
"""

from __future__ import annotations

import collections
import contextlib
import fcntl
import os
import threading
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from lti_tool.db import Database
from lti_tool.db.driver import cursor_of

Job = Callable[[Session], tuple[Any, bool]]  # returns (answer, keep: False rolls the job's writes back)


class DriverJob:
    """A job without a SAVEPOINT on the DBAPI cursor: `run(cursor)` gives (answer, keep) or None when it wrote
    nothing and `fallback()`, a session job, must answer instead. Called with a session, it is a `Job`.
    `one_statement`: it runs a single statement, so OwnCommitter writes it on PostgreSQL without BEGIN and
    COMMIT (DriverWork). It may run twice there: a connection the server dropped runs it again."""

    __slots__ = ("run", "fallback", "one_statement")

    def __init__(
        self,
        run: Callable[[Any], tuple[Any, bool] | None],
        fallback: Callable[[], Job],
        one_statement: bool = False,
    ) -> None:
        self.run = run
        self.fallback = fallback
        self.one_statement = one_statement

    def __call__(self, session: Session) -> tuple[Any, bool]:
        answered = self.run(cursor_of(session))
        return self.fallback()(session) if answered is None else answered


class _Pending:
    __slots__ = ("job", "isolated", "answer", "error", "leads", "woken")

    def __init__(self, job: Job | DriverJob, isolated: bool = True) -> None:
        self.job = job
        self.isolated = isolated
        self.answer: Any = None
        self.error: BaseException | None = None
        self.leads = False  # its request writes the next batch
        # Released once: when its job is settled, or when its request is to lead. A bare lock, not an Event:
        # an Event's wait builds a Condition and a lock of its own on every call.
        self.woken = threading.Lock()
        self.woken.acquire()


class GroupCommitter:
    def __init__(self, db: Database, max_batch: int = 32) -> None:
        self._db = db
        self._max_batch = max_batch
        self._turn_file = _turn_file_of(db.url)
        self._turn_handle: int | None = None  # this process's open turn file, once a batch has opened it
        self._turn_closer: weakref.finalize | None = None  # closes it once: when forgotten, or with self
        self._forget_the_batches()
        _every_committer.add(self)

    def _forget_the_batches(self) -> None:
        """No leader and nothing queued: at the start, and in a forked child (whose parent's requests are
        not its own). A child also closes its copy of the parent's turn file and opens its own: a flock
        belongs to the open file, which the copy shares, so the child would take the turn while the parent
        holds it, its unlock would end the parent's, and a copy left open while the parent's leader held the
        turn at the fork would keep it taken for ever."""
        closer, self._turn_closer, self._turn_handle = self._turn_closer, None, None
        if closer is not None:
            closer()  # closed now, and never again by the finalizer (the number may be reused)
        self._state_lock = threading.Lock()  # guards _queued and _leading, held for a few operations only
        self._queued: collections.deque[_Pending] = collections.deque()
        self._leading = False  # a request of this process is writing a batch; never False while jobs queue

    def run(self, job: Job | DriverJob, isolated: bool = True) -> Any:
        """Run `job` in the next batch; its answer, or the exception it (or the batch's commit) raised.
        `isolated=False`: no SAVEPOINT of its own (see the module's docstring); a DriverJob never has one."""
        pending = _Pending(job, isolated and not isinstance(job, DriverJob))
        if not self._queue_up(pending):
            pending.woken.acquire()  # a follower: until its batch is durable, or until it is to lead
        if pending.leads:
            self._lead(pending)
        if pending.error is not None:
            raise pending.error
        return pending.answer

    def _queue_up(self, pending: _Pending) -> bool:
        """Queue `pending`; True when no batch is being written, and its request leads the next one."""
        with self._state_lock:
            self._queued.append(pending)
            if self._leading:
                return False
            self._leading = pending.leads = True
            return True

    def _lead(self, own: _Pending) -> None:
        """Write a batch headed by `own`, the leader's job (the oldest queued); wake followers, hand on."""
        batch: list[_Pending] = []
        try:
            self._write(self._take_queued(batch))
        finally:
            self._hand_the_lead_on()
            for pending in batch:
                if pending is not own:
                    pending.woken.release()

    def _take_queued(self, batch: list[_Pending]) -> list[_Pending]:
        with self._state_lock:
            while self._queued and len(batch) < self._max_batch:
                batch.append(self._queued.popleft())
        return batch

    def _hand_the_lead_on(self) -> None:
        """The oldest queued request leads the next batch; with none queued, the next to come will."""
        with self._state_lock:
            if not self._queued:
                self._leading = False
                return
            successor = self._queued[0]
            successor.leads = True
        successor.woken.release()

    # The turn is taken and given back by plain calls, not a context manager: a generator-based one cost
    # about as much as one of the batch's statements, on every batch.
    def _take_the_writers_turn(self) -> int | None:
        """The turn file, locked; None without one (a read-only folder: SQLite's busy handler alone orders
        the writers)."""
        handle = self._open_turn_file()
        if handle is not None:
            try:  # noqa: SIM105 - contextlib.suppress: two Python calls more on every batch
                fcntl.flock(handle, fcntl.LOCK_EX)
            except OSError:  # no file locks here (some network file systems): as without a file
                pass
        return handle

    @staticmethod
    def _give_the_writers_turn_back(handle: int | None) -> None:
        if handle is not None:
            try:  # noqa: SIM105 - as above
                fcntl.flock(handle, fcntl.LOCK_UN)
            except OSError:
                pass

    def _open_turn_file(self) -> int | None:
        """This process's turn file, opened by its first batch and kept open (see _forget_the_batches)."""
        if self._turn_handle is None and self._turn_file is not None:
            try:
                handle = os.open(self._turn_file, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            except OSError:
                return None
            self._turn_handle = handle
            self._turn_closer = weakref.finalize(self, _close_quietly, handle)
        return self._turn_handle

    def _write(self, batch: list[_Pending]) -> None:
        """Take the writers' turn, add the jobs queued meanwhile to `batch` and settle every job of it."""
        remaining = batch
        try:
            handle = self._take_the_writers_turn()
            try:
                self._take_queued(batch)
                while remaining:
                    remaining = self._write_once(remaining)
            finally:
                self._give_the_writers_turn_back(handle)
        except BaseException as error:  # beyond _committed's care (an interrupt): no job is left unsettled
            _fail_unsettled(remaining, error)
            raise

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


def _close_quietly(handle: int) -> None:
    with contextlib.suppress(OSError):
        os.close(handle)


def _committed(batch: list[_Pending], write: Callable[[], list[_Pending]]) -> list[_Pending]:
    """`write` the batch in one transaction; the jobs it hands back to run again. A job that raised without a
    SAVEPOINT rolled the whole batch back: the others run again. Any other failure (the COMMIT itself) is
    every job's failure."""
    try:
        return write()
    except _JobFailed:
        return [pending for pending in batch if pending.error is None]
    except Exception as error:  # noqa: BLE001 - the batch's commit failed: every job of it failed
        _fail_unsettled(batch, error)
        return []


def _fail_unsettled(batch: list[_Pending], error: BaseException) -> None:
    """Nothing of `batch` was committed: its jobs without an error of their own get `error`."""
    for pending in batch:
        if pending.error is None:
            pending.answer, pending.error = None, error


class _JobFailed(Exception):
    """A job without a SAVEPOINT raised: the batch's transaction is rolled back."""


def _turn_file_of(database_url: str) -> str | None:
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return str(Path(url.database).with_name(Path(url.database).name + ".commit-turn"))


_committers: dict[int, GroupCommitter | OwnCommitter] = {}
_committers_lock = threading.Lock()
_every_committer: weakref.WeakSet[GroupCommitter] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    # Only the forking thread lives on in the child: a lock another thread held stays held for ever, and a
    # leader or follower of the parent will never write or wake.
    global _committers_lock
    _committers_lock = threading.Lock()
    for committer in list(_every_committer):
        committer._forget_the_batches()


os.register_at_fork(after_in_child=_after_fork_in_child)


class OwnCommitter:
    """Each request writes its own job on a connection of its own, as soon as it comes: for PostgreSQL, whose
    concurrent committers already share a WAL flush (and which lets writers of different rows run at once),
    so a batch saves no wait for the disk. The steady commit is then one UPDATE in autocommit (DriverWork's
    one_statement), with no hand-off between threads and no wait behind another request's batch. Measured
    against GroupCommitter on PostgreSQL (session 6, bench/README.md): as cheap or cheaper in the tool's CPU
    per commit, a little dearer in the server's (a transaction per commit), the same rate under gunicorn.
    The same `run` as GroupCommitter's: a job that raises is rolled back and its error raised; one that
    answers keep=False is rolled back."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def run(self, job: Job | DriverJob, isolated: bool = True) -> Any:
        if isinstance(job, DriverJob):
            answered = self._db.reconnecting(lambda: self._at_the_driver(job))
            if answered is not None:
                return answered[0]
            job = job.fallback()
        with self._db.session() as session:
            answer, keep = job(session)
            if not keep:
                session.rollback()  # nothing of it is committed (the block's commit then has nothing)
        return answer

    def _at_the_driver(self, job: DriverJob) -> tuple[Any, bool] | None:
        with self._db.driver_work(one_statement=job.one_statement) as work:
            return job.run(work.cursor())


def committer_for(db: Database) -> GroupCommitter | OwnCommitter:
    with _committers_lock:
        found = _committers.get(id(db))
        if found is None:
            found = _committers[id(db)] = OwnCommitter(db) if db.postgresql else GroupCommitter(db)
        return found
