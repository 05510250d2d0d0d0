"""The signed login state: the login writes nothing, and the launch refuses any state it did not issue,
one that expired, one already used, one of another registration, and one the browser cannot prove."""

from __future__ import annotations

import base64
import json
import re
import time
from datetime import timedelta

from sqlalchemy import func, select, update

from lti_tool.db.models import LaunchSession, LoginState, utcnow
from lti_tool.lti.adapter import state_cookie_name
from lti_tool.lti.login_state import issue_state, read_state
from lti_tool.repo import launches as launch_repo
from lti_tool.repo import registrations as registration_repo
from tests.lti.conftest import error_code, start_login
from tests.lti.platform import LTI


def _count_login_rows(tool) -> int:
    # Every table a login could write, and the launch sessions, which record the states launches used.
    with tool.db.session(readonly=True) as session:
        logins = session.scalar(select(func.count()).select_from(LoginState))
        used = session.scalar(select(func.count()).where(LaunchSession.state_hash.is_not(None)))
        return logins + used


def _post_launch(client, state: str, id_token: str):
    return client.post("/lti/launch", data={"id_token": id_token, "state": state})


def _with_cookie(client, state: str):
    # What an attacker holding a state can always do in their own browser: send the cookie it names.
    client.set_cookie(state_cookie_name(state), state.split(".")[1])
    return client


def _payload(state: str) -> list:
    encoded = state.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))


def _with_payload(state: str, fields: list) -> str:
    encoded = base64.urlsafe_b64encode(json.dumps(fields).encode()).rstrip(b"=").decode()
    return encoded + "." + state.split(".")[1]


def test_a_login_writes_nothing_and_its_launch_records_the_state_once(app, platform, tool):
    client = app.test_client()
    before = _count_login_rows(tool)
    login = start_login(client, platform)
    assert _count_login_rows(tool) == before
    assert _post_launch(client, login.state, platform.id_token(login.nonce)).status_code == 200
    assert _count_login_rows(tool) == before + 1


def test_state_with_an_altered_nonce_is_refused(app, platform):
    client = app.test_client()
    login = start_login(client, platform)
    fields = _payload(login.state)
    fields[2] = "nonce-the-attacker-chose"
    forged = _with_payload(login.state, fields)
    response = _post_launch(
        _with_cookie(client, forged), forged, platform.id_token("nonce-the-attacker-chose")
    )
    assert error_code(response) == "LTI-STATE-UNKNOWN"


def test_state_signed_with_another_key_is_refused(app, platform):
    client = app.test_client()
    params = {"iss": platform.issuer, "login_hint": "h", "target_link_uri": "x"}
    forged, login = issue_state("not-the-tools-secret", platform.registration_id, params, "", 600)
    response = _post_launch(_with_cookie(client, forged), forged, platform.id_token(login.nonce))
    assert error_code(response) == "LTI-STATE-UNKNOWN"


def test_expired_state_is_refused(app, platform):
    client = app.test_client()
    app.config["LOGIN_STATE_LIFETIME_SECONDS"] = -1
    try:
        login = start_login(client, platform)
    finally:
        app.config["LOGIN_STATE_LIFETIME_SECONDS"] = 600
    response = _post_launch(_with_cookie(client, login.state), login.state, platform.id_token(login.nonce))
    assert error_code(response) == "LTI-STATE-UNKNOWN"


def test_replay_that_brings_the_cookie_back_is_refused(app, platform):
    client = app.test_client()
    login = start_login(client, platform)
    id_token = platform.id_token(login.nonce)
    assert _post_launch(client, login.state, id_token).status_code == 200
    replay = _post_launch(_with_cookie(client, login.state), login.state, id_token)
    assert replay.status_code == 400 and error_code(replay) == "LTI-NONCE-REPLAYED"


