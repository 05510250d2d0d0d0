"""The commit endpoint against a learner's real launch, on SQLite and PostgreSQL: what it stores, and how
it refuses what a hostile or confused browser sends (nothing of a refused commit is stored)."""

from __future__ import annotations

import pytest

from tests.lti.conftest import database_url  # noqa: F401 - the engine-parametrised fixture
from tests.player.conftest import world_with_unit
from tests.player.helpers import commit_12, delivered_learner, open_player
from tests.player.state import attempts_of, sco_values

GOLF12 = "golf12_RuntimeBasicCalls"


@pytest.fixture(scope="module")
def commit_world(database_url, tmp_path_factory, corpus):  # noqa: F811
    yield from world_with_unit(tmp_path_factory.mktemp("commit-tool"), database_url, corpus, GOLF12, "Golf")


@pytest.fixture
def learner(commit_world):
    return delivered_learner(commit_world)


def stored(world, learner) -> dict[str, str]:
    return sco_values(world.app, learner.attempt, "item_1")


def test_a_valid_commit_is_stored_and_updates_the_unit_result(commit_world, learner):
    body = commit_12(1, lesson_status="passed", lesson_location="3", score={"raw": "85"})

    answer = learner.commit(body, delivery=learner.delivery)

    assert answer.status_code == 200, answer.text
    assert answer.json()["result"] is True and answer.json()["unit"]["success"] == "passed"
    assert stored(commit_world, learner)["cmi.core.lesson_location"] == "3"
    (attempt,) = attempts_of(commit_world.app, learner.user_id)
    assert (attempt.completion, attempt.success, attempt.score_scaled) == ("completed", "passed", 0.85)


def test_a_beacon_commit_sent_as_text_plain_is_stored(commit_world, learner):
    answer = learner.commit(
        commit_12(1, lesson_location="9"), delivery=learner.delivery, content_type="text/plain"
    )

    assert answer.status_code == 200, answer.text
    assert stored(commit_world, learner)["cmi.core.lesson_location"] == "9"


def test_a_terminate_commit_ends_the_session_and_adds_the_session_time(commit_world, learner):
    body = commit_12(1, lesson_status="incomplete", session_time="0000:05:00", exit="suspend")

    assert learner.commit(body, delivery=learner.delivery, terminate=True).status_code == 200

    values = stored(commit_world, learner)
    assert values["cmi.core.total_time"] == "00:05:00"
    next_delivery = learner.deliver()
    assert next_delivery["entry"] == "resume"


def test_a_value_the_data_model_refuses_is_refused_with_element_and_reason(commit_world, learner):
    learner.commit(commit_12(1, lesson_location="1"), delivery=learner.delivery)

    answer = learner.commit(
        commit_12(2, lesson_location="2", lesson_status="finished"), delivery=learner.delivery
    )

    assert answer.status_code == 422
    (refusal,) = answer.json()["refusals"]
    assert refusal["element"] == "cmi.core.lesson_status" and refusal["reason"]
    assert stored(commit_world, learner)["cmi.core.lesson_location"] == "1"  # nothing of it was stored


def test_a_score_above_100_is_refused_and_nothing_is_stored(commit_world, learner):
    answer = learner.commit(
        commit_12(1, lesson_location="5", score={"raw": "150"}), delivery=learner.delivery
    )

    assert answer.status_code == 422
    assert answer.json()["refusals"][0]["element"] == "cmi.core.score.raw"
    assert "cmi.core.lesson_location" not in stored(commit_world, learner)


def test_a_read_only_value_changed_by_the_browser_is_refused(commit_world, learner):
    answer = learner.commit(commit_12(1, student_id="someone-else"), delivery=learner.delivery)

    assert answer.status_code == 422
    assert answer.json()["refusals"][0]["element"] == "cmi.core.student_id"


