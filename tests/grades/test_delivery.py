"""Delivering the outbox to a platform that fails on purpose (the demo LMS in Moodle-strict mode).

After each fault: every score is delivered as the last result says, or failed with the platform's reason;
none is lost; none is applied out of order; one token request per registration."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from lti_tool.db.models import utcnow
from lti_tool.grades import UnitScore
from lti_tool.grades.models import FAILED, QUEUED, SENT, SUPERSEDED, OutboxScore

STARTED = UnitScore("incomplete", "unknown", None, 1)
PASSED = UnitScore("completed", "passed", 0.8, 1)
BETTER = UnitScore("completed", "passed", 0.95, 2)


def outbox(world):
    with world.db.session(readonly=True) as session:
        return list(session.scalars(select(OutboxScore).order_by(OutboxScore.id)))


def assert_in_order(world, user):
    stamps = world.applied_timestamps(user)
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)


def test_a_completion_reaches_the_gradebook_with_the_right_values(world):
    world.queue("learner1", PASSED)
    world.worker().run_until_idle()
    entry = world.entry("learner1")
    assert (entry.score_given, entry.score_maximum, entry.grade) == (80.0, 100.0, 80.0)
    assert (entry.activity_progress, entry.grading_progress) == ("Completed", "FullyGraded")
    assert [row.status for row in outbox(world)] == [SENT]


def test_many_scores_cost_one_token_request(world):
    for result in (STARTED, PASSED, BETTER):
        for user in ("learner1", "learner2"):
            world.queue(user, result)
        world.clock.sleep(1)
        world.worker().run_until_idle()
    assert world.entry("learner2").score_given == 95.0
    assert world.platform.tokens_issued == 1


def test_server_errors_are_retried_until_delivered(world):
    world.faults.add(status=500, times=3, body="database unavailable")
    world.queue("learner1", PASSED)
    world.worker().run_until_idle()
    [row] = outbox(world)
    assert (row.status, row.attempts) == (SENT, 4)
    assert world.entry("learner1").score_given == 80.0


def test_backoff_grows_between_retries(world):
    world.faults.add(status=503, times=3)
    world.queue("learner1", PASSED)
    started = world.clock.now()
    world.worker().run_until_idle()
    # 2 s, 4 s and 8 s backoff, each at least half fixed: at least 7 s of (simulated) waiting
    assert world.clock.now() - started >= timedelta(seconds=7)


def test_429_waits_for_retry_after(world):
    world.faults.add(status=429, times=1, headers={"Retry-After": "30"})
    world.queue("learner1", PASSED)
    worker = world.worker()
    worker.run_once()
    [row] = outbox(world)
    assert row.status == QUEUED and row.next_attempt_at - world.clock.now() >= timedelta(seconds=30)
    worker.run_until_idle()
    assert outbox(world)[0].status == SENT


def test_a_timeout_is_retried(world):
    world.queue("learner1", STARTED)
    world.worker().run_until_idle()  # the token is fetched: only the score request will time out
    world.faults.add(status=200, times=1, delay=1.5)
    world.clock.sleep(2)
    world.queue("learner1", PASSED)
    world.worker(timeout=0.5).run_until_idle()
    row = outbox(world)[-1]
    assert row.status == SENT and row.attempts == 2 and row.outcome_unknown
    assert world.entry("learner1").score_given == 80.0


def test_a_score_applied_before_its_answer_was_lost_is_restamped_once_after_409(world):
    world.faults.add(status=502, times=1, after_apply=True)  # applied, then the gateway failed
    world.queue("learner1", PASSED)
    world.worker().run_until_idle()
    [row] = outbox(world)
    assert (row.status, row.restamped, row.attempts) == (SENT, True, 3)
    statuses = [r.status for r in world.platform.gradebook.score_log]
    assert statuses == [200, 409, 200]
    assert world.entry("learner1").score_given == 80.0
    assert_in_order(world, "learner1")


def test_409_on_a_first_try_is_failed_with_the_platforms_answer(world):
    world.queue("learner1", STARTED)
    world.worker().run_until_idle()
    world.faults.add(status=409, times=1, body='{"error": "timestamp is not newer"}')
    world.clock.sleep(5)
    world.queue("learner1", PASSED)
    world.worker().run_until_idle()
    first, second = outbox(world)
    assert (first.status, second.status, second.last_http_status) == (SENT, FAILED, 409)
    assert "timestamp is not newer" in second.platform_answer


def test_400_for_an_ungradable_user_is_failed_with_the_platforms_answer(world):
    world.queue("instructor", PASSED)
    world.worker().run_until_idle()
    [row] = outbox(world)
    assert (row.status, row.last_http_status, row.attempts) == (FAILED, 400, 1)
    assert row.platform_answer == "HTTP 400 (empty answer)"


def test_platform_down_for_the_first_minute(world):
    down_until = world.clock.now() + timedelta(seconds=60)
    world.faults.add("/", status=503, when=lambda: world.clock.now() < down_until)
    for user in ("learner1", "learner2"):
        world.queue(user, STARTED)
        world.queue(user, PASSED)
    world.worker().run_until_idle()
    assert world.clock.now() >= down_until
    rows = outbox(world)
    assert [r.status for r in rows] == [SUPERSEDED, SENT, SUPERSEDED, SENT]
    assert world.entry("learner1").score_given == 80.0 and world.entry("learner2").score_given == 80.0
    assert world.platform.tokens_issued == 1


def test_a_refused_token_is_replaced_once(world):
    world.queue("learner1", STARTED)
    world.worker().run_until_idle()
    world.platform.rotate_key(keep_previous=False)  # the platform no longer accepts the tokens it issued
    world.clock.sleep(2)
    world.queue("learner1", PASSED)
    world.worker().run_until_idle()
    assert [r.status for r in outbox(world)] == [SENT, SENT]
    assert world.platform.tokens_issued == 2


def test_a_newer_score_waits_while_an_older_one_is_in_flight(world):
    world.queue("learner1", STARTED)
    first_worker, second_worker = world.worker(), world.worker()
    claimed = first_worker.claim()
    world.queue("learner1", PASSED)
    assert second_worker.run_once() == 0  # the pair is in flight
    first_worker.record(first_worker.deliver(claimed))
    second_worker.run_until_idle()
    assert [r.status for r in outbox(world)] == [SENT, SENT]
    assert world.entry("learner1").score_given == 80.0
    assert_in_order(world, "learner1")


def test_a_row_left_in_flight_by_a_dead_worker_is_sent_after_its_lease(world):
    world.queue("learner1", PASSED)
    dead = world.worker(lease_seconds=30)
    dead.claim()  # and never records: the process died
    world.worker().run_until_idle()
    [row] = outbox(world)
    assert row.status == SENT and row.outcome_unknown
    assert world.entry("learner1").score_given == 80.0


def test_a_row_left_in_flight_is_superseded_when_a_newer_score_exists(world):
    world.queue("learner1", STARTED)
    world.worker(lease_seconds=30).claim()
    world.queue("learner1", PASSED)
    world.worker().run_until_idle()
    first, second = outbox(world)
    assert (first.status, first.superseded_by, second.status) == (SUPERSEDED, second.id, SENT)
    assert world.entry("learner1").score_given == 80.0


def test_several_workers_share_the_outbox_without_sending_a_score_twice(world):
    import threading

    for n in range(24):
        world.add_learner(f"s{n:02d}")
        world.queue(f"s{n:02d}", PASSED)

    # Real time: with the world's shared fake clock, an idle worker "sleeping" until the busy ones' leases
    # end would move everyone's time past them, and take their rows again as a dead worker's.
    def nap(seconds: float) -> None:
        time.sleep(min(seconds, 0.05))

    workers = [world.worker(batch_size=5, clock=utcnow, sleep=nap) for _ in range(3)]
    threads = [threading.Thread(target=w.run_until_idle) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert {r.status for r in outbox(world)} == {SENT}
    posted = [r.body["userId"] for r in world.platform.gradebook.score_log]
    assert sorted(posted) == sorted(f"s{n:02d}" for n in range(24))  # each exactly once
    assert world.platform.tokens_issued == 1


@pytest.mark.parametrize("status", [403, 404])
def test_other_refusals_are_failed_at_once_with_the_platforms_answer(world, status):
    world.faults.add(status=status, times=1, body=f"refused with {status}")
    world.queue("learner1", PASSED)
    world.worker().run_until_idle()
    [row] = outbox(world)
    assert (row.status, row.attempts, row.last_http_status) == (FAILED, 1, status)
    assert f"refused with {status}" in row.platform_answer
