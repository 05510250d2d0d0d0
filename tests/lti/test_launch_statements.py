"""How many SQL statements a login and a launch cost: a guard against ORM round trips creeping back in.

The figures are what the launch needs after bench/launch.py's profiling work (issue 3's speed aim): the login
signs its state and writes nothing, and reads its registration only when it was not read in the last few
seconds (0); the launch upserts the user, course and link and writes the launch session, which records its
state as used (4), and reads its registration and deployment (1) only when they were not read in the last few
seconds. A relaunch that sends the same values as one a minute before writes only its launch session
(tests/lti/test_kept_launch_rows.py). Statements are counted as the database driver receives them.
Transaction control (BEGIN, COMMIT, PRAGMA, SET LOCAL) and the pool's liveness pings are not counted: they
depend on the database, not on our code.
The launch is one unit of work: one pooled connection, one transaction.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from lti_tool.app import services
from lti_tool.web import lti_views
from tests.lti.conftest import start_login

LOGIN_STATEMENTS_MAX = 0
LAUNCH_STATEMENTS_MAX = 4
LAUNCH_STATEMENTS_UNCACHED_MAX = 5
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "PRAGMA", "SET ")
POOL_PINGS = ("SELECT 1", ";")  # the pool's liveness check (pool_pre_ping): not a statement of ours


@contextmanager
def counted_statements(engine):  # type: ignore[no-untyped-def]
    """The statements the database driver is sent while the block runs: SQLAlchemy's and those the launch
    runs on the DBAPI cursor itself (lti_tool.db.driver), which SQLAlchemy's events never see."""
    statements: list[str] = []

    def record(sql) -> None:  # type: ignore[no-untyped-def]
        text = sql if isinstance(sql, str) else str(sql)
        if not text.lstrip().upper().startswith(TRANSACTION_CONTROL) and text.strip() not in POOL_PINGS:
            statements.append(text)

    hooked: list = []

    def hook(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        hooked.append(dbapi_connection)
        if engine.dialect.name == "sqlite":
            dbapi_connection.set_trace_callback(record)
        else:
            dbapi_connection.cursor_factory = _counting_cursor(record)

    event.listen(engine, "connect", hook)
    engine.dispose()  # pooled connections opened before now are reopened, with the hook
    try:
        yield statements
    finally:
        event.remove(engine, "connect", hook)
        engine.dispose()


def _counting_cursor(record):  # type: ignore[no-untyped-def]
    import psycopg

    class CountingCursor(psycopg.Cursor):
        def execute(self, query, params=None, **kwargs):  # type: ignore[no-untyped-def]
            record(query)
            return super().execute(query, params, **kwargs)

    return CountingCursor


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


def test_a_login_costs_no_statement_once_its_registration_was_read(app, platform, no_purge):
    with app.app_context():
        engine = services().db.engine
    client = app.test_client()
    _login_and_launch(client, platform, engine)  # first launch: the platform's keys are fetched and cached
    login_statements, _ = _login_and_launch(client, platform, engine)
    assert len(login_statements) <= LOGIN_STATEMENTS_MAX, "\n".join(login_statements)


def test_a_launch_costs_at_most_four_statements_once_its_registration_was_read(app, platform, no_purge):
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


@contextmanager
def counted_checkouts(engine):  # type: ignore[no-untyped-def]
    checkouts: list[int] = []

    def record(*_args):  # type: ignore[no-untyped-def]
        checkouts.append(1)

    event.listen(engine, "checkout", record)
    try:
        yield checkouts
    finally:
        event.remove(engine, "checkout", record)


def test_a_login_takes_no_pooled_connection_and_a_launch_one(app, platform, no_purge):
    with app.app_context():
        engine = services().db.engine
    client = app.test_client()
    _login_and_launch(client, platform, engine)  # the platform's keys fetched and kept
    with counted_checkouts(engine) as login_checkouts:
        login = start_login(client, platform)
    id_token = platform.id_token(login.nonce, sub="learner-one-connection")
    with counted_checkouts(engine) as launch_checkouts:
        response = client.post("/lti/launch", data={"id_token": id_token, "state": login.state})
    assert response.status_code == 200
    assert (len(login_checkouts), len(launch_checkouts)) == (0, 1)


def test_a_launch_whose_registration_was_not_read_lately_reads_it_once(app, platform, no_purge):
    from lti_tool.lti.kept_launch_rows import kept_launch_rows
    from lti_tool.lti.registration_cache import registration_cache

    with app.app_context():
        engine = services().db.engine
    client = app.test_client()
    _login_and_launch(client, platform, engine)
    login = start_login(client, platform)
    registration_cache.clear()
    kept_launch_rows.clear()  # its course and link written again too (tests/lti/test_kept_launch_rows.py)
    id_token = platform.id_token(login.nonce, sub="learner-uncached")
    with counted_statements(engine) as statements:
        response = client.post("/lti/launch", data={"id_token": id_token, "state": login.state})
    assert response.status_code == 200
    assert len(statements) == LAUNCH_STATEMENTS_UNCACHED_MAX, "\n".join(statements)
