"""Commits of one SCO that race: each is checked before the writer's turn, and the write notices when another
commit of the same SCO was stored in between (the locked path then checks it again). Also how long a
launch token's facts are kept, and a writer's job without a SAVEPOINT that fails."""

from __future__ import annotations

import json
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import text

from lti_tool.db import Database
from lti_tool.db.models import utcnow
from lti_tool.player.access import LaunchCache, PlayerLaunch
from lti_tool.player.commit_plan import CommitRequest, plan_commit
from lti_tool.player.group_commit import DriverJob, GroupCommitter, committer_for
from tests.lti.conftest import database_url  # noqa: F401 - the engine-parametrised fixture
from tests.player.conftest import world_with_unit
from tests.player.helpers import commit_12, delivered_learner
from tests.player.state import attempts_of, sco_values

GOLF12 = "golf12_RuntimeBasicCalls"


@pytest.fixture(scope="module")
def race_world(database_url, tmp_path_factory, corpus):  # noqa: F811
    yield from world_with_unit(tmp_path_factory.mktemp("race-tool"), database_url, corpus, GOLF12, "Golf")


@pytest.fixture
def learner(race_world):
    return delivered_learner(race_world, "Racing Learner")


def planned(world, learner, body: dict):  # type: ignore[no-untyped-def]
    """The commit checked in this thread as the endpoint does; its writer's job, not run yet."""
    wanted = CommitRequest(
        token=learner.token,
        attempt_id=learner.attempt,
        item_id="item_1",
        delivery=learner.delivery,
        terminate=False,
        body=json.dumps(body).encode(),
    )
    job = plan_commit(
        world.app.extensions["carecert"].db,
        wanted,
        str(world.app.extensions["carecert"].settings["DATA_DIR"]),
    )
    assert callable(job), job
    return job


def run(world, job):  # type: ignore[no-untyped-def]
    return committer_for(world.app.extensions["carecert"].db).run(job, isolated=False)


def test_a_commit_overtaken_by_a_newer_one_while_waiting_is_refused_as_out_of_order(race_world, learner):
    older = planned(race_world, learner, commit_12(2, lesson_location="old"))
    newer = learner.commit(commit_12(3, lesson_location="new"), delivery=learner.delivery)

    answer, status = run(race_world, older)

    assert newer.status_code == 200
    assert (status, answer["code"]) == (409, "COMMIT-OUT-OF-ORDER")
    assert sco_values(race_world.app, learner.attempt, "item_1")["cmi.core.lesson_location"] == "new"


def test_two_copies_of_one_commit_in_flight_store_it_once_and_answer_the_second_as_a_replay(
    race_world, learner
):
    body = commit_12(4, lesson_location="twice", lesson_status="passed", score={"raw": "90"})
    first, second = planned(race_world, learner, body), planned(race_world, learner, body)

    answers = [run(race_world, first), run(race_world, second)]

    assert [(status, answer["code"]) for answer, status in answers] == [
        (200, "COMMIT-STORED"),
        (200, "COMMIT-REPLAYED"),
    ]
    (attempt,) = attempts_of(race_world.app, learner.user_id)
    assert (attempt.success, attempt.score_scaled) == ("passed", 0.9)


def test_commits_that_move_no_grade_are_driver_jobs_and_fall_back_to_the_locked_path_on_a_miss(
    race_world, learner
):
    assert learner.commit(commit_12(2, lesson_location="first"), delivery=learner.delivery).status_code == 200
    body = commit_12(3, lesson_location="twice")
    first, second = planned(race_world, learner, body), planned(race_world, learner, body)
    overtaken = planned(race_world, learner, commit_12(4, lesson_location="old"))
    assert all(isinstance(job, DriverJob) for job in (first, second, overtaken))

    answers = [run(race_world, first), run(race_world, second)]
    newer = learner.commit(commit_12(5, lesson_location="new"), delivery=learner.delivery)
    answer, status = run(race_world, overtaken)

    assert [(status, answer["code"]) for answer, status in answers] == [
        (200, "COMMIT-STORED"),
        (200, "COMMIT-REPLAYED"),
    ]
    assert newer.status_code == 200 and (status, answer["code"]) == (409, "COMMIT-OUT-OF-ORDER")
    assert sco_values(race_world.app, learner.attempt, "item_1")["cmi.core.lesson_location"] == "new"


def test_a_commit_checked_against_a_state_that_moved_is_validated_again_against_the_new_one(
    race_world, learner
):
    # Checked against the stored state, then a terminate commit ends the session before its write.
    waiting = planned(race_world, learner, commit_12(2, lesson_location="late"))
    ended = learner.commit(commit_12(1, lesson_location="end"), delivery=learner.delivery, terminate=True)

    answer, status = run(race_world, waiting)

    assert ended.status_code == 200
    assert (status, answer["code"]) == (422, "COMMIT-VALUE-REFUSED")  # the session has ended meanwhile
    assert sco_values(race_world.app, learner.attempt, "item_1")["cmi.core.lesson_location"] == "end"


def test_a_launch_is_kept_for_its_seconds_only():
    cache = LaunchCache(seconds=0.0)
    launch = PlayerLaunch(1, 2, 3, "learner")
    cache.keep(("db", "token"), launch, utcnow() + timedelta(hours=1))

    assert cache.kept(("db", "token")) is None


def test_a_kept_launch_is_dropped_once_its_token_has_expired():
    cache = LaunchCache(seconds=60.0)
    launch = PlayerLaunch(1, 2, 3, "learner")
    cache.keep(("db", "live"), launch, utcnow() + timedelta(hours=1))
    cache.keep(("db", "expired"), launch, utcnow() - timedelta(seconds=1))

    assert cache.kept(("db", "live")) == launch
    assert cache.kept(("db", "expired")) is None
    assert cache.kept(("other-db", "live")) is None


def test_a_failing_job_without_a_savepoint_rolls_its_batch_back_and_the_others_run_again(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'group.sqlite3'}")
    with db.engine.begin() as connection:
        connection.execute(text("CREATE TABLE marks (value INTEGER)"))
    committer = GroupCommitter(db)
    started = threading.Event()

    def slow_insert(session):  # type: ignore[no-untyped-def]
        started.wait(timeout=10)  # holds the writer so that the next two share a batch
        session.execute(text("INSERT INTO marks (value) VALUES (1)"))
        return "kept", True

    def insert_then_fail(session):  # type: ignore[no-untyped-def]
        session.execute(text("INSERT INTO marks (value) VALUES (99)"))
        raise ValueError("refused")

    def insert_two(session):  # type: ignore[no-untyped-def]
        session.execute(text("INSERT INTO marks (value) VALUES (2)"))
        return "kept too", True

    answers: dict[str, object] = {}

    def submit(name: str, job) -> None:  # type: ignore[no-untyped-def]
        try:
            answers[name] = committer.run(job, isolated=False)
        except ValueError as error:
            answers[name] = error

    jobs = {"slow": slow_insert, "failing": insert_then_fail, "two": insert_two}
    threads = [threading.Thread(target=submit, args=item) for item in jobs.items()]
    for thread in threads:
        thread.start()
        time.sleep(0.1)  # in this order: the slow job's batch first, the other two queue behind it
    started.set()
    for thread in threads:
        thread.join(timeout=30)

    with db.engine.connect() as connection:
        stored = sorted(v for (v,) in connection.execute(text("SELECT value FROM marks")))
    db.dispose()
    assert stored == [1, 2]
    assert answers["slow"] == "kept" and answers["two"] == "kept too"
    assert isinstance(answers["failing"], ValueError)
