"""Attempts: the instructor's settings (maximum, new attempt after completion, which attempt counts), what a
learner's launch opens, and the attempts page a learner sees."""

from __future__ import annotations

import re
import uuid

import pytest
import requests

from demo_lms.flow import LaunchDriver
from lti_tool.player.attempts import counted_attempt
from lti_tool.player.models import UnitAttempt
from tests.player.conftest import world_with_unit
from tests.player.helpers import commit_12, open_player

GOLF12 = "golf12_RuntimeBasicCalls"


def attempt(number: int, score: float | None, completion: str = "completed", success: str = "unknown"):
    return UnitAttempt(number=number, score_scaled=score, completion=completion, success=success)


def test_the_highest_scored_attempt_counts_by_default():
    attempts = [attempt(1, 0.4), attempt(2, 0.9), attempt(3, 0.6)]
    assert counted_attempt(attempts, "highest").number == 2


def test_the_last_or_first_attempt_counts_when_the_instructor_says_so():
    attempts = [attempt(1, 0.4), attempt(2, 0.9), attempt(3, 0.6)]
    assert counted_attempt(attempts, "last").number == 3
    assert counted_attempt(attempts, "first").number == 1


def test_a_tie_on_score_goes_to_the_passed_then_the_earlier_attempt():
    attempts = [
        attempt(1, 0.8, success="failed"),
        attempt(2, 0.8, success="passed"),
        attempt(3, 0.8, success="passed"),
    ]
    assert counted_attempt(attempts, "highest").number == 2


@pytest.fixture(scope="module")
def attempts_world(tmp_path_factory, corpus):
    yield from world_with_unit(
        tmp_path_factory.mktemp("attempts-tool"), None, corpus, GOLF12, "Golf attempts"
    )


def instructor_sets(world, **form: str) -> requests.Response:
    page = LaunchDriver(world.lms.url).launch("instructor", world.link.id)
    token = re.search(r'data-launch-token="([^"]+)"', page.text).group(1)
    return requests.post(f"{world.tool.url}/player/settings", params={"lt": token}, data=form, timeout=30)


def finish(world, user_id: str):
    session = open_player(world.tool.url, world.lms.url, user_id, world.link.id)
    delivery = session.deliver()["delivery"]
    body = commit_12(1, lesson_status="passed", score={"raw": "90"}, session_time="0000:01:00")
    assert session.commit(body, delivery=delivery, terminate=True).status_code == 200
    return session


def test_a_learner_who_finished_gets_a_new_attempt_until_the_maximum_then_review(attempts_world):
    answer = instructor_sets(
        attempts_world, max_attempts="2", new_attempt_after_completion="yes", counted_attempt="last"
    )
    assert answer.status_code == 200 and 'id="settings-saved"' in answer.text
    user_id = "a-" + uuid.uuid4().hex[:6]
    attempts_world.platform.add_user(user_id, "Ann Attempts")

    first = finish(attempts_world, user_id)
    second = finish(attempts_world, user_id)
    third = open_player(attempts_world.tool.url, attempts_world.lms.url, user_id, attempts_world.link.id)

    assert (first.config["attemptNumber"], second.config["attemptNumber"]) == (1, 2)
    assert third.config["attemptNumber"] == 2 and third.config["review"] is True


def test_review_mode_delivers_without_credit(attempts_world):
    instructor_sets(
        attempts_world, max_attempts="0", new_attempt_after_completion="no", counted_attempt="highest"
    )
    user_id = "r-" + uuid.uuid4().hex[:6]
    attempts_world.platform.add_user(user_id, "Rex Review")
    finish(attempts_world, user_id)

    again = open_player(attempts_world.tool.url, attempts_world.lms.url, user_id, attempts_world.link.id)
    assert again.deliver()["seed"]["cmi"]["core"]["credit"] == "no-credit"
    assert again.config["review"] is True
    assert again.config["attemptNumber"] == 1


def test_the_attempts_page_lists_each_attempt_with_its_score(attempts_world):
    instructor_sets(
        attempts_world, max_attempts="3", new_attempt_after_completion="yes", counted_attempt="highest"
    )
    user_id = "p-" + uuid.uuid4().hex[:6]
    attempts_world.platform.add_user(user_id, "Pat Page")
    session = finish(attempts_world, user_id)

    page = requests.get(
        f"{attempts_world.tool.url}/player/attempts", params={"lt": session.token}, timeout=30
    )

    assert page.status_code == 200
    assert re.search(r'<tr data-attempt="1">.*?90%', page.text, re.S)


def test_settings_out_of_range_are_refused_with_a_reason(attempts_world):
    answer = instructor_sets(attempts_world, max_attempts="-3", counted_attempt="highest")
    assert answer.status_code == 400 and "Maximum attempts" in answer.text


def test_a_learner_cannot_change_the_settings(attempts_world):
    session = open_player(attempts_world.tool.url, attempts_world.lms.url, "learner1", attempts_world.link.id)
    answer = requests.post(
        f"{attempts_world.tool.url}/player/settings",
        params={"lt": session.token},
        data={"max_attempts": "1"},
        timeout=30,
    )
    assert answer.status_code in (401, 403)


def test_an_instructor_launch_links_to_the_unit_and_its_attempt_settings(attempts_world):
    page = LaunchDriver(attempts_world.lms.url).launch("instructor", attempts_world.link.id)

    assert 'id="open-player"' in page.text and 'id="attempt-settings"' in page.text


def test_unit_results_for_a_course_give_each_learner_their_counted_attempt(attempts_world):
    from sqlalchemy import select

    from lti_tool.db.models import ResourceLink
    from lti_tool.player.results import unit_results_for_context

    instructor_sets(
        attempts_world, max_attempts="0", new_attempt_after_completion="yes", counted_attempt="highest"
    )
    user_id = "c-" + uuid.uuid4().hex[:6]
    attempts_world.platform.add_user(user_id, "Cat Course")
    finish(attempts_world, user_id)
    db = attempts_world.app.extensions["carecert"].db
    with db.session(readonly=True) as session:
        link = session.scalars(
            select(ResourceLink).where(ResourceLink.resource_link_id == attempts_world.link.id)
        ).one()
        results = unit_results_for_context(
            session, registration_id=link.registration_id, context_id=link.context_pk
        )

    (mine,) = [r for r in results if r.user_sub == user_id]
    assert (mine.attempts, mine.counted_attempt, mine.completion, mine.success) == (
        1,
        1,
        "completed",
        "passed",
    )
    assert mine.score_scaled == 0.9 and mine.unit_title == "Golf attempts"
