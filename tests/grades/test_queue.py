"""queue_score_for_result: what the player's commit puts in the outbox, in its own transaction."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from lti_tool.grades import UnitScore, queue_score_for_result
from lti_tool.grades.models import QUEUED, SENT, SUPERSEDED, OutboxScore

T0 = datetime(2026, 11, 22, 8, 0, 0, 123456, tzinfo=UTC)
PASSED = UnitScore("completed", "passed", 0.85, attempt_number=1)
IN_PROGRESS = UnitScore("incomplete", "unknown", None, attempt_number=1)


def queue(db, course, result, at=T0, learner=0, link=None):
    with db.session() as session:
        return queue_score_for_result(
            session,
            registration_id=course.registration_id,
            user_id=course.learners[learner],
            resource_link_id=link or course.package_unit,
            unit_result=result,
            produced_at=at,
        )


def rows(db):
    with db.session(readonly=True) as session:
        return list(session.scalars(select(OutboxScore).order_by(OutboxScore.id)))


def test_a_completed_unit_queues_its_score_on_100(db, course):
    assert queue(db, course, PASSED) is True
    [row] = rows(db)
    assert (row.score_given, row.score_maximum) == (85.0, 100.0)
    assert (row.activity_progress, row.grading_progress, row.status) == ("Completed", "FullyGraded", QUEUED)


def test_the_timestamp_keeps_milliseconds_in_utc(db, course):
    queue(db, course, PASSED)
    assert rows(db)[0].timestamp == T0.replace(microsecond=123000)


def test_an_unchanged_result_queues_nothing(db, course):
    queue(db, course, PASSED)
    assert queue(db, course, PASSED, at=T0 + timedelta(seconds=5)) is False
    assert len(rows(db)) == 1


def test_an_attempt_that_does_not_count_queues_nothing(db, course):
    other = UnitScore("completed", "failed", 0.1, attempt_number=2, counted=False)
    assert queue(db, course, other) is False and rows(db) == []


def test_a_unit_needing_observation_is_pending_manual(db, course):
    queue(db, course, PASSED, link=course.observed_unit)
    [row] = rows(db)
    assert row.grading_progress == "PendingManual" and row.score_given == 85.0
    assert "sign-off" in row.comment


def test_a_failed_check_is_fully_graded_even_when_observation_is_needed(db, course):
    queue(db, course, UnitScore("completed", "failed", 0.4, 1), link=course.observed_unit)
    assert rows(db)[0].grading_progress == "FullyGraded"


def test_work_in_progress_is_not_ready(db, course):
    queue(db, course, IN_PROGRESS)
    [row] = rows(db)
    assert (row.activity_progress, row.grading_progress, row.score_given) == ("InProgress", "NotReady", None)


def test_a_negative_scaled_score_clamps_to_zero(db, course):
    queue(db, course, UnitScore("completed", "failed", -0.5, 1))
    assert rows(db)[0].score_given == 0.0


def test_a_newer_score_supersedes_an_undelivered_one(db, course):
    queue(db, course, IN_PROGRESS)
    queue(db, course, PASSED, at=T0 + timedelta(seconds=30))
    first, second = rows(db)
    assert (first.status, first.superseded_by) == (SUPERSEDED, second.id)
    assert second.status == QUEUED


def test_timestamps_of_one_pair_differ_by_a_whole_second_from_a_score_the_platform_may_hold(db, course):
    queue(db, course, IN_PROGRESS)
    with db.session() as session:  # the first one went out
        session.scalars(select(OutboxScore)).one().status = SENT
    queue(db, course, PASSED, at=T0 + timedelta(milliseconds=200))
    first, second = rows(db)
    assert int(second.timestamp.timestamp()) > int(first.timestamp.timestamp())
    assert second.timestamp == T0.replace(microsecond=0) + timedelta(seconds=1)


def test_a_score_produced_earlier_than_the_last_is_still_stamped_later(db, course):
    queue(db, course, IN_PROGRESS, at=T0)
    queue(db, course, PASSED, at=T0 - timedelta(minutes=5))  # a clock step backwards on the server
    first, second = rows(db)
    assert second.timestamp > first.timestamp


def test_other_learners_and_activities_are_independent(db, course):
    queue(db, course, PASSED, learner=0)
    queue(db, course, PASSED, learner=1)
    queue(db, course, PASSED, learner=0, link=course.observed_unit)
    assert [r.status for r in rows(db)] == [QUEUED, QUEUED, QUEUED]


def test_nothing_is_queued_when_the_callers_transaction_rolls_back(db, course):
    with pytest.raises(RuntimeError), db.session() as session:
        queue_score_for_result(
            session,
            registration_id=course.registration_id,
            user_id=course.learners[0],
            resource_link_id=course.package_unit,
            unit_result=PASSED,
            produced_at=T0,
        )
        raise RuntimeError("the commit endpoint failed after queueing")
    assert rows(db) == []


def test_unit_score_reads_words_outside_the_vocabulary_as_unknown():
    assert UnitScore("done", "great", 1.5, 1) == UnitScore("unknown", "unknown", 1.0, 1)


def test_unit_score_is_built_from_a_scorm_attempt_result():
    from scorm.runtime import AttemptResult

    result = AttemptResult("completed", "passed", 0.9, 9, 0, 10, 60.0, "PT1M")
    assert UnitScore.from_attempt_result(result, attempt_number=3) == UnitScore("completed", "passed", 0.9, 3)


def test_an_unchanged_result_costs_one_read(db, course):
    from sqlalchemy import event

    queue(db, course, PASSED)
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert queue(db, course, PASSED, at=T0 + timedelta(seconds=9)) is False
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert [
        s.split()[0].upper() for s in statements if s.split()[0].upper() in ("SELECT", "INSERT", "UPDATE")
    ] == ["SELECT"]
