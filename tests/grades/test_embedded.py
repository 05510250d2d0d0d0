"""The delivery worker inside the web server process (the embedded default of `carecert serve`)."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from lti_tool.grades import UnitScore
from lti_tool.grades.embedded import embedded_worker_enabled, start_embedded_worker


def test_the_embedded_worker_delivers_queued_scores_in_the_background(world):
    handle = start_embedded_worker(world.tool_app, poll_seconds=0.05)
    try:
        world.queue("learner1", UnitScore("completed", "passed", 0.7, 1), at=datetime.now(UTC))
        deadline = time.monotonic() + 30
        while world.entry("learner1") is None and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        handle.stop()
    assert world.entry("learner1").score_given == 70.0
    assert not handle.thread.is_alive()


def test_the_embedded_worker_can_be_switched_off():
    assert embedded_worker_enabled({}) is True
    assert embedded_worker_enabled({"GRADES_EMBEDDED_WORKER": "false"}) is False
