"""The group committer: each job keeps or drops its own writes, a failing job fails alone, answers return."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text

from lti_tool.db import Database
from lti_tool.player.group_commit import GroupCommitter


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
