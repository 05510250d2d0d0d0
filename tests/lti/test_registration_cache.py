"""Registration rows kept a few seconds by logins and launches: an admin's change still takes effect
quickly."""

from __future__ import annotations

import time

from sqlalchemy import update

from lti_tool.db.models import Registration
from lti_tool.lti.registration_cache import registration_cache
from lti_tool.repo import registrations as registration_repo
from tests.lti.conftest import TOOL_BASE_URL, error_code, start_login


def _login(client, platform):
    data = {
        "iss": platform.issuer,
        "login_hint": "h",
        "target_link_uri": TOOL_BASE_URL + "/lti/launch",
        "client_id": platform.client_id,
    }
    return client.post("/lti/login", data=data)


def _disable_here(tool, platform) -> None:
    # As the admin page and `carecert platform activate` do it.
    with tool.db.session() as session:
        registration = registration_repo.get_registration(session, platform.registration_id)
        registration_repo.set_status(session, registration, "disabled")


def _disable_elsewhere(tool, platform) -> None:
    # As another worker process would: the row changes, this process is not told.
    with tool.db.session() as session:
        session.execute(
            update(Registration).where(Registration.id == platform.registration_id).values(status="disabled")
        )


def test_disabling_a_registration_here_refuses_the_next_login_at_once(app, platform, tool):
    client = app.test_client()
    assert _login(client, platform).status_code == 302  # the registration is now kept
    _disable_here(tool, platform)
    response = _login(client, platform)
    assert response.status_code == 403 and error_code(response) == "LTI-REGISTRATION-DISABLED"


def test_disabling_a_registration_here_refuses_a_launch_already_logged_in(app, platform, tool):
    client = app.test_client()
    warm = start_login(client, platform)
    assert (
        client.post(
            "/lti/launch", data={"id_token": platform.id_token(warm.nonce), "state": warm.state}
        ).status_code
        == 200
    )  # the registration and deployment are now kept
    login = start_login(client, platform)
    _disable_here(tool, platform)
    response = client.post(
        "/lti/launch", data={"id_token": platform.id_token(login.nonce), "state": login.state}
    )
    assert error_code(response) == "LTI-REGISTRATION-DISABLED"


def test_disabling_a_registration_elsewhere_takes_effect_within_the_cache_time(
    app, platform, tool, monkeypatch
):
    monkeypatch.setattr(registration_cache, "seconds", 0.3)
    client = app.test_client()
    assert _login(client, platform).status_code == 302
    _disable_elsewhere(tool, platform)
    time.sleep(0.35)
    response = _login(client, platform)
    assert response.status_code == 403 and error_code(response) == "LTI-REGISTRATION-DISABLED"


def test_a_client_id_not_found_is_not_kept(app, platform, tool):
    client = app.test_client()
    data = {"iss": platform.issuer, "login_hint": "h", "target_link_uri": "x", "client_id": "added-later"}
    data["client_id"] += "-" + platform.client_id
    assert error_code(client.post("/lti/login", data=data)) == "LTI-CLIENT-UNKNOWN"
    with tool.db.session() as session:
        registration_repo.add_registration(
            session,
            issuer=platform.issuer,
            client_id=data["client_id"],
            auth_login_url=platform.issuer + "/auth",
            auth_token_url=platform.issuer + "/token",
            key_set_url=platform.issuer + "/jwks",
        )
    assert client.post("/lti/login", data=data).status_code == 302
