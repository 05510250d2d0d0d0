"""A learner starting a new attempt themselves: offered only while the instructor's settings allow one, a
plain confirmation first, checked again by the server (a forged form beyond the limit is refused with a
reason, never a 500), and the attempts page lists every attempt with its score and the one that counts."""

from __future__ import annotations

import re
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from demo_lms.flow import LaunchDriver
from tests.databases import ENGINES, throwaway_database
from tests.player.conftest import start_world
from tests.player.helpers import PlayerSession, commit_12, open_player

GOLF12 = "golf12_RuntimeBasicCalls"


@pytest.fixture(scope="module", params=ENGINES)
def new_attempt_world(request, tmp_path_factory, corpus):
    folder = tmp_path_factory.mktemp("new-attempt-tool")
    with throwaway_database(request.param, folder, "tool.sqlite") as database_url:
        world = start_world(folder, database_url)
        world.link = world.add_unit(corpus, GOLF12, "Golf new attempts")
        yield world
        world.stop()


def instructor_sets(world, **form: str) -> None:
    page = LaunchDriver(world.lms.url).launch("instructor", world.link.id)
    token = re.search(r'data-launch-token="([^"]+)"', page.text).group(1)
    answer = requests.post(f"{world.tool.url}/player/settings", params={"lt": token}, data=form, timeout=30)
    assert answer.status_code == 200, answer.text[:500]


def new_learner(world, prefix: str) -> str:
    user_id = f"{prefix}-{uuid.uuid4().hex[:6]}"
    world.platform.add_user(user_id, f"Learner {prefix}")
    return user_id


def play(world, user_id: str, raw_score: str, status: str = "passed") -> PlayerSession:
    """Launch, then finish the open attempt with this score (the SCO's own commit at LMSFinish)."""
    session = open_player(world.tool.url, world.lms.url, user_id, world.link.id)
    delivery = session.deliver()["delivery"]
    body = commit_12(1, lesson_status=status, score={"raw": raw_score}, session_time="0000:01:00")
    assert session.commit(body, delivery=delivery, terminate=True).status_code == 200
    return session


def post_new_attempt(world, token: str, after: str) -> requests.Response:
    return requests.post(
        f"{world.tool.url}/player/attempts/new",
        params={"lt": token},
        data={"after": after},
        allow_redirects=False,
        timeout=30,
    )


def test_a_finished_learner_with_attempts_left_is_offered_a_new_attempt(new_attempt_world):
    instructor_sets(new_attempt_world, max_attempts="3", new_attempt_after_completion="no")
    user_id = new_learner(new_attempt_world, "offer")
    session = play(new_attempt_world, user_id, "60")

    page = requests.get(f"{new_attempt_world.tool.url}/player", params={"lt": session.token}, timeout=30)
    confirm = requests.get(
        f"{new_attempt_world.tool.url}/player/attempts/new", params={"lt": session.token}, timeout=30
    )

    assert 'id="new-attempt-link"' in page.text and 'id="review-notice"' in page.text
    assert "Your current progress in this attempt will be kept as attempt 1." in confirm.text
    assert "After this you will have 1 attempt left." in confirm.text


def test_starting_a_new_attempt_opens_the_player_on_it_and_keeps_the_first(new_attempt_world):
    instructor_sets(new_attempt_world, max_attempts="3", new_attempt_after_completion="no")
    user_id = new_learner(new_attempt_world, "start")
    session = play(new_attempt_world, user_id, "60")

    answer = post_new_attempt(new_attempt_world, session.token, "1")
    player = requests.get(new_attempt_world.tool.url + answer.headers["Location"], timeout=30)

    assert answer.status_code == 303
    assert "attempt 2" in player.text and 'id="review-notice"' not in player.text
    again = open_player(
        new_attempt_world.tool.url, new_attempt_world.lms.url, user_id, new_attempt_world.link.id
    )
    assert again.config["attemptNumber"] == 2 and again.config["review"] is False


def test_a_forged_new_attempt_beyond_the_maximum_is_refused_with_a_reason(new_attempt_world):
    instructor_sets(new_attempt_world, max_attempts="1", new_attempt_after_completion="no")
    user_id = new_learner(new_attempt_world, "limit")
    session = play(new_attempt_world, user_id, "60")

    page = requests.get(f"{new_attempt_world.tool.url}/player", params={"lt": session.token}, timeout=30)
    answer = post_new_attempt(new_attempt_world, session.token, "1")

    assert 'id="new-attempt-link"' not in page.text
    assert answer.status_code == 409
    assert 'data-code="ATTEMPT-LIMIT-REACHED"' in answer.text
    assert "You have used all 1 of your attempts." in answer.text
    again = open_player(
        new_attempt_world.tool.url, new_attempt_world.lms.url, user_id, new_attempt_world.link.id
    )
    assert again.config["attemptNumber"] == 1


def test_an_unfinished_attempt_is_carried_on_rather_than_replaced(new_attempt_world):
    instructor_sets(new_attempt_world, max_attempts="0", new_attempt_after_completion="no")
    user_id = new_learner(new_attempt_world, "unfinished")
    session = open_player(
        new_attempt_world.tool.url, new_attempt_world.lms.url, user_id, new_attempt_world.link.id
    )

    answer = post_new_attempt(new_attempt_world, session.token, "1")

    assert answer.status_code == 409 and 'data-code="ATTEMPT-NOT-FINISHED"' in answer.text
    assert "Finish your current attempt first" in answer.text


