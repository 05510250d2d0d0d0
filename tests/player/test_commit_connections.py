"""Commits on PostgreSQL when the server drops the tool's connections (a restart, pg_terminate_backend): the
next commit is stored, and a write whose connection drops under it runs once more on a new one."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from lti_tool.player.group_commit import DriverJob, committer_for
from tests.lti.conftest import database_url  # noqa: F401 - the engine-parametrised fixture
from tests.player.conftest import world_with_unit
from tests.player.helpers import commit_12, delivered_learner
from tests.player.state import sco_values

GOLF12 = "golf12_RuntimeBasicCalls"


@pytest.fixture(scope="module")
def pg_world(database_url, tmp_path_factory, corpus):  # noqa: F811
    if not database_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL server's dropped connections")
    yield from world_with_unit(tmp_path_factory.mktemp("dropped-tool"), database_url, corpus, GOLF12, "Golf")


@pytest.fixture
def server(pg_world):  # type: ignore[no-untyped-def]
    """A connection of the test's own to the tool's database."""
    engine = create_engine(
        pg_world.app.extensions["carecert"].db.url, poolclass=NullPool, isolation_level="AUTOCOMMIT"
    )
    with engine.connect() as connection:
        yield connection
    engine.dispose()


def end_sessions(server, pids: list[int] | None = None) -> int:  # type: ignore[no-untyped-def]
    """End the tool's sessions (all of them, as a restart does, or those of `pids`), waiting until gone."""
    if pids is None:
        pids = list(
            server.execute(
                text(
                    "SELECT pid FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            ).scalars()
        )
    for pid in pids:
        server.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid})
    return len(pids)


def test_a_commit_after_the_server_ended_every_session_is_stored(pg_world, server):  # type: ignore[no-untyped-def]
    learner = delivered_learner(pg_world)
    before = learner.commit(commit_12(2, lesson_location="before"), delivery=learner.delivery)
    assert before.status_code == 200

    assert end_sessions(server) > 0
    answer = learner.commit(commit_12(3, lesson_location="after"), delivery=learner.delivery)

    assert answer.status_code == 200, answer.text
    assert answer.json()["code"] == "COMMIT-STORED"
    assert sco_values(pg_world.app, learner.attempt, "item_1")["cmi.core.lesson_location"] == "after"


def test_a_write_whose_connection_drops_under_it_runs_once_more_on_a_new_one(pg_world, server):  # type: ignore[no-untyped-def]
    database = pg_world.app.extensions["carecert"].db
    backends: list[int] = []

    def insert_after_a_drop(cursor):  # type: ignore[no-untyped-def]
        backends.append(cursor.connection.info.backend_pid)
        if len(backends) == 1:
            end_sessions(server, backends)  # after the connection was checked, before the statement
        cursor.execute("SELECT 1")
        return ("stored", 200), True

    answer = committer_for(database).run(DriverJob(insert_after_a_drop, lambda: None, one_statement=True))

    assert answer == ("stored", 200)
    assert len(backends) == 2 and backends[0] != backends[1]


def test_on_postgresql_each_request_writes_its_own_job_and_a_refused_or_failing_one_leaves_nothing(
    pg_world, server
):  # type: ignore[no-untyped-def]
    database = pg_world.app.extensions["carecert"].db
    committer = committer_for(database)
    server.execute(text("CREATE TABLE IF NOT EXISTS own_notes (body TEXT)"))

    def insert(body: str, keep: bool):  # type: ignore[no-untyped-def]
        def job(session):  # type: ignore[no-untyped-def]
            session.execute(text("INSERT INTO own_notes (body) VALUES (:body)"), {"body": body})
            return body, keep

        return job

    def failing(session):  # type: ignore[no-untyped-def]
        session.execute(text("INSERT INTO own_notes (body) VALUES ('failed')"))
        raise RuntimeError("the job failed after writing")

    assert committer.run(insert("kept", True)) == "kept"
    assert committer.run(insert("refused", False)) == "refused"
    with pytest.raises(RuntimeError):
        committer.run(failing)
    driver = DriverJob(lambda cursor: None, lambda: insert("fallback", True), one_statement=True)
    assert committer.run(driver) == "fallback"  # wrote nothing at the driver: its fallback answers

    stored = server.execute(text("SELECT body FROM own_notes ORDER BY body")).scalars()
    assert list(stored) == ["fallback", "kept"]
