"""xAPI: the statements of an attempt, accepted by a real LRS (Learning Locker's statement service), none lost
while the LRS is down, and the JSON lines export."""

from __future__ import annotations

import json

import pytest
import requests

from lti_tool.grades.delivery import RetryPolicy
from lti_tool.player.models import ScoState
from lti_tool.records import xapi_outbox
from lti_tool.records.issuer import Issuer
from lti_tool.records.models import FAILED, QUEUED, SENT, XapiOutboxRow
from lti_tool.records.xapi_statements import CMI5_MOVEON, SCORM_PROFILE, VERBS
from tests.grades.world import FakeClock
from tests.records.lrs import RunningLrs, free_port
from tests.records.world import make_world

ISSUER = Issuer("https://tool.example.org", "Example Care Training")


@pytest.fixture
def world(database_url):
    world = make_world(database_url)
    world.add_learner("Ann Smith")
    yield world
    world.db.dispose()


@pytest.fixture(scope="module")
def lrs():
    running = RunningLrs(free_port()).start()
    yield running
    running.stop()


def play(world, unit_id="u02", **outcome) -> int:
    attempt_pk = world.attempt("Ann Smith", unit_id, **outcome)
    with world.db.session() as session:
        session.add(
            ScoState(
                registration_id=world.registration_id,
                attempt_pk=attempt_pk,
                item_id="sco",
                state={},
                ended=True,
            )
        )
    return attempt_pk


def queued_statements(world) -> list[dict]:
    with world.db.session() as session:
        xapi_outbox.collect(session, ISSUER)
        return [row.statement for row in session.query(XapiOutboxRow).order_by(XapiOutboxRow.id)]


def delivery(world, endpoint, clock=None):
    # Generous: a timed-out send is retried later, and these tests send each due statement once (a loaded CI
    # machine has taken over 2 s to answer a local request).
    lrs_settings = xapi_outbox.LrsSettings(endpoint, "test", "test", timeout=15.0)
    return xapi_outbox.XapiDelivery(
        world.db,
        lrs_settings,
        clock=(clock or FakeClock()).now,
        policy=RetryPolicy(base_seconds=2, cap_seconds=60, max_attempts=50),
    )


def statuses(world) -> list[str]:
    with world.db.session() as session:
        return [row.status for row in session.query(XapiOutboxRow).order_by(XapiOutboxRow.id)]


def test_a_passed_attempt_gives_the_scorm_profile_events_in_order(world):
    play(world)
    verbs = [s["verb"]["id"] for s in queued_statements(world)]
    assert verbs == [VERBS[v] for v in ("initialized", "completed", "passed", "scored", "terminated")]


def test_the_attempt_is_the_registration_and_the_unit_the_activity(world):
    play(world)
    found = queued_statements(world)
    assert len({s["context"]["registration"] for s in found}) == 1
    assert {s["object"]["id"] for s in found} == {ISSUER.achievement_url("u02")}
    passed = next(s for s in found if s["verb"]["id"] == VERBS["passed"])
    categories = [c["id"] for c in passed["context"]["contextActivities"]["category"]]
    assert SCORM_PROFILE in categories and CMI5_MOVEON in categories
    assert passed["result"]["success"] is True and passed["result"]["score"]["scaled"] == 0.9


def test_collecting_twice_queues_each_statement_once(world):
    play(world)
    first = queued_statements(world)
    assert queued_statements(world) == first


def test_a_failed_attempt_says_failed(world):
    play(world, success="failed", score=0.4)
    verbs = [s["verb"]["id"] for s in queued_statements(world)]
    assert VERBS["failed"] in verbs and VERBS["passed"] not in verbs


def test_the_lrs_accepts_every_statement(world, lrs):
    play(world)
    play(world, unit_id="u03", success="failed", score=0.3)
    queued = queued_statements(world)
    sender = delivery(world, lrs.endpoint)
    while sender.run_once():
        pass
    assert set(statuses(world)) == {SENT}
    stored_ids = {s["id"] for s in lrs.statements(limit="500")}
    assert {s["id"] for s in queued} <= stored_ids
    assert len(lrs.statements(verb=VERBS["failed"], registration=queued[-1]["context"]["registration"])) == 1


def test_the_lrs_down_for_a_while_loses_no_statement(world, tmp_path):
    play(world)
    play(world, unit_id="u04")
    queued = queued_statements(world)
    clock = FakeClock()
    down = RunningLrs(free_port())  # nothing listens on its port yet
    sender = delivery(world, down.endpoint, clock)
    for _ in range(5):  # five rounds over simulated minutes, the LRS refusing connections
        sender.run_once()
        assert set(statuses(world)) == {QUEUED}
        clock.sleep(120)
    down.start()
    try:
        clock.sleep(3600)
        while sender.run_once():
            pass
        assert set(statuses(world)) == {SENT}
        assert {s["id"] for s in queued} <= {s["id"] for s in down.statements(limit="500")}
    finally:
        down.stop()


