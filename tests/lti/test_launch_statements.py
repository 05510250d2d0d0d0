"""How many SQL statements a login and a launch cost: a guard against ORM round trips creeping back in.

The figures are what the launch needs after bench/launch.py's profiling work (issue 3's speed aim): the login
reads its registration and writes its state (2); the launch reads the login with its registration and
deployment (1), uses the nonce (1), and upserts the user, course and link and writes the launch session (4).
Transaction control (BEGIN, PRAGMA, SET LOCAL) is not counted: it depends on the database, not on our code.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from lti_tool.app import services
from lti_tool.web import lti_views
from tests.lti.conftest import start_login

LOGIN_STATEMENTS_MAX = 2
LAUNCH_STATEMENTS_MAX = 6
TRANSACTION_CONTROL = ("BEGIN", "PRAGMA", "SET ")


@contextmanager
def counted_statements(engine):  # type: ignore[no-untyped-def]
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        if not statement.lstrip().upper().startswith(TRANSACTION_CONTROL):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


@pytest.fixture
def no_purge(monkeypatch):
    # The login purges old rows once in PURGE_ONE_LOGIN_IN logins, at random: not in these counts.
    monkeypatch.setattr(lti_views, "PURGE_ONE_LOGIN_IN", 10**18)


def _login_and_launch(client, platform, engine) -> tuple[list[str], list[str]]:
    with counted_statements(engine) as login_statements:
        login = start_login(client, platform)
    id_token = platform.id_token(login.nonce, sub="learner-counted")
    with counted_statements(engine) as launch_statements:
        response = client.post("/lti/launch", data={"id_token": id_token, "state": login.state})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return login_statements, launch_statements


def test_a_login_costs_at_most_two_statements(app, platform, no_purge):
    with app.app_context():
        engine = services().db.engine
    client = app.test_client()
    _login_and_launch(client, platform, engine)  # first launch: the platform's keys are fetched and cached
    login_statements, _ = _login_and_launch(client, platform, engine)
    assert len(login_statements) <= LOGIN_STATEMENTS_MAX, "\n".join(login_statements)


def test_a_launch_costs_at_most_six_statements(app, platform, no_purge):
    with app.app_context():
        engine = services().db.engine
    client = app.test_client()
    _login_and_launch(client, platform, engine)
    _, launch_statements = _login_and_launch(client, platform, engine)
    assert len(launch_statements) <= LAUNCH_STATEMENTS_MAX, "\n".join(launch_statements)


def test_a_first_launch_of_a_new_user_costs_no_more_than_a_relaunch(app, platform, no_purge):
    with app.app_context():
        engine = services().db.engine
    client = app.test_client()
    _login_and_launch(client, platform, engine)
    login = start_login(client, platform)
    id_token = platform.id_token(login.nonce, sub="learner-never-seen")
    with counted_statements(engine) as statements:
        response = client.post("/lti/launch", data={"id_token": id_token, "state": login.state})
    assert response.status_code == 200
    assert len(statements) <= LAUNCH_STATEMENTS_MAX, "\n".join(statements)
