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
