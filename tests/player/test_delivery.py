"""Delivering SCOs and their files: seeds from the manifest, SCORM 1.2 prerequisites enforced on the
server, unknown items and paths refused."""

from __future__ import annotations

import uuid

import pytest
import requests

from tests.player.conftest import world_with_unit
from tests.player.helpers import commit_12, open_player

COMPLEX = "moodle_complexscorm_12"
PREFIX = "mm-ITEM-SCORMDEbugger555f231e21b982c25s"


@pytest.fixture(scope="module")
def delivery_world(tmp_path_factory, corpus):
    yield from world_with_unit(tmp_path_factory.mktemp("delivery-tool"), None, corpus, COMPLEX, "Complex")


@pytest.fixture
def learner(delivery_world):
    user_id = "d-" + uuid.uuid4().hex[:6]
    delivery_world.platform.add_user(user_id, "Dee Delivery")
    return open_player(delivery_world.tool.url, delivery_world.lms.url, user_id, delivery_world.link.id)


def deliver(world, learner, item: str) -> requests.Response:
    params = {"lt": learner.token, "a": learner.attempt, "i": item}
    return requests.post(f"{world.tool.url}/player/deliver", params=params, timeout=30)


def test_the_first_delivery_seeds_the_learner_and_a_first_session(delivery_world, learner):
    answer = learner.deliver(f"{PREFIX}01")

    core = answer["seed"]["cmi"]["core"]
    assert core["student_id"].startswith("d-") and core["student_name"] == "Dee Delivery"
    assert core["entry"] == "ab-initio"
    assert core["credit"] == "credit" and core["lesson_mode"] == "normal"
    assert answer["launch"] == "index.html"


def test_an_item_behind_an_unmet_prerequisite_is_refused(delivery_world, learner):
    answer = deliver(delivery_world, learner, f"{PREFIX}08")

    assert (answer.status_code, answer.json()["code"]) == (409, "PLAYER-ITEM-LOCKED")
    assert f"{PREFIX}08" in learner.config["locked"]


def test_the_prerequisite_unlocks_when_its_items_are_completed(delivery_world, learner):
    for item in ("01", "02"):
        delivery = learner.deliver(f"{PREFIX}{item}")["delivery"]
        answer = learner.commit(
            commit_12(1, lesson_status="completed"), delivery=delivery, item=f"{PREFIX}{item}"
        )
        assert answer.status_code == 200

    assert answer.json()["locked"] == []
    assert deliver(delivery_world, learner, f"{PREFIX}08").status_code == 200


def test_an_item_the_package_does_not_have_is_refused(delivery_world, learner):
    answer = deliver(delivery_world, learner, "no-such-item")
    assert (answer.status_code, answer.json()["code"]) == (404, "PLAYER-NO-SUCH-ITEM")


def test_a_path_outside_the_package_is_not_served(delivery_world, learner):
    base = delivery_world.tool.url + learner.config["contentBase"]
    assert requests.get(base + "index.html", timeout=30).status_code == 200
    assert requests.get(base + "../../../../etc/passwd", timeout=30).status_code == 404
    assert requests.get(base + "%2e%2e/%2e%2e/imsmanifest.xml", timeout=30).status_code == 404


def test_package_files_carry_their_mime_types(delivery_world, learner):
    base = delivery_world.tool.url + learner.config["contentBase"]
    types = {
        name: requests.get(base + name, timeout=30).headers["Content-Type"]
        for name in ("styles.css", "datamodel.js")
    }
    assert types["styles.css"].startswith("text/css")
    assert types["datamodel.js"].startswith("text/javascript")


def test_a_sequencing_state_that_is_not_json_is_refused(delivery_world, learner):
    params = {"lt": learner.token, "a": learner.attempt}
    answer = requests.post(
        f"{delivery_world.tool.url}/player/sequencing", params=params, data=b"{oops", timeout=30
    )
    assert (answer.status_code, answer.json()["code"]) == (400, "COMMIT-NOT-JSON")
