"""Kept launch rows (lti_tool.lti.kept_launch_rows): a relaunch that sends the same values writes only its
launch session; anything changed is written; a row deleted meanwhile, or an id reused, never gives a wrong
launch; registrations never share kept rows."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import delete, select

from lti_tool.app import services
from lti_tool.db.models import LaunchSession, User
from lti_tool.lti.adapter import state_cookie_name
from lti_tool.repo import launches as launch_repo
from lti_tool.repo import people
from lti_tool.repo import registrations as registration_repo
from tests.lti.conftest import error_code, launch, register_anew, start_login
from tests.lti.test_launch_statements import counted_statements, no_purge  # noqa: F401 - a fixture

pytestmark = pytest.mark.usefixtures("no_purge")


def _counted_launch(app, platform, **token_args) -> tuple[str, list[str]]:
    """A login and launch; (the launch page, the statements the launch sent)."""
    with app.app_context():
        engine = services().db.engine
    client = app.test_client()
    login = start_login(client, platform)
    id_token = platform.id_token(login.nonce, **token_args)
    with counted_statements(engine) as statements:
        response = client.post("/lti/launch", data={"id_token": id_token, "state": login.state})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True), statements


def _writes_to(statements: list[str]) -> list[str]:
    """The tables the statements write, in order."""
    return [re.match(r"\s*INSERT INTO (\w+)", sql).group(1) for sql in statements if "INSERT" in sql]


def _launch_session_user(tool, page: str) -> User:
    token = re.search(r'data-launch-token="([^"]+)"', page).group(1)
    with tool.db.session(readonly=True) as session:
        found = launch_repo.find_launch_session(session, token)
        return session.get(User, found.user_pk)


def test_a_relaunch_with_the_same_claims_writes_only_its_launch_session(app, platform):
    _counted_launch(app, platform, sub="learner-kept")
    page, statements = _counted_launch(app, platform, sub="learner-kept")
    assert _writes_to(statements) == ["launch_sessions"] and len(statements) == 1, statements
    assert 'data-user="learner-kept"' in page and "Name of learner-kept" in page


def test_a_first_launch_writes_its_user_course_and_link(app, platform):
    _, statements = _counted_launch(app, platform, sub="learner-new-here")
    assert _writes_to(statements) == ["users", "contexts", "resource_links", "launch_sessions"]


def test_a_changed_name_is_written(app, platform, tool):
    _counted_launch(app, platform, sub="learner-renamed")
    page, statements = _counted_launch(
        app, platform, sub="learner-renamed", overrides={"name": "Renamed Learner"}
    )
    assert _writes_to(statements) == ["users", "launch_sessions"]
    assert "Renamed Learner" in page
    assert _launch_session_user(tool, page).name == "Renamed Learner"


def test_a_changed_course_title_is_written(app, platform, tool):
    _counted_launch(app, platform, sub="learner-course")
    course = {"id": "course-1", "label": "CC101", "title": "Care Certificate, spring cohort"}
    page, statements = _counted_launch(
        app,
        platform,
        sub="learner-course",
        overrides={"https://purl.imsglobal.org/spec/lti/claim/context": course},
    )
    assert _writes_to(statements) == ["contexts", "launch_sessions"]
    assert "Care Certificate, spring cohort" in page


def test_a_user_deleted_between_two_launches_gets_a_good_launch(app, platform, tool):
    _counted_launch(app, platform, sub="learner-erased")
    with tool.db.session() as session:
        session.execute(delete(User).where(User.sub == "learner-erased"))
    page, statements = _counted_launch(app, platform, sub="learner-erased")
    assert "users" in _writes_to(statements)
    assert _launch_session_user(tool, page).sub == "learner-erased"


def test_a_deleted_users_id_taken_by_another_user_is_never_reused(app, platform, tool):
    # SQLite gives a new row the largest id plus one: once the newest user is deleted, the next user created
    # takes its id. The kept row's id must not then open a launch as that other user.
    _counted_launch(app, platform, sub="learner-first")
    with tool.db.session() as session:
        first_id = session.scalars(select(User.id).where(User.sub == "learner-first")).one()
        session.execute(delete(User).where(User.id == first_id))
    _counted_launch(app, platform, sub="learner-second")
    page, _ = _counted_launch(app, platform, sub="learner-first")
    user = _launch_session_user(tool, page)
    assert (user.sub, user.registration_id) == ("learner-first", platform.registration_id)


def test_two_registrations_never_share_kept_rows(app, platform, tool):
    first_page, _ = _counted_launch(app, platform, sub="learner-shared-sub")
    register_anew(platform, tool)  # another tenant: the same sub, course and link ids
    second_page, statements = _counted_launch(app, platform, sub="learner-shared-sub")
    assert _writes_to(statements) == ["users", "contexts", "resource_links", "launch_sessions"]
    first, second = _launch_session_user(tool, first_page), _launch_session_user(tool, second_page)
    assert first.id != second.id and second.registration_id == platform.registration_id
    token = re.search(r'data-launch-token="([^"]+)"', second_page).group(1)
    with tool.db.session(readonly=True) as session:
        opened = session.scalars(
            select(LaunchSession).where(LaunchSession.token_hash == launch_repo.token_hash(token))
        ).one()
        assert {opened.registration_id} == {platform.registration_id}


def test_a_row_recorded_outside_launches_drops_the_kept_rows(app, platform, tool):
    _counted_launch(app, platform, sub="learner-roster")
    with tool.db.session() as session:
        registration = registration_repo.get_registration(session, platform.registration_id)
        people.record_user(session, registration, "learner-roster", {"name": "Name from the roster"})
    page, statements = _counted_launch(app, platform, sub="learner-roster")
    assert _writes_to(statements) == ["users", "contexts", "resource_links", "launch_sessions"]
    assert "Name of learner-roster" in page


def test_a_replayed_launch_is_refused_when_its_rows_are_kept(app, platform):
    client = app.test_client()
    launch(client, platform, sub="learner-replaying")
    login = start_login(client, platform)
    cookie = client.get_cookie(state_cookie_name(login.state)).value
    form = {"id_token": platform.id_token(login.nonce, sub="learner-replaying"), "state": login.state}
    assert client.post("/lti/launch", data=form).status_code == 200
    client.set_cookie(state_cookie_name(login.state), cookie)  # the state's proof sent again
    replay = client.post("/lti/launch", data=form)
    assert replay.status_code == 400 and error_code(replay) == "LTI-NONCE-REPLAYED"
