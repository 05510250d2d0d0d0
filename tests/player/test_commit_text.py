"""What the commit endpoint stores is the text the learner's course set, character for character, on SQLite
and PostgreSQL: non-ASCII text, and the odd strings a JavaScript course can hold (a lone surrogate), whichever
JSON reader or writer handles them on the way."""

from __future__ import annotations

import json

import pytest

from tests.lti.conftest import database_url  # noqa: F401 - the engine-parametrised fixture
from tests.player.conftest import world_with_unit
from tests.player.helpers import commit_12, delivered_learner
from tests.player.state import sco_values

GOLF12 = "golf12_RuntimeBasicCalls"
# Accents, a line separator (U+2028, which JavaScript once refused in string literals), an emoji beyond the
# Basic Multilingual Plane, and a NUL character.
CARE_NOTE = "Café — “résumé” \u2028 next line, 👩\u200d⚕️ nurse, nul \x00 end"


@pytest.fixture(scope="module")
def text_world(database_url, tmp_path_factory, corpus):  # noqa: F811
    yield from world_with_unit(
        tmp_path_factory.mktemp("commit-text-tool"), database_url, corpus, GOLF12, "Golf"
    )


@pytest.fixture
def learner(text_world):
    return delivered_learner(text_world)


def stored(world, learner) -> dict[str, str]:
    return sco_values(world.app, learner.attempt, "item_1")


def with_suspend_data(sequence: int, suspend_data: str, **core: str) -> dict:
    body = commit_12(sequence, **core)
    body["cmi"]["suspend_data"] = suspend_data
    return body


def test_non_ascii_suspend_data_is_stored_exactly(text_world, learner):
    answer = learner.commit(with_suspend_data(1, CARE_NOTE), delivery=learner.delivery)

    assert answer.status_code == 200, answer.text
    assert stored(text_world, learner)["cmi.suspend_data"] == CARE_NOTE


def test_non_ascii_text_survives_the_next_commits_reading_it_back(text_world, learner):
    learner.commit(with_suspend_data(1, CARE_NOTE, lesson_location="1"), delivery=learner.delivery)

    # The second commit starts from the state the first stored, read back from the database's text.
    answer = learner.commit(with_suspend_data(2, CARE_NOTE, lesson_location="2"), delivery=learner.delivery)

    assert answer.status_code == 200, answer.text
    values = stored(text_world, learner)
    assert (values["cmi.suspend_data"], values["cmi.core.lesson_location"]) == (CARE_NOTE, "2")
    assert learner.deliver()["seed"]["cmi"]["suspend_data"] == CARE_NOTE


def test_a_lone_surrogate_from_a_javascript_string_is_stored_and_read_back(text_world, learner):
    # JSON.stringify writes a lone surrogate of a JavaScript string as an escape; Python's json reads it.
    body = json.dumps(with_suspend_data(1, "half \ud83d of an emoji")).encode()
    assert b"\\ud83d" in body

    answer = learner.commit(body, delivery=learner.delivery)

    assert answer.status_code == 200, answer.text
    assert stored(text_world, learner)["cmi.suspend_data"] == "half \ud83d of an emoji"
    again = json.dumps(with_suspend_data(2, "half \ud83d of an emoji", lesson_location="2")).encode()
    assert learner.commit(again, delivery=learner.delivery).status_code == 200


def test_a_body_of_utf16_json_is_read_as_json(text_world, learner):
    body = json.dumps(commit_12(1, lesson_location="7")).encode("utf-16")

    answer = learner.commit(body, delivery=learner.delivery)

    assert answer.status_code == 200, answer.text
    assert stored(text_world, learner)["cmi.core.lesson_location"] == "7"


def test_a_not_a_number_where_a_value_goes_is_refused_as_before(text_world, learner):
    answer = learner.commit(
        b'{"cmi": {"core": {"lesson_location": NaN}}, "commitSequence": 1}', delivery=learner.delivery
    )

    assert (answer.status_code, answer.json()["code"]) == (422, "COMMIT-VALUE-REFUSED")
    assert "cmi.core.lesson_location" not in stored(text_world, learner)


def test_a_refused_value_holding_a_lone_surrogate_is_quoted_in_a_json_answer(text_world, learner):
    # The refusal quotes what was sent; orjson cannot write a lone surrogate: the answer falls back to json.
    body = json.dumps(commit_12(1, lesson_status="done \udc00 ")).encode()

    answer = learner.commit(body, delivery=learner.delivery)

    assert answer.status_code == 422
    assert answer.headers["Content-Type"] == "application/json"
    (refusal,) = json.loads(answer.content)["refusals"]
    assert (refusal["element"], refusal["value"]) == ("cmi.core.lesson_status", "done \udc00 ")
