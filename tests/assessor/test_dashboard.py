"""The assessor dashboard through its pages: who may see it, the grid, sign-off and undo with the audit
trail, the sync list with its filters and re-send, CSV export."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from lti_tool.grades import UnitScore, queue_score_for_result
from lti_tool.grades.models import FAILED, QUEUED, OutboxScore

PASSED = UnitScore("completed", "passed", 0.85, 1)


def queue(dash, learner=0, link=None, result=PASSED):
    with dash.db.session() as session:
        queue_score_for_result(
            session,
            registration_id=dash.course.registration_id,
            user_id=dash.course.learners[learner],
            resource_link_id=link or dash.course.observed_unit,
            unit_result=result,
            produced_at=datetime.now(UTC),
        )


def get(dash, path, role="assessor", **params):
    return dash.client.get(path, query_string={"lt": dash.tokens[role], **params})


def post(dash, path, role="assessor", **form):
    return dash.client.post(path, data={"lt": dash.tokens[role], **form})


def outbox(dash):
    with dash.db.session(readonly=True) as session:
        return list(session.scalars(select(OutboxScore).order_by(OutboxScore.id)))


def sign_off(dash, learner=0, evidence="Followed the care plan on two shifts.", observed=None):
    return post(
        dash,
        "/assessor/signoff",
        learner=dash.course.learners[learner],
        unit=dash.course.observed_unit,
        observed_on=(observed or date.today()).isoformat(),
        evidence=evidence,
    )


def test_a_learner_cannot_open_the_dashboard(dashboard):
    response = get(dashboard, "/assessor/", role="learner")
    assert response.status_code == 403 and b"LTI-ROLE-FORBIDDEN" in response.data


def test_no_launch_token_is_refused(dashboard):
    assert dashboard.client.get("/assessor/").status_code == 401 or b"LTI-LAUNCH-TOKEN-INVALID" in (
        dashboard.client.get("/assessor/").data
    )


def test_the_grid_shows_each_learner_and_unit_with_status_and_score(dashboard):
    queue(dashboard)
    page = get(dashboard, "/assessor/").get_data(as_text=True)
    assert 'data-learner="learner0"' in page  # learner1 never launched, and no roster was read
    assert 'data-status="Awaiting sign-off"' in page and "Score 85%" in page
    assert "<svg" in page and 'role="img"' in page


def test_instructors_see_the_dashboard_too(dashboard):
    assert get(dashboard, "/assessor/", role="instructor").status_code == 200


def test_sign_off_queues_a_fully_graded_score_and_is_audited(dashboard):
    queue(dashboard)
    response = sign_off(dashboard)
    assert response.status_code == 303
    rows = outbox(dashboard)
    assert [r.grading_progress for r in rows] == ["PendingManual", "FullyGraded"]
    assert "signed off by Ann Assessor" in rows[-1].comment
    audit = get(dashboard, "/assessor/audit").get_data(as_text=True)
    assert 'data-action="sign-off"' in audit and "Followed the care plan" in audit and "Ann Assessor" in audit


def test_sign_off_needs_evidence(dashboard):
    response = sign_off(dashboard, evidence="  ")
    assert response.status_code == 400 and "evidence" in response.get_data(as_text=True)


def test_sign_off_refuses_a_future_observation_date(dashboard):
    response = sign_off(dashboard, observed=date.today() + timedelta(days=2))
    assert response.status_code == 400 and "future" in response.get_data(as_text=True)


def test_a_unit_cannot_be_signed_off_twice(dashboard):
    sign_off(dashboard)
    assert sign_off(dashboard).status_code == 400


def test_undo_returns_the_grade_to_pending_manual_and_is_audited(dashboard):
    queue(dashboard)
    sign_off(dashboard)
    form = get(
        dashboard,
        "/assessor/signoff",
        learner=dashboard.course.learners[0],
        unit=dashboard.course.observed_unit,
    )
    signoff_id = re.search(r"/assessor/signoff/(\d+)/undo", form.get_data(as_text=True)).group(1)
    response = post(dashboard, f"/assessor/signoff/{signoff_id}/undo", reason="Wrong learner chosen")
    assert response.status_code == 303
    assert outbox(dashboard)[-1].grading_progress == "PendingManual"
    audit = get(dashboard, "/assessor/audit").get_data(as_text=True)
    assert 'data-action="undo-sign-off"' in audit and "Wrong learner chosen" in audit


def test_undo_needs_a_reason(dashboard):
    sign_off(dashboard)
    form = get(
        dashboard,
        "/assessor/signoff",
        learner=dashboard.course.learners[0],
        unit=dashboard.course.observed_unit,
    )
    signoff_id = re.search(r"/assessor/signoff/(\d+)/undo", form.get_data(as_text=True)).group(1)
    assert post(dashboard, f"/assessor/signoff/{signoff_id}/undo", reason="").status_code == 400


def _fail_all(dash, answer="HTTP 400 (empty answer)"):
    with dash.db.session() as session:
        for row in session.scalars(select(OutboxScore)):
            row.status, row.attempts, row.last_http_status, row.platform_answer = FAILED, 1, 400, answer


def test_the_sync_list_shows_state_tries_and_the_platforms_answer(dashboard):
    queue(dashboard)
    _fail_all(dashboard)
    page = get(dashboard, "/assessor/syncs").get_data(as_text=True)
    assert 'data-state="failed"' in page and "HTTP 400 (empty answer)" in page


def test_the_failed_filter_hides_other_syncs(dashboard):
    queue(dashboard, learner=0)
    _fail_all(dashboard)
    queue(dashboard, learner=1)
    page = get(dashboard, "/assessor/syncs", failed="1").get_data(as_text=True)
    assert page.count("data-sync=") == 1 and 'data-state="failed"' in page


def test_the_learner_filter_shows_one_learner(dashboard):
    queue(dashboard, learner=0)
    queue(dashboard, learner=1)
    page = get(dashboard, "/assessor/syncs", learner=str(dashboard.course.learners[1])).get_data(as_text=True)
    assert page.count("data-sync=") == 1


def test_resend_all_failed_queues_the_current_scores_again(dashboard):
    queue(dashboard, learner=0)
    queue(dashboard, learner=1)
    _fail_all(dashboard)
    assert post(dashboard, "/assessor/syncs/resend").status_code == 303
    rows = outbox(dashboard)
    assert [r.status for r in rows] == [FAILED, FAILED, QUEUED, QUEUED]
    assert all(r.superseded_by for r in rows[:2])


def test_resend_one_failed_sync(dashboard):
    queue(dashboard, learner=0)
    _fail_all(dashboard)
    first = outbox(dashboard)[0]
    assert post(dashboard, "/assessor/syncs/resend", row=str(first.id)).status_code == 303
    assert [r.status for r in outbox(dashboard)] == [FAILED, QUEUED]


def test_resend_of_a_sync_that_did_not_fail_is_refused(dashboard):
    queue(dashboard)
    row = outbox(dashboard)[0]
    assert post(dashboard, "/assessor/syncs/resend", row=str(row.id)).status_code == 400


def test_the_csv_export_has_a_line_per_learner_and_unit(dashboard):
    queue(dashboard)
    response = get(dashboard, "/assessor/grid.csv")
    lines = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert response.mimetype == "text/csv" and len(lines) == 2  # one learner × two units
    mine = next(
        line for line in lines if line["learner_id"] == "learner0" and line["unit"] == "Understand your role"
    )
    assert (mine["status"], mine["score"]) == ("Awaiting sign-off", "85.0")


def test_bad_numbers_in_the_query_are_refused_cleanly(dashboard):
    assert get(dashboard, "/assessor/syncs", unit="abc").status_code == 400


def test_an_instructor_can_require_a_sign_off_for_an_uploaded_package(dashboard):
    queue(dashboard, link=dashboard.course.package_unit)
    assert outbox(dashboard)[-1].grading_progress == "FullyGraded"
    response = post(
        dashboard,
        f"/assessor/units/{dashboard.course.package_unit}/signoff-setting",
        role="instructor",
        setting="required",
    )
    assert response.status_code == 303
    assert outbox(dashboard)[-1].grading_progress == "PendingManual"
    audit = get(dashboard, "/assessor/audit").get_data(as_text=True)
    assert 'data-action="signoff-setting"' in audit


def test_an_assessor_cannot_change_the_sign_off_setting(dashboard):
    response = post(
        dashboard, f"/assessor/units/{dashboard.course.package_unit}/signoff-setting", setting="required"
    )
    assert response.status_code == 400


def test_a_learner_of_another_lms_cannot_be_signed_off_or_seen(dashboard):
    from tests.grades.conftest import make_course

    other = make_course(dashboard.db, issuer="https://other-lms.example", learners=1)
    response = post(
        dashboard,
        "/assessor/signoff",
        learner=other.learners[0],
        unit=dashboard.course.observed_unit,
        observed_on=date.today().isoformat(),
        evidence="seen",
    )
    assert response.status_code in (400, 404)
    assert (
        get(dashboard, "/assessor/signoff", learner=other.learners[0], unit=other.observed_unit).status_code
        == 404
    )


def test_hostile_sign_off_forms_are_refused_cleanly(dashboard):
    learner, unit = dashboard.course.learners[0], dashboard.course.observed_unit
    assert (
        post(
            dashboard, "/assessor/signoff", learner=learner, unit=unit, observed_on="yesterday", evidence="x"
        ).status_code
        == 400
    )
    assert (
        post(
            dashboard, "/assessor/signoff", learner="1;DROP", unit=unit, observed_on="2026-01-01"
        ).status_code
        == 400
    )
    long_notes = "x" * 5000
    response = post(
        dashboard,
        "/assessor/signoff",
        learner=learner,
        unit=unit,
        observed_on="2026-01-01",
        evidence=long_notes,
    )
    assert response.status_code == 400
    post(
        dashboard,
        "/assessor/signoff",
        learner=learner,
        unit=unit,
        observed_on="2026-01-01",
        evidence="<script>x</script>",
    )
    page = get(dashboard, "/assessor/signoff", learner=learner, unit=unit).get_data(as_text=True)
    assert "&lt;script&gt;x&lt;/script&gt;" in page and "<script>x" not in page
