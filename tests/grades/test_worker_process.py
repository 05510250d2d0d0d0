"""A real `carecert worker` process killed with SIGKILL while scores are in flight, then started again: no
score is lost, none is applied out of order."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from lti_tool.grades import UnitScore
from lti_tool.grades.models import FAILED, SENDING, SENT, SUPERSEDED, OutboxScore

STARTED = UnitScore("incomplete", "unknown", None, 1)
PASSED = UnitScore("completed", "passed", 0.8, 1)
LEARNERS = [f"k{n:02d}" for n in range(16)]


def start_worker(world, tmp_path) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(
        CARECERT_DATABASE_URL=world.db.url,
        CARECERT_DATA_DIR=str(tmp_path / "worker-data"),
        CARECERT_SECRET_KEY="grades-test",
        CARECERT_LOG_LEVEL="WARNING",
        CARECERT_HTTP_TIMEOUT_SECONDS="10",
    )
    carecert = str(Path(sys.executable).parent / "carecert")
    args = ["worker", "--concurrency", "4", "--lease-seconds", "2", "--poll-seconds", "0.1"]
    return subprocess.Popen([carecert, *args], env=env)


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def pending(world) -> int:
    with world.db.session(readonly=True) as session:
        rows = session.scalars(select(OutboxScore.status))
        return sum(1 for status in rows if status not in (SENT, FAILED, SUPERSEDED))


def test_a_killed_worker_loses_no_score_and_keeps_order(world, tmp_path):
    for learner in LEARNERS:
        world.add_learner(learner)
        world.queue(learner, STARTED, at=datetime.now(UTC))
    world.faults.add(when=lambda: True, delay=0.4, pass_through=True)  # every score takes a while
    first = start_worker(world, tmp_path)
    try:
        wait_for(lambda: world.faults.score_posts >= 6, 60, "the first scores to arrive")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    with world.db.session(readonly=True) as session:
        in_flight = session.scalars(select(OutboxScore).where(OutboxScore.status == SENDING)).all()
    assert in_flight, "nothing was in flight when the worker was killed"
    for learner in LEARNERS:  # learners go on working while no worker runs
        world.queue(learner, PASSED, at=datetime.now(UTC))
    second = start_worker(world, tmp_path)
    try:
        wait_for(lambda: pending(world) == 0, 120, "the outbox to drain after the restart")
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(20)
    for learner in LEARNERS:
        entry = world.entry(learner)
        assert entry is not None and (entry.score_given, entry.grading_progress) == (80.0, "FullyGraded")
        stamps = world.applied_timestamps(learner)
        assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    with world.db.session(readonly=True) as session:
        statuses = [row.status for row in session.scalars(select(OutboxScore))]
    assert FAILED not in statuses
