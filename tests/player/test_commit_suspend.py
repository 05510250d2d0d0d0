"""The server keeps a SCO as suspended when it leaves through a suspendAll navigation request, not only
through cmi.exit "suspend" (SCORM 2004 SN: suspendAll suspends the whole activity tree)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from lti_tool.player.models import ScoState
from tests.lti.conftest import database_url  # noqa: F401 - the engine-parametrised fixture
from tests.player.conftest import world_with_unit
from tests.player.helpers import delivered_learner

GOLF2004 = "golf2004e3_RuntimeBasicCalls"


@pytest.fixture(scope="module")
def world2004(database_url, tmp_path_factory, corpus):  # noqa: F811
    yield from world_with_unit(
        tmp_path_factory.mktemp("suspend-tool"), database_url, corpus, GOLF2004, "Golf 2004"
    )


def _suspended(world, learner) -> bool:
    with world.app.extensions["carecert"].db.session(readonly=True) as session:
        return session.scalars(select(ScoState.suspended).where(ScoState.attempt_pk == learner.attempt)).one()


@pytest.mark.parametrize(
    ("left", "suspended"),
    [
        ({"adl": {"nav": {"request": "suspendAll"}}}, True),
        ({"cmi": {"exit": "suspend"}}, True),
        ({"adl": {"nav": {"request": "exitAll"}}}, False),
        ({}, False),
    ],
)
def test_a_sco_left_by_suspendall_or_a_suspend_exit_is_stored_as_suspended(world2004, left, suspended):
    learner = delivered_learner(world2004)
    body = {**left, "cmi": {"location": "p3", **left.get("cmi", {})}, "commitSequence": 1}

    answer = learner.commit(body, delivery=learner.delivery, terminate=True)

    assert answer.status_code == 200, answer.text
    assert _suspended(world2004, learner) is suspended
