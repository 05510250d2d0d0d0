"""With an LRS configured, a commit that moves the unit result queues that change's xAPI statements in its
own transaction: a fail then a pass inside one attempt both reach the outbox, whatever the collector does."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lti_tool.records.models import XapiOutboxRow
from tests.lti.conftest import database_url  # noqa: F401 - the engine-parametrised fixture
from tests.player.conftest import start_world
from tests.player.helpers import commit_12, delivered_learner

GOLF12 = "golf12_RuntimeBasicCalls"
UNREACHABLE_LRS = "http://127.0.0.1:9/xapi/"  # statements only queue here: no worker runs in these tests


def _world(tmp_path_factory, database_url, corpus, **config):  # noqa: F811
    world = start_world(tmp_path_factory.mktemp("xapi-commit-tool"), database_url, **config)
    world.link = world.add_unit(corpus, GOLF12, "Golf")
    return world


@pytest.fixture(scope="module")
def lrs_world(database_url, tmp_path_factory, corpus):  # noqa: F811
    world = _world(tmp_path_factory, database_url, corpus, LRS_ENDPOINT=UNREACHABLE_LRS)
    yield world
    world.stop()


def _verbs(world, attempt_pk: int) -> list[str]:
    with world.app.extensions["carecert"].db.session(readonly=True) as session:
        rows = session.scalars(
            select(XapiOutboxRow).where(XapiOutboxRow.attempt_pk == attempt_pk).order_by(XapiOutboxRow.id)
        )
        return [row.verb for row in rows]


def test_a_fail_then_a_pass_in_one_attempt_queue_both(lrs_world):
    learner = delivered_learner(lrs_world)

    first = learner.commit(
        commit_12(1, lesson_status="failed", score={"raw": "40"}), delivery=learner.delivery
    )
    second = learner.commit(
        commit_12(2, lesson_status="passed", score={"raw": "90"}), delivery=learner.delivery
    )

    assert first.status_code == 200 and second.status_code == 200, (first.text, second.text)
    verbs = _verbs(lrs_world, learner.attempt)
    assert "failed" in verbs and "passed" in verbs
    assert verbs.index("failed") < verbs.index("passed")


def test_a_page_turn_that_leaves_the_result_queues_nothing_more(lrs_world):
    learner = delivered_learner(lrs_world)
    learner.commit(commit_12(1, lesson_status="passed", score={"raw": "90"}), delivery=learner.delivery)
    before = _verbs(lrs_world, learner.attempt)

    answer = learner.commit(commit_12(2, lesson_location="7"), delivery=learner.delivery)

    assert answer.status_code == 200, answer.text
    assert _verbs(lrs_world, learner.attempt) == before


def test_without_an_lrs_nothing_is_queued(database_url, tmp_path_factory, corpus):  # noqa: F811
    world = _world(tmp_path_factory, database_url, corpus)
    try:
        learner = delivered_learner(world)
        answer = learner.commit(
            commit_12(1, lesson_status="passed", score={"raw": "90"}), delivery=learner.delivery
        )
        assert answer.status_code == 200, answer.text
        assert _verbs(world, learner.attempt) == []
    finally:
        world.stop()