def test_another_learners_attempt_is_refused(commit_world, learner):
    commit_world.platform.add_user("other-learner", "Other Learner")
    other = open_player(commit_world.tool.url, commit_world.lms.url, "other-learner", commit_world.link.id)
    other_delivery = other.deliver()["delivery"]

    answer = learner.commit(commit_12(1, lesson_location="7"), delivery=other_delivery, attempt=other.attempt)

    assert answer.status_code == 403
    assert answer.json()["code"] == "COMMIT-NOT-YOUR-ATTEMPT"
    assert "cmi.core.lesson_location" not in sco_values(commit_world.app, other.attempt, "item_1")


def test_a_repeated_sequence_number_with_the_same_body_is_answered_without_storing_again(
    commit_world, learner
):
    body = commit_12(1, lesson_location="4")
    assert learner.commit(body, delivery=learner.delivery).status_code == 200

    again = learner.commit(body, delivery=learner.delivery)

    assert again.status_code == 200 and again.json()["code"] == "COMMIT-REPLAYED"


def test_a_replayed_sequence_number_with_other_data_is_refused(commit_world, learner):
    assert learner.commit(commit_12(3, lesson_location="4"), delivery=learner.delivery).status_code == 200

    replay = learner.commit(commit_12(3, lesson_location="8"), delivery=learner.delivery)
    older = learner.commit(commit_12(2, lesson_location="8"), delivery=learner.delivery)

    assert (replay.status_code, replay.json()["code"]) == (409, "COMMIT-SEQUENCE-REPEATED")
    assert (older.status_code, older.json()["code"]) == (409, "COMMIT-OUT-OF-ORDER")
    assert stored(commit_world, learner)["cmi.core.lesson_location"] == "4"


def test_a_commit_from_an_older_page_is_refused_as_stale(commit_world, learner):
    newer = learner.deliver()["delivery"]  # the unit opened again in another tab

    answer = learner.commit(commit_12(5, lesson_location="2"), delivery=learner.delivery)

    assert newer > learner.delivery
    assert (answer.status_code, answer.json()["code"]) == (409, "COMMIT-STALE")


def test_a_10_megabyte_body_is_refused_and_nothing_is_stored(commit_world, learner):
    huge = commit_12(1, lesson_location="1")
    huge["cmi"]["suspend_data"] = "x" * (10 * 1024 * 1024)

    answer = learner.commit(huge, delivery=learner.delivery)

    assert answer.status_code == 413
    assert answer.json()["code"] == "COMMIT-TOO-LARGE"
    assert "cmi.core.lesson_location" not in stored(commit_world, learner)


def test_a_body_that_is_not_json_or_has_no_sequence_is_refused(commit_world, learner):
    assert learner.commit(b"<xml/>", delivery=learner.delivery).status_code == 400
    answer = learner.commit({"cmi": {"core": {"lesson_location": "1"}}}, delivery=learner.delivery)
    assert (answer.status_code, answer.json()["code"]) == (400, "COMMIT-NO-SEQUENCE")


def test_a_commit_without_a_valid_launch_token_is_refused(commit_world, learner):
    learner.config["token"] = "not-a-token"

    answer = learner.commit(commit_12(1, lesson_location="1"), delivery=learner.delivery)

    assert answer.status_code == 401


def test_package_files_need_the_launch_grant(commit_world, learner):
    prefix = learner.config["contentBase"]  # /content/<package>/<hash>/<user>.<expiry>.<mac>/
    *start, grant, _ = prefix.split("/")
    user, expiry, mac = grant.split(".")
    other_user = "/".join([*start, f"{int(user) + 1}.{expiry}.{mac}", ""])
    base = commit_world.tool.url + prefix
    good = learner.http.get(base + "shared/launchpage.html", timeout=30)
    forged = learner.http.get(commit_world.tool.url + other_user + "shared/launchpage.html", timeout=30)

    assert good.status_code == 200 and good.headers["Content-Type"].startswith("text/html")
    assert "immutable" in good.headers["Cache-Control"]
    assert forged.status_code == 404


def test_package_files_answer_range_requests(commit_world, learner):
    url = commit_world.tool.url + learner.config["contentBase"] + "shared/background.jpg"

    answer = learner.http.get(url, headers={"Range": "bytes=0-99"}, timeout=30)

    assert answer.status_code == 206
    assert answer.headers["Content-Type"] == "image/jpeg" and len(answer.content) == 100