def test_state_of_another_registration_is_refused(app, platform, tool):
    # The same LMS registered twice (two client ids): a state from one login, a token meant for the other.
    with tool.db.session() as session:
        other = registration_repo.add_registration(
            session,
            issuer=platform.issuer,
            client_id=platform.client_id + "-other",
            auth_login_url=platform.issuer + "/auth",
            auth_token_url=platform.issuer + "/token",
            key_set_url=platform.issuer + "/jwks",
        )
        registration_repo.add_deployment(session, other, "other-deployment")
    client = app.test_client()
    login = start_login(client, platform)
    overrides = {"aud": platform.client_id + "-other", LTI + "deployment_id": "other-deployment"}
    response = _post_launch(client, login.state, platform.id_token(login.nonce, overrides=overrides))
    assert error_code(response) == "LTI-AUDIENCE-MISMATCH"


def test_state_cookie_holds_the_signature_only_however_long_the_login(app, platform):
    client = app.test_client()
    login = start_login(client, platform, lti_message_hint="m" * 3000)
    cookie = client.get_cookie(state_cookie_name(login.state))
    assert cookie is not None and len(cookie.value) < 64 and len(login.state) > 3000
    assert _post_launch(client, login.state, platform.id_token(login.nonce)).status_code == 200


def test_new_window_path_runs_the_login_of_the_state_again(app, platform):
    client = app.test_client()
    login = start_login(client, platform, lti_message_hint='{"cmid":7}')
    again = client.get("/lti/login/again", query_string={"state": login.state})
    assert again.status_code == 302
    location = again.headers["Location"]
    assert "login_hint=hint-1" in location and "lti_message_hint=%7B%22cmid%22%3A7%7D" in location
    assert re.search(r"[?&]state=([^&]+)", location).group(1) != login.state  # a new login


def test_new_window_path_refuses_a_forged_state(app, platform):
    login = start_login(app.test_client(), platform)
    fields = _payload(login.state)
    fields[5]["login_hint"] = "someone-else"
    response = app.test_client().get(
        "/lti/login/again", query_string={"state": _with_payload(login.state, fields)}
    )
    assert error_code(response) == "LTI-STATE-UNKNOWN"


def test_state_and_cookie_that_are_not_ascii_are_refused_with_a_page(app, platform):
    client = app.test_client()
    login = start_login(client, platform)
    client.set_cookie(state_cookie_name(login.state), "é")
    response = _post_launch(client, login.state, platform.id_token(login.nonce))
    assert error_code(response) == "LTI-STATE-MISMATCH"
    assert error_code(_post_launch(client, "é.é", platform.id_token(login.nonce))) == "LTI-STATE-UNKNOWN"


def _sessions_of_state(session, state_hash: str) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count()).where(LaunchSession.state_hash == state_hash))


def test_used_states_are_kept_with_their_launch_session_a_day_at_least(app, platform, tool):
    client = app.test_client()
    login = start_login(client, platform)
    assert _post_launch(client, login.state, platform.id_token(login.nonce)).status_code == 200
    token_lifetime = int(app.config["LAUNCH_TOKEN_LIFETIME_SECONDS"])
    state_hash = launch_repo.token_hash(login.state)
    with tool.db.session() as session:
        # Its token counts as long expired, but the session was opened just now: its state may still be live.
        launch_repo.purge_expired(session, older_than=timedelta(seconds=-token_lifetime - 60))
        kept = _sessions_of_state(session, state_hash)
        two_days_ago = utcnow() - timedelta(days=2)
        session.execute(
            update(LaunchSession)
            .where(LaunchSession.state_hash == state_hash)
            .values(created_at=two_days_ago, expires_at=two_days_ago + timedelta(seconds=token_lifetime))
        )
        launch_repo.purge_expired(session)
        pruned = _sessions_of_state(session, state_hash)
    assert (kept, pruned) == (1, 0)


def test_a_state_lives_a_day_at_most_whatever_the_setting(app, platform, monkeypatch):
    # The launch session recording a used state is kept a day at least; a longer-lived state could be
    # replayed once its record was purged.
    monkeypatch.setitem(app.config, "LOGIN_STATE_LIFETIME_SECONDS", 30 * 86400)
    login = start_login(app.test_client(), platform)
    expires_at = read_state(app.config["SECRET_KEY"], login.state).expires_at
    assert expires_at <= time.time() + 86400 + 5