def test_a_statement_sent_twice_is_stored_once(world, lrs):
    play(world, unit_id="u05")
    queued = queued_statements(world)
    sender = delivery(world, lrs.endpoint)
    while sender.run_once():
        pass
    with world.db.session() as session:  # as if the first answer had been lost
        for row in session.query(XapiOutboxRow):
            row.status = QUEUED
    while sender.run_once():
        pass
    assert set(statuses(world)) == {SENT}
    registration = queued[0]["context"]["registration"]
    assert len(lrs.statements(registration=registration, limit="500")) == len(queued)


def test_a_statement_the_lrs_refuses_is_failed_with_its_answer_and_the_rest_delivered(world, lrs):
    play(world, unit_id="u06")
    queued_statements(world)
    with world.db.session() as session:
        session.add(
            XapiOutboxRow(
                registration_id=world.registration_id,
                statement_id="not-a-uuid",
                verb="broken",
                statement={"id": "not-a-uuid", "verb": {}},
            )
        )
    sender = delivery(world, lrs.endpoint)
    while sender.run_once():
        pass
    with world.db.session() as session:
        rows = session.query(XapiOutboxRow).order_by(XapiOutboxRow.id).all()
        assert [r.status for r in rows[:-1]] == [SENT] * (len(rows) - 1)
        assert rows[-1].status == FAILED and rows[-1].last_http_status == 400 and rows[-1].lrs_answer


def test_the_export_is_one_statement_per_line(world):
    play(world)
    with world.db.session() as session:
        lines = list(xapi_outbox.export_jsonl(session, ISSUER, registration_id=world.registration_id))
    assert len(lines) == 5 and all(
        json.loads(line)["actor"]["account"]["name"] == "lms-ann-smith" for line in lines
    )


class ScriptedLrs:
    """An HTTP session whose answers are scripted: (status, headers) per POST, then 200."""

    def __init__(self, *answers: tuple[int, dict]) -> None:
        self.answers = list(answers)
        self.posts = 0

    def post(self, url, **kwargs):  # type: ignore[no-untyped-def]
        self.posts += 1
        status, headers = self.answers.pop(0) if self.answers else (200, {})
        response = requests.Response()
        response.status_code, response.headers, response._content = status, headers, b"[]"
        return response


@pytest.mark.parametrize(
    ("status", "headers"), [(503, {}), (429, {"Retry-After": "120"}), (401, {}), (500, {})]
)
def test_a_refusal_that_may_pass_is_retried_later_not_dropped(world, status, headers):
    play(world, unit_id="u07")
    queued_statements(world)
    clock = FakeClock()
    scripted = ScriptedLrs((status, headers))
    sender = xapi_outbox.XapiDelivery(
        world.db,
        xapi_outbox.LrsSettings("http://lrs.invalid/xAPI/"),
        clock=clock.now,
        http=scripted,
        policy=RetryPolicy(base_seconds=2, cap_seconds=60, max_attempts=50),
    )
    sender.run_once()
    assert set(statuses(world)) == {QUEUED}
    assert sender.run_once() == 0  # not due yet: backing off
    clock.sleep(121 if headers else 60)
    while sender.run_once():
        pass
    assert set(statuses(world)) == {SENT} and scripted.posts == 2


def test_a_conflict_means_the_lrs_already_holds_the_statement(world):
    play(world, unit_id="u08")
    queued_statements(world)
    sender = xapi_outbox.XapiDelivery(
        world.db, xapi_outbox.LrsSettings("http://lrs.invalid/xAPI/"), http=ScriptedLrs((409, {}))
    )
    sender.run_once()
    assert set(statuses(world)) == {SENT}


def test_the_worker_loop_collects_everything_on_start_and_delivers_it(world):
    play(world, unit_id="u09")
    scripted = ScriptedLrs()
    sender = xapi_outbox.XapiDelivery(
        world.db, xapi_outbox.LrsSettings("http://lrs.invalid/xAPI/"), http=scripted
    )
    rounds = iter([False, True])
    sender.run_forever(ISSUER, stop=lambda: next(rounds), poll_seconds=0.01)
    assert set(statuses(world)) == {SENT} and len(statuses(world)) == 5 and scripted.posts == 1
