"""Outbox health: `carecert grades status` and the admin page show depth, oldest undelivered, failures."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from click.testing import CliRunner
from sqlalchemy import select

from lti_tool.admin_auth import create_admin_token
from lti_tool.app import create_app
from lti_tool.cli import main
from lti_tool.grades import UnitScore, queue_score_for_result
from lti_tool.grades.models import FAILED, OutboxScore
from lti_tool.grades.status import outbox_health

PASSED = UnitScore("completed", "passed", 0.9, 1)
AN_HOUR_AGO = datetime.now(UTC) - timedelta(hours=1)


def _queue_three_and_fail_one(db, course):
    with db.session() as session:
        for learner in course.learners:
            queue_score_for_result(
                session,
                registration_id=course.registration_id,
                user_id=learner,
                resource_link_id=course.package_unit,
                unit_result=PASSED,
                produced_at=AN_HOUR_AGO,
            )
        session.flush()
        rows = list(session.scalars(select(OutboxScore).order_by(OutboxScore.id)))
        rows[0].created_at = AN_HOUR_AGO
        rows[-1].status, rows[-1].platform_answer = FAILED, "HTTP 400 (empty answer)"


def test_health_counts_undelivered_oldest_and_failed_per_registration(db):
    from tests.grades.conftest import make_course

    course = make_course(db, learners=3)
    _queue_three_and_fail_one(db, course)
    with db.session(readonly=True) as session:
        health = outbox_health(session)
    assert (health.undelivered, health.failed, health.sent) == (2, 1, 0)
    assert health.oldest_undelivered == AN_HOUR_AGO
    [registration] = health.registrations
    assert (registration.registration_id, registration.undelivered, registration.failed) == (
        course.registration_id,
        2,
        1,
    )


def test_the_status_command_prints_json(db, course, monkeypatch, tmp_path):
    _queue_three_and_fail_one(db, course)
    monkeypatch.setenv("CARECERT_DATABASE_URL", db.url)
    monkeypatch.setenv("CARECERT_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(main, ["grades", "status", "--json"], catch_exceptions=False)
    data = json.loads(result.output)
    assert (data["undelivered"], data["failed"]) == (1, 1)
    assert data["oldest_age_seconds"] >= 3500


def test_the_admin_page_needs_an_admin_and_shows_the_figures(db, course, tmp_path):
    _queue_three_and_fail_one(db, course)
    app = create_app(
        {
            "DATABASE_URL": db.url,
            "DATA_DIR": str(tmp_path),
            "AUTO_MIGRATE": False,
            "SECRET_KEY": "x",
            "LOG_LEVEL": "WARNING",
        }
    )
    client = app.test_client()
    assert client.get("/admin/grades/").status_code in (401, 403)
    with db.session() as session:
        token = create_admin_token(session, "test")
    page = client.get("/admin/grades/", headers={"Authorization": f"Bearer {token}"}).get_data(as_text=True)
    assert 'data-key="undelivered">1 ' in page and 'data-key="failed">1<' in page
    as_json = client.get(
        "/admin/grades/?format=json", headers={"Authorization": f"Bearer {token}"}
    ).get_json()
    assert as_json["registrations"][0]["failed"] == 1
