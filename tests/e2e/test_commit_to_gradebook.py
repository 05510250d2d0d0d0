"""From a learner's real commit to the LMS gradebook, over real HTTP, on SQLite and PostgreSQL.

The learner launches from the demo LMS (lti1p3platform, Moodle-strict scores) into a catalogue unit, the
player delivers its SCO, and the SCO's commits go to /player/commit exactly as scorm-again sends them (JSON
with commitSequence). The delivery worker then posts the scores: the gradebook must hold the unit's result,
in the order it happened, and the assessor's sign-off after observing the learner at work must turn
PendingManual into FullyGraded.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
import requests

from lti_tool.grades.worker import DeliveryWorker
from tests.lti.conftest import database_url  # noqa: F401 - the engine-parametrised fixture
from tests.player.conftest import start_world
from tests.player.helpers import PlayerSession, open_player

UNIT = {"label": "Understand your role", "scoreMaximum": 100}


@pytest.fixture
def course(database_url, tmp_path: Path):  # noqa: F811
    world = start_world(tmp_path / "tool", database_url)
    world.platform.gradebook.strict = True
    world.link = world.platform.add_resource_link(
        "Understand your role", custom={"unit": "catalogue:u01"}, line_item=UNIT
    )
    world.platform.add_user("assessor1", "Ann Assessor", role="TeachingAssistant")
    yield world
    world.stop()


def commit_2004(sequence: int, **cmi: object) -> dict:
    """A SCORM 2004 commit as scorm-again renders it (json format with commitSequence)."""
    return {"cmi": dict(cmi), "commitSequence": sequence}


def deliver_scores(world) -> None:  # type: ignore[no-untyped-def]
    worker = DeliveryWorker(world.app.extensions["carecert"].db, poll_seconds=0.05)
    try:
        worker.run_until_idle()
    finally:
        worker.close()


def applied(world) -> list[dict]:  # type: ignore[no-untyped-def]
    return [record.body for record in world.platform.gradebook.score_log if record.status == 200]


def timestamp(body: dict) -> datetime:
    return datetime.fromisoformat(body["timestamp"].replace("Z", "+00:00"))


def commit(learner: PlayerSession, delivery: int, body: dict, terminate: bool = False) -> dict:
    answer = learner.commit(body, delivery=delivery, terminate=terminate)
    assert answer.status_code == 200, answer.text[:1000]
    return answer.json()


def sign_off(world, learner_id: str = "learner1") -> None:  # type: ignore[no-untyped-def]
    """The assessor launches, opens the dashboard and signs the learner off, all over HTTP."""
    from demo_lms.flow import LaunchDriver

    driver = LaunchDriver(world.lms.url)
    page = driver.launch("assessor1", world.link.id)
    dashboard = re.search(r'id="assessor-dashboard" href="([^"]+)"', page.text)
    assert page.status_code == 200 and dashboard, page.text[:1000]
    browser: requests.Session = driver.session
    grid = browser.get(world.tool.url + dashboard.group(1).replace("&amp;", "&"), timeout=30)
    assert grid.status_code == 200 and "Awaiting sign-off" in grid.text, grid.text[:1000]
    link = re.search(r'href="(/assessor/signoff\?[^"]+)"', grid.text)
    form = browser.get(world.tool.url + link.group(1).replace("&amp;", "&"), timeout=30)
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.text))
    fields.update(
        observed_on=date.today().isoformat(), evidence="Observed two shifts following the care plan."
    )
    answer = browser.post(world.tool.url + "/assessor/signoff", data=fields, timeout=30)
    assert answer.status_code == 200 and "Signed off" in answer.text, answer.text[:1000]


def test_a_learners_commits_reach_the_gradebook_and_the_sign_off_grades_them(course):
    learner = open_player(course.tool.url, course.lms.url, "learner1", course.link.id)
    delivery = learner.deliver()["delivery"]

    # The learner starts: the gradebook hears the unit is in progress, with nothing to grade yet.
    commit(learner, delivery, commit_2004(1, completion_status="incomplete", location="p02"))
    deliver_scores(course)
    assert [(b["activityProgress"], b["gradingProgress"]) for b in applied(course)] == [
        ("InProgress", "NotReady")
    ]

    # The knowledge check is passed and the SCO ends: completed, passed, 90 of 100, awaiting observation.
    finished = commit(
        learner,
        delivery,
        commit_2004(
            2,
            completion_status="completed",
            success_status="passed",
            score={"scaled": "0.9", "raw": "90", "min": "0", "max": "100"},
            session_time="PT6M30S",
            exit="normal",
        ),
        terminate=True,
    )
    assert (finished["unit"]["completion"], finished["unit"]["success"]) == ("completed", "passed")
    deliver_scores(course)
    entry = course.platform.gradebook.entries[(course.link.line_item_id, "learner1")]
    assert (entry.score_given, entry.score_maximum) == (90.0, 100.0)
    assert (entry.activity_progress, entry.grading_progress) == ("Completed", "PendingManual")
    assert entry.grade is None  # Moodle leaves the grade empty until it is FullyGraded

    # The assessor observes the learner at work and signs the unit off: now it is graded.
    sign_off(course)
    deliver_scores(course)
    entry = course.platform.gradebook.entries[(course.link.line_item_id, "learner1")]
    assert (entry.score_given, entry.score_maximum, entry.grade) == (90.0, 100.0, 90.0)
    assert (entry.activity_progress, entry.grading_progress) == ("Completed", "FullyGraded")
    assert "signed off by Ann Assessor" in entry.comment

    bodies = applied(course)
    assert [b["gradingProgress"] for b in bodies] == ["NotReady", "PendingManual", "FullyGraded"]
    moments = [timestamp(b) for b in bodies]
    assert moments == sorted(moments) and len(set(moments)) == 3  # each strictly later than the last
    assert all(b["userId"] == "learner1" for b in bodies)
    assert course.platform.tokens_issued == 1  # one token for the registration, whatever it sent


def test_a_commit_that_does_not_change_the_result_sends_nothing(course):
    learner = open_player(course.tool.url, course.lms.url, "learner1", course.link.id)
    delivery = learner.deliver()["delivery"]
    commit(learner, delivery, commit_2004(1, completion_status="incomplete", location="p02"))
    deliver_scores(course)

    commit(learner, delivery, commit_2004(2, location="p03", suspend_data="page=3"))
    commit(learner, delivery, commit_2004(3, location="p04", suspend_data="page=4"))
    deliver_scores(course)

    assert len(applied(course)) == 1
    assert len(course.platform.gradebook.score_log) == 1
