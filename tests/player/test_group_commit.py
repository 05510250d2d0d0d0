"""The group committer: each job keeps or drops its own writes, a failing job fails alone, answers return."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from lti_tool.db import Database
from lti_tool.player.group_commit import DriverJob, GroupCommitter


@pytest.fixture
def database(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'group.sqlite3'}")
    with db.engine.begin() as connection:
        connection.execute(text("CREATE TABLE marks (value INTEGER)"))
    yield db
    db.dispose()


def insert(value: int, keep: bool):  # type: ignore[no-untyped-def]
    def job(session):  # type: ignore[no-untyped-def]
        session.execute(text("INSERT INTO marks (value) VALUES (:v)"), {"v": value})
        return value * 10, keep

    return job


def failing(session):  # type: ignore[no-untyped-def]
    session.execute(text("INSERT INTO marks (value) VALUES (99)"))
    raise ValueError("refused")


def stored(db: Database) -> list[int]:
    with db.engine.connect() as connection:
        return sorted(v for (v,) in connection.execute(text("SELECT value FROM marks")))


def test_kept_writes_are_stored_and_dropped_or_failed_ones_are_not(database):
    committer = GroupCommitter(database)
    answers: dict[str, object] = {}

    def submit(name: str, job) -> None:  # type: ignore[no-untyped-def]
        try:
            answers[name] = committer.run(job)
        except ValueError as error:
            answers[name] = error

    threads = [
        threading.Thread(target=submit, args=("kept", insert(1, True))),
        threading.Thread(target=submit, args=("dropped", insert(2, False))),
        threading.Thread(target=submit, args=("failed", failing)),
        threading.Thread(target=submit, args=("kept too", insert(3, True))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert stored(database) == [1, 3]
    assert answers["kept"] == 10 and answers["dropped"] == 20 and answers["kept too"] == 30
    assert isinstance(answers["failed"], ValueError)


def test_a_batch_whose_commit_fails_fails_every_job_of_it(database):
    committer = GroupCommitter(database)

    def breaks_the_transaction(session):  # type: ignore[no-untyped-def]
        session.connection().exec_driver_sql("COMMIT")  # ends the batch's transaction under it
        return None, True

    with pytest.raises(Exception):  # noqa: B017 - the database's own error, whatever the driver calls it
        committer.run(breaks_the_transaction)


def test_a_batch_on_a_sqlite_file_waits_for_the_writers_turn_held_by_another_process(database, tmp_path):
    import fcntl

    committer = GroupCommitter(database)
    with open(tmp_path / "group.sqlite3.commit-turn", "w") as other_writer:
        fcntl.flock(other_writer, fcntl.LOCK_EX)
        answers: list[object] = []
        submitted = threading.Thread(target=lambda: answers.append(committer.run(insert(7, True))))
        submitted.start()
        submitted.join(timeout=0.5)
        assert answers == [] and stored(database) == []
        fcntl.flock(other_writer, fcntl.LOCK_UN)
    submitted.join(timeout=30)
    assert answers == [70] and stored(database) == [7]


def insert_at_driver(value: int, fallback=None):  # type: ignore[no-untyped-def]
    """A DriverJob inserting `value`; with `fallback`, it writes nothing and answers None instead."""

    def run(cursor):  # type: ignore[no-untyped-def]
        if fallback is not None:
            return None
        cursor.execute("INSERT INTO marks (value) VALUES (?)", (value,))
        if value == 99:
            raise ValueError("refused")
        return value * 10, True

    return DriverJob(run, lambda: fallback)


def in_one_batch(committer: GroupCommitter, turn_file, jobs: dict) -> dict:  # type: ignore[no-untyped-def]
    """Submit `jobs` while another writer holds the turn, so the writer takes them all as one batch."""
    import fcntl
    import time

    answers: dict[str, object] = {}

    def submit(name: str, job) -> None:  # type: ignore[no-untyped-def]
        try:
            answers[name] = committer.run(job)
        except ValueError as error:
            answers[name] = error

    with open(turn_file, "w") as other_writer:
        fcntl.flock(other_writer, fcntl.LOCK_EX)
        threads = [threading.Thread(target=submit, args=item) for item in jobs.items()]
        for thread in threads:
            thread.start()
            time.sleep(0.05)  # queued in this order
        fcntl.flock(other_writer, fcntl.LOCK_UN)
    for thread in threads:
        thread.join(timeout=30)
    return answers


def test_a_batch_of_driver_jobs_is_stored_without_an_orm_session(database, tmp_path, monkeypatch):
    committer = GroupCommitter(database)
    monkeypatch.setattr(database, "session", lambda *a, **k: pytest.fail("a session was opened"))
    answers = in_one_batch(
        committer,
        tmp_path / "group.sqlite3.commit-turn",
        {"one": insert_at_driver(1), "two": insert_at_driver(2)},
    )
    assert answers == {"one": 10, "two": 20} and stored(database) == [1, 2]


def test_a_driver_job_that_wrote_nothing_is_answered_by_its_fallback_in_a_session(database, tmp_path):
    committer = GroupCommitter(database)
    answers = in_one_batch(
        committer,
        tmp_path / "group.sqlite3.commit-turn",
        {"driver": insert_at_driver(1), "fell back": insert_at_driver(0, fallback=insert(5, True))},
    )
    assert answers == {"driver": 10, "fell back": 50} and stored(database) == [1, 5]


def test_a_failing_driver_job_fails_alone_and_the_others_of_its_batch_are_stored(database, tmp_path):
    committer = GroupCommitter(database)
    answers = in_one_batch(
        committer,
        tmp_path / "group.sqlite3.commit-turn",
        {"before": insert_at_driver(1), "failed": insert_at_driver(99), "after": insert_at_driver(3)},
    )
    assert answers["before"] == 10 and answers["after"] == 30 and isinstance(answers["failed"], ValueError)
    assert stored(database) == [1, 3]


def test_driver_and_session_jobs_of_one_batch_run_in_one_session_in_their_order(database, tmp_path):
    committer = GroupCommitter(database)
    order: list[str] = []

    def session_job(session):  # type: ignore[no-untyped-def]
        order.append("session")
        return insert(2, True)(session)

    def driver_run(cursor):  # type: ignore[no-untyped-def]
        order.append("driver")
        return insert_at_driver(1).run(cursor)

    answers = in_one_batch(
        committer,
        tmp_path / "group.sqlite3.commit-turn",
        {"session": session_job, "driver": DriverJob(driver_run, lambda: pytest.fail("no fallback"))},
    )
    assert answers == {"session": 20, "driver": 10} and order == ["session", "driver"]
    assert stored(database) == [1, 2]


# -- leader and followers ------------------------------------------------------------------------------------
def on_thread(value: int, threads: dict):  # type: ignore[no-untyped-def]
    """A job inserting `value` that notes which thread ran it."""

    def job(session):  # type: ignore[no-untyped-def]
        threads[value] = threading.current_thread()
        return insert(value, True)(session)

    return job


def submitted_in_order(committer: GroupCommitter, turn_file, jobs: list, isolated=True) -> tuple[list, list]:  # type: ignore[no-untyped-def]
    """Submit `jobs` one thread each, in order, while another writer holds the turn; the threads, answers."""
    import fcntl
    import time

    answers: list[object] = [None] * len(jobs)

    def submit(index: int) -> None:
        try:
            answers[index] = committer.run(jobs[index], isolated)
        except BaseException as error:  # noqa: BLE001 - the test looks at it
            answers[index] = error

    threads = [threading.Thread(target=submit, args=(index,)) for index in range(len(jobs))]
    with open(turn_file, "w") as other_writer:
        fcntl.flock(other_writer, fcntl.LOCK_EX)
        for thread in threads:
            thread.start()
            time.sleep(0.05)  # queued in this order
        fcntl.flock(other_writer, fcntl.LOCK_UN)
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a request still waits"
    return threads, answers


def test_a_commit_with_nobody_else_writing_runs_on_its_own_requests_thread(database):
    committer = GroupCommitter(database)
    ran_on: dict[int, threading.Thread] = {}

    assert committer.run(on_thread(1, ran_on)) == 10
    assert committer.run(on_thread(2, ran_on)) == 20

    assert ran_on == {1: threading.current_thread(), 2: threading.current_thread()}
    assert stored(database) == [1, 2]


def test_jobs_queued_while_the_leader_waits_for_its_turn_join_its_batch_on_its_thread(database, tmp_path):
    committer = GroupCommitter(database)
    ran_on: dict[int, threading.Thread] = {}

    threads, answers = submitted_in_order(
        committer, tmp_path / "group.sqlite3.commit-turn", [on_thread(value, ran_on) for value in (1, 2, 3)]
    )

    assert answers == [10, 20, 30] and stored(database) == [1, 2, 3]
    assert ran_on == {1: threads[0], 2: threads[0], 3: threads[0]}


def test_a_leader_hands_the_lead_to_the_oldest_waiting_request_once_its_own_job_is_done(database, tmp_path):
    committer = GroupCommitter(database, max_batch=2)
    ran_on: dict[int, threading.Thread] = {}

    threads, answers = submitted_in_order(
        committer, tmp_path / "group.sqlite3.commit-turn", [on_thread(value, ran_on) for value in range(1, 6)]
    )

    assert answers == [10, 20, 30, 40, 50] and stored(database) == [1, 2, 3, 4, 5]
    # Batches of two, each written by its oldest request: the first, then the third, then the fifth.
    assert [ran_on[value] for value in range(1, 6)] == [
        threads[0],
        threads[0],
        threads[2],
        threads[2],
        threads[4],
    ]


def test_a_leader_whose_own_job_raises_still_answers_its_followers_and_hands_the_lead_on(database, tmp_path):
    committer = GroupCommitter(database, max_batch=2)

    jobs = [failing, insert(2, True), insert(3, True)]  # without SAVEPOINTs: the first batch is written twice
    _threads, answers = submitted_in_order(committer, tmp_path / "group.sqlite3.commit-turn", jobs, False)

    assert isinstance(answers[0], ValueError) and answers[1:] == [20, 30]
    assert committer.run(insert(4, True)) == 40
    assert stored(database) == [2, 3, 4]


class Interrupted(BaseException):
    """Not an Exception: what the batch's error handling does not expect."""


