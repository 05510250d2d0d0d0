"""Launches that race: the same new user at once, and the same launch posted twice at once."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from lti_tool.db.models import User
from tests.lti.conftest import start_login


def run_together(actions) -> list:
    results: list = [None] * len(actions)
    barrier = threading.Barrier(len(actions))

    def run(index, action):
        barrier.wait(10)
        results[index] = action()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_simultaneous_first_launches_of_one_user_record_one_user(app, platform, tool):
    prepared = []
    for _ in range(4):
        client = app.test_client()
        login = start_login(client, platform)
        form = {"id_token": platform.id_token(login.nonce, sub="racer"), "state": login.state}
        prepared.append((client, form))
    statuses = run_together([lambda c=c, f=f: c.post("/lti/launch", data=f).status_code for c, f in prepared])
    assert statuses == [200] * 4
    with tool.db.session() as session:
        count = session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.registration_id == platform.registration_id, User.sub == "racer")
        )
    assert count == 1


def test_the_same_launch_posted_twice_at_once_succeeds_once(app, platform):
    client = app.test_client()
    login = start_login(client, platform)
    form = {"id_token": platform.id_token(login.nonce), "state": login.state}
    cookies = {c.key: c.value for c in client._cookies.values()}

    def post():
        other = app.test_client()
        for name, value in cookies.items():
            other.set_cookie(name, value)
        return other.post("/lti/launch", data=form).status_code

    statuses = sorted(run_together([post, post, post]))
    assert statuses == [200, 400, 400]
