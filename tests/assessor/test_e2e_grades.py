"""End to end over real HTTP: the tool and the demo LMS (lti1p3platform, Moodle-strict scores) on loopback
ports. A learner's completion reaches the LMS gradebook; an assessor's sign-off, made in the dashboard reached
by a launch, turns PendingManual into FullyGraded; the roster lists learners who never launched."""

from __future__ import annotations

import re
import time
from datetime import UTC, date, datetime

import requests
from sqlalchemy import select

from lti_tool.db.models import ResourceLink, User
from lti_tool.grades import UnitScore, queue_score_for_result
from lti_tool.grades.embedded import start_embedded_worker

UNIT = {
    "label": "Understand your role",
    "scoreMaximum": 100,
    "tag": "carecert-unit",
    "resourceId": "catalogue:u01",
}


def _course(make_world):
    world = make_world()
    world.platform.gradebook.strict = True
    link = world.platform.add_resource_link(
        "Understand your role", custom={"unit": "catalogue:u01"}, line_item=UNIT
    )
    world.platform.add_user("assessor1", "Ann Assessor", role="TeachingAssistant")
    return world, link


def _learner_completes(world, link, user="learner1", scaled=0.85) -> None:
    """The player's part: the learner launches, and a commit completes the unit with a score."""
    assert world.driver().launch(user, link.id).status_code == 200
    db = world.tool_app.extensions["carecert"].db
    with db.session() as session:
        user_pk = session.scalars(select(User.id).where(User.sub == user)).one()
        link_pk = session.scalars(
            select(ResourceLink.id).where(ResourceLink.resource_link_id == link.id)
        ).one()
        queue_score_for_result(
            session,
            registration_id=session.get(User, user_pk).registration_id,
            user_id=user_pk,
            resource_link_id=link_pk,
            unit_result=UnitScore("completed", "passed", scaled, 1),
            produced_at=datetime.now(UTC),
        )


def _wait_for(check, seconds=30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError("timed out")


def _entry(world, link, user="learner1", grading=None):
    entry = world.platform.gradebook.entries.get((link.line_item_id, user))
    return entry if entry and (grading is None or entry.grading_progress == grading) else None


def _assessor_session(world, link) -> tuple[requests.Session, str]:
    driver = world.driver()
    page = driver.launch("assessor1", link.id)
    dashboard = re.search(r'id="assessor-dashboard" href="([^"]+)"', page.text)
    assert page.status_code == 200 and dashboard, page.text[:1000]
    return driver.session, world.tool_url + dashboard.group(1).replace("&amp;", "&")


def test_a_completion_reaches_the_gradebook_pending_the_assessors_sign_off(make_world):
    world, link = _course(make_world)
    worker = start_embedded_worker(world.tool_app, poll_seconds=0.05)
    try:
        _learner_completes(world, link)
        entry = _wait_for(lambda: _entry(world, link))
    finally:
        worker.stop()
    assert (entry.score_given, entry.score_maximum) == (85.0, 100.0)
    assert (entry.activity_progress, entry.grading_progress, entry.grade) == (
        "Completed",
        "PendingManual",
        None,
    )
    assert world.platform.tokens_issued == 1


def test_an_assessors_sign_off_turns_pending_manual_into_fully_graded(make_world):
    world, link = _course(make_world)
    worker = start_embedded_worker(world.tool_app, poll_seconds=0.05)
    try:
        _learner_completes(world, link)
        _wait_for(lambda: _entry(world, link, grading="PendingManual"))
        browser, dashboard_url = _assessor_session(world, link)
        grid = browser.get(dashboard_url, timeout=30)
        assert grid.status_code == 200 and "Awaiting sign-off" in grid.text
        signoff_url = (
            re.search(r'href="(/assessor/signoff\?[^"]+)"', grid.text).group(1).replace("&amp;", "&")
        )
        form = browser.get(world.tool_url + signoff_url, timeout=30)
        fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.text))
        fields.update(
            observed_on=date.today().isoformat(), evidence="Observed two shifts following the care plan."
        )
        answer = browser.post(world.tool_url + "/assessor/signoff", data=fields, timeout=30)
        assert answer.status_code == 200 and "Signed off" in answer.text
        entry = _wait_for(lambda: _entry(world, link, grading="FullyGraded"))
    finally:
        worker.stop()
    assert (entry.score_given, entry.grade, entry.activity_progress) == (85.0, 85.0, "Completed")
    assert "signed off by Ann Assessor" in entry.comment
    applied = [r for r in world.platform.gradebook.score_log if r.status == 200]
    assert [r.body["gradingProgress"] for r in applied] == ["PendingManual", "FullyGraded"]
    assert world.platform.tokens_issued == 1


def test_the_roster_lists_learners_who_never_launched(make_world):
    world, link = _course(make_world)
    world.platform.add_user("learner3", "Lou Neverlaunched")
    browser, dashboard_url = _assessor_session(world, link)
    token = re.search(r"lt=([^&]+)", dashboard_url).group(1)
    answer = browser.post(world.tool_url + "/assessor/roster/sync", data={"lt": token}, timeout=30)
    assert answer.status_code == 200 and "members read from the LMS" in answer.text
    for learner in ("learner1", "learner2", "learner3"):
        assert f'data-learner="{learner}"' in answer.text
    assert 'data-learner="instructor"' not in answer.text


def test_the_roster_follows_link_header_pages(make_world):
    from lti_tool.db.models import Registration
    from lti_tool.grades.roster import sync_roster

    world, link = _course(make_world)
    _assessor_session(world, link)  # records the course
    tool = world.tool_app.extensions["carecert"]
    with tool.db.session(readonly=True) as session:
        registration = session.scalars(select(Registration)).one()
        context_pk = session.scalars(
            select(ResourceLink.context_pk).where(ResourceLink.resource_link_id == link.id)
        ).one()
    result = sync_roster(
        tool.db, tool.http, registration, context_pk, world.platform.memberships_url() + "?limit=2"
    )
    assert result.problem == "" and result.members == len(world.platform.users) and result.pages >= 2