def test_sending_the_confirmation_twice_starts_only_one_attempt(new_attempt_world):
    instructor_sets(new_attempt_world, max_attempts="0", new_attempt_after_completion="no")
    user_id = new_learner(new_attempt_world, "twice")
    session = play(new_attempt_world, user_id, "60")

    first = post_new_attempt(new_attempt_world, session.token, "1")
    second = post_new_attempt(new_attempt_world, session.token, "1")

    assert first.status_code == 303
    assert second.status_code == 409 and 'data-code="ATTEMPT-ALREADY-STARTED"' in second.text


@pytest.mark.parametrize("after", ["", "x", "-1", "9999999"])
def test_a_malformed_confirmation_is_refused_not_an_error(new_attempt_world, after):
    instructor_sets(new_attempt_world, max_attempts="0", new_attempt_after_completion="no")
    user_id = new_learner(new_attempt_world, "bad")
    session = play(new_attempt_world, user_id, "60")

    answer = post_new_attempt(new_attempt_world, session.token, after)

    assert answer.status_code == 409, answer.text[:300]


def test_confirmations_sent_at_the_same_moment_start_one_attempt(new_attempt_world):
    instructor_sets(new_attempt_world, max_attempts="0", new_attempt_after_completion="no")
    user_id = new_learner(new_attempt_world, "race")
    session = play(new_attempt_world, user_id, "60")

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda _: post_new_attempt(new_attempt_world, session.token, "1"), range(4)))

    assert sorted(answer.status_code for answer in answers) == [303, 409, 409, 409]
    again = open_player(
        new_attempt_world.tool.url, new_attempt_world.lms.url, user_id, new_attempt_world.link.id
    )
    assert again.config["attemptNumber"] == 2


def test_a_new_attempt_without_a_launch_token_is_refused(new_attempt_world):
    answer = requests.post(
        f"{new_attempt_world.tool.url}/player/attempts/new", data={"after": "1"}, timeout=30
    )
    assert answer.status_code in (401, 403)


def test_the_attempts_page_marks_the_attempt_that_counts(new_attempt_world):
    instructor_sets(
        new_attempt_world, max_attempts="0", new_attempt_after_completion="yes", counted_attempt="highest"
    )
    user_id = new_learner(new_attempt_world, "counts")
    play(new_attempt_world, user_id, "40", status="failed")
    play(new_attempt_world, user_id, "90")
    session = play(new_attempt_world, user_id, "70")

    page = requests.get(
        f"{new_attempt_world.tool.url}/player/attempts", params={"lt": session.token}, timeout=30
    )

    rows = re.findall(r'<tr data-attempt="(\d)">(.*?)</tr>', page.text, re.S)
    assert [number for number, _ in rows] == ["1", "2", "3"]
    assert ["40%" in rows[0][1], "90%" in rows[1][1], "70%" in rows[2][1]] == [True, True, True]
    assert [('id="counted-attempt"' in cells) for _, cells in rows] == [False, True, False]


def stop_half_way(world, user_id: str) -> PlayerSession:
    """Launch and leave the unit unfinished, with a place to resume from."""
    session = open_player(world.tool.url, world.lms.url, user_id, world.link.id)
    delivery = session.deliver()["delivery"]
    body = commit_12(1, lesson_status="incomplete", lesson_location="page-4", exit="suspend")
    assert session.commit(body, delivery=delivery, terminate=True).status_code == 200
    return session


def test_by_default_an_unfinished_learner_is_not_offered_to_start_again(new_attempt_world):
    instructor_sets(new_attempt_world, max_attempts="0", new_attempt_after_completion="no")
    session = stop_half_way(new_attempt_world, new_learner(new_attempt_world, "carry-on"))

    page = requests.get(f"{new_attempt_world.tool.url}/player", params={"lt": session.token}, timeout=30)

    assert 'id="new-attempt-link"' not in page.text


def test_an_instructor_can_let_learners_start_again_before_finishing(new_attempt_world):
    instructor_sets(
        new_attempt_world,
        max_attempts="0",
        new_attempt_after_completion="no",
        new_attempt_before_finishing="yes",
    )
    user_id = new_learner(new_attempt_world, "restart")
    session = stop_half_way(new_attempt_world, user_id)

    page = requests.get(f"{new_attempt_world.tool.url}/player", params={"lt": session.token}, timeout=30)
    confirm = requests.get(
        f"{new_attempt_world.tool.url}/player/attempts/new", params={"lt": session.token}, timeout=30
    )
    started = post_new_attempt(new_attempt_world, session.token, "1")
    again = open_player(
        new_attempt_world.tool.url, new_attempt_world.lms.url, user_id, new_attempt_world.link.id
    )
    fresh = again.deliver()

    assert 'id="new-attempt-link"' in page.text
    assert "You have not finished attempt 1." in confirm.text  # the learner is told what is left behind
    assert started.status_code == 303
    assert again.config["attemptNumber"] == 2
    core = fresh["seed"]["cmi"]["core"]
    assert core["entry"] == "ab-initio" and core.get("lesson_location", "") == ""
    listed = requests.get(
        f"{new_attempt_world.tool.url}/player/attempts", params={"lt": again.token}, timeout=30
    )
    assert re.findall(r'<tr data-attempt="(\d)">', listed.text) == ["1", "2"]  # the unfinished one is kept


def test_starting_again_before_finishing_still_respects_the_attempt_limit(new_attempt_world):
    instructor_sets(
        new_attempt_world,
        max_attempts="1",
        new_attempt_after_completion="no",
        new_attempt_before_finishing="yes",
    )
    session = stop_half_way(new_attempt_world, new_learner(new_attempt_world, "limit-restart"))

    answer = post_new_attempt(new_attempt_world, session.token, "1")

    assert answer.status_code == 409 and 'data-code="ATTEMPT-LIMIT-REACHED"' in answer.text
