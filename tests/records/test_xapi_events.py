"""Result events queued by the commit path in its own transaction: every transition of an attempt reaches
the outbox, even several between two collector rounds, and the collector never queues them a second time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lti_tool.db.models import Registration
from lti_tool.player.models import UnitAttempt
from lti_tool.records import xapi_outbox
from lti_tool.records.issuer import Issuer
from lti_tool.records.models import XapiOutboxRow
from lti_tool.records.xapi_events import AttemptFacts, record_result_event
from lti_tool.records.xapi_statements import VERBS, AttemptResult
from tests.records.world import make_world

ISSUER = Issuer("https://tool.example.org", "Example Care Training")
START = datetime(2026, 11, 2, 10, 0)
NOTHING = AttemptResult()
FAILED_AT_40 = AttemptResult("completed", "failed", 0.4)
PASSED_AT_90 = AttemptResult("completed", "passed", 0.9)


@pytest.fixture
def world(database_url):
    world = make_world(database_url)
    world.add_learner("Ann Smith")
    yield world
    world.db.dispose()


def facts_of(world, attempt_pk: int) -> AttemptFacts:
    with world.db.session(readonly=True) as session:
        attempt = session.get(UnitAttempt, attempt_pk)
        return AttemptFacts(
            attempt.registration_id,
            attempt.id,
            attempt.resource_link_pk,
            attempt.user_pk,
            START,
            total_time_seconds=300.0,
        )


def record(world, facts: AttemptFacts, old: AttemptResult, new: AttemptResult, minutes: int) -> int:
    with world.db.session() as session:
        return record_result_event(
            session, ISSUER, attempt=facts, old=old, new=new, at=START + timedelta(minutes=minutes)
        )


def queued(world) -> list[dict]:
    with world.db.session(readonly=True) as session:
        return [row.statement for row in session.query(XapiOutboxRow).order_by(XapiOutboxRow.id)]


def verbs(statements: list[dict]) -> list[str]:
    return [s["verb"]["display"]["en-US"] for s in statements]


@pytest.fixture
def attempt(world) -> AttemptFacts:
    # stored as it ends: passed at 0.9 (the collector, running later, would only see this)
    return facts_of(world, world.attempt("Ann Smith", "u02", at=datetime(2026, 11, 2, 10, 30, tzinfo=UTC)))


def test_a_fail_then_a_pass_in_one_attempt_both_reach_the_outbox(world, attempt):
    assert record(world, attempt, NOTHING, FAILED_AT_40, minutes=10) == 3  # completed, failed, scored
    assert record(world, attempt, FAILED_AT_40, PASSED_AT_90, minutes=20) == 2  # passed, scored
    found = queued(world)
    assert verbs(found) == ["completed", "failed", "scored", "passed", "scored"]
    failed, passed = found[1], found[3]
    assert failed["result"]["score"]["scaled"] == 0.4 and failed["timestamp"].startswith("2026-11-02T10:10")
    assert passed["result"]["score"]["scaled"] == 0.9 and passed["timestamp"].startswith("2026-11-02T10:20")
    assert {s["context"]["registration"] for s in found} == {found[0]["context"]["registration"]}


def test_the_collector_adds_only_what_the_events_did_not_queue(world, attempt):
    record(world, attempt, NOTHING, FAILED_AT_40, minutes=10)
    record(world, attempt, FAILED_AT_40, PASSED_AT_90, minutes=20)
    with world.db.session() as session:
        assert xapi_outbox.collect(session, ISSUER) == 1  # initialized (no SCO ended: no terminated)
    assert sorted(verbs(queued(world))) == sorted(
        ["completed", "failed", "scored", "passed", "scored", "initialized"]
    )


def test_events_after_the_collector_skip_what_it_queued_without_failing(world, attempt):
    with world.db.session() as session:
        xapi_outbox.collect(session, ISSUER)  # already queued: completed, passed, scored 0.9
    assert record(world, attempt, NOTHING, PASSED_AT_90, minutes=20) == 0
    assert verbs(queued(world)).count("passed") == 1


def test_the_commit_path_needs_no_start_time_or_orm_object(world, attempt):
    bare = AttemptFacts(
        attempt.registration_id, attempt.attempt_pk, attempt.resource_link_pk, attempt.user_pk
    )
    assert record(world, bare, NOTHING, PASSED_AT_90, minutes=20) == 3
    unlinked = AttemptFacts(attempt.registration_id, attempt.attempt_pk, None, attempt.user_pk)
    assert record(world, unlinked, PASSED_AT_90, FAILED_AT_40, minutes=30) == 0


def test_nothing_changed_queues_nothing(world, attempt):
    assert record(world, attempt, PASSED_AT_90, PASSED_AT_90, minutes=5) == 0
    assert record(world, attempt, NOTHING, AttemptResult("incomplete"), minutes=5) == 0
    assert queued(world) == []


def test_a_new_score_without_a_new_outcome_is_one_scored_statement(world, attempt):
    record(world, attempt, NOTHING, PASSED_AT_90, minutes=10)
    assert record(world, attempt, PASSED_AT_90, AttemptResult("completed", "passed", 0.95), minutes=20) == 1
    scores = [s["result"]["score"]["scaled"] for s in queued(world) if s["verb"]["id"] == VERBS["scored"]]
    assert scores == [0.9, 0.95]


def test_the_statements_roll_back_with_the_commit_that_failed(world, attempt):
    with pytest.raises(RuntimeError), world.db.session() as session:
        record_result_event(session, ISSUER, attempt=attempt, old=NOTHING, new=FAILED_AT_40, at=START)
        raise RuntimeError("the commit failed after the event was recorded")
    assert queued(world) == []


def test_an_attempt_named_under_another_registration_queues_nothing(world, attempt):
    with world.db.session() as session:
        other = Registration(
            issuer="https://other-lms.example",
            client_id="other",
            auth_login_url="https://other-lms.example/auth",
            auth_token_url="https://other-lms.example/token",
            key_set_url="https://other-lms.example/jwks",
        )
        session.add(other)
        session.flush()
        other_id = other.id
    foreign = AttemptFacts(other_id, attempt.attempt_pk, attempt.resource_link_pk, attempt.user_pk, START)
    assert record(world, foreign, NOTHING, PASSED_AT_90, minutes=5) == 0
    assert queued(world) == []


def test_the_activity_id_is_the_installations_whoever_issues(world, attempt):
    provider = ISSUER.for_provider(attempt.registration_id, "Alpha Care Training")
    with world.db.session() as session:
        record_result_event(session, provider, attempt=attempt, old=NOTHING, new=PASSED_AT_90, at=START)
    assert {s["object"]["id"] for s in queued(world)} == {ISSUER.achievement_url("u02")}