def test_a_leader_interrupted_mid_batch_fails_its_batch_and_no_request_waits_for_ever(database, tmp_path):
    committer = GroupCommitter(database, max_batch=2)

    def interrupted(session):  # type: ignore[no-untyped-def]
        session.execute(text("INSERT INTO marks (value) VALUES (98)"))
        raise Interrupted()

    jobs = [interrupted, insert(2, True), insert(3, True)]
    _threads, answers = submitted_in_order(committer, tmp_path / "group.sqlite3.commit-turn", jobs)

    assert isinstance(answers[0], Interrupted) and isinstance(answers[1], Interrupted)
    assert answers[2] == 30  # the next batch's, led by the third request
    assert committer.run(insert(4, True)) == 40
    assert stored(database) == [3, 4]


def test_many_requests_at_once_are_all_answered_with_only_their_kept_writes_stored(database):
    committer = GroupCommitter(database, max_batch=4)
    answers: dict[int, object] = {}

    def submit(first: int) -> None:
        for value in range(first, first + 5):
            job = failing if value % 7 == 0 else insert(value, keep=value % 3 != 0)
            try:
                # Only a job that may answer keep=False needs its SAVEPOINT (see GroupCommitter.run).
                answers[value] = committer.run(job, isolated=value % 2 == 0 or value % 3 == 0)
            except ValueError as error:
                answers[value] = error

    threads = [threading.Thread(target=submit, args=(first,)) for first in range(1, 121, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not any(thread.is_alive() for thread in threads), "a request still waits"
    refused = {value for value in range(1, 121) if value % 7 == 0}
    assert {value for value, answer in answers.items() if isinstance(answer, ValueError)} == refused
    assert all(answers[value] == value * 10 for value in range(1, 121) if value not in refused)
    assert stored(database) == [v for v in range(1, 121) if v not in refused and v % 3 != 0]


def a_batch_held_open(committer: GroupCommitter, job):  # type: ignore[no-untyped-def]
    """A request of this process leading a batch that runs `job` only once `release` is set; answers once the
    batch has begun: (the request's thread, release)."""
    holding, release = threading.Event(), threading.Event()

    def held(session):  # type: ignore[no-untyped-def]
        holding.set()
        release.wait(timeout=30)
        return job(session)

    request = threading.Thread(target=committer.run, args=(held,))
    request.start()
    holding.wait(timeout=10)
    return request, release


def test_a_forked_child_commits_although_the_parent_was_writing_a_batch_at_the_fork(database):
    import os
    import time

    committer = GroupCommitter(database)
    # The parent's request leads a batch: in the child, nobody will.
    parent_request, release = a_batch_held_open(committer, insert(1, True))
    child = os.fork()
    if child == 0:
        try:
            database.engine.dispose(close=False)  # the parent's pooled connections stay the parent's
            os._exit(0 if committer.run(insert(2, True)) == 20 else 1)
        finally:
            os._exit(2)
    release.set()  # the parent's batch ends and frees the writers' turn, which the child then takes
    parent_request.join(timeout=30)
    deadline = time.monotonic() + 30
    while (finished := os.waitpid(child, os.WNOHANG))[0] == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    if finished[0] == 0:
        os.kill(child, 9)
        os.waitpid(child, 0)
        pytest.fail("the child's commit waited for the parent's leader")
    assert os.waitstatus_to_exitcode(finished[1]) == 0
    assert stored(database) == [1, 2]


def test_a_forked_child_waits_for_the_writers_turn_the_parent_holds(database):
    # Each process keeps its turn file open; a child must lock its own, not share the parent's lock.
    import os
    import time

    committer = GroupCommitter(database)
    assert committer.run(insert(1, True)) == 10  # the parent's turn file is open from now on
    parent_request, release = a_batch_held_open(committer, insert(2, True))  # it holds the writers' turn
    child = os.fork()
    if child == 0:
        try:
            database.engine.dispose(close=False)
            answers: list[object] = []
            request = threading.Thread(target=lambda: answers.append(committer.run(insert(3, True))))
            request.start()
            request.join(timeout=1.0)
            waited = request.is_alive()  # the parent still holds the turn
            request.join(timeout=30)
            os._exit(0 if waited and answers == [30] else 1)
        finally:
            os._exit(2)
    time.sleep(2.0)
    release.set()
    parent_request.join(timeout=30)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert stored(database) == [1, 2, 3]
