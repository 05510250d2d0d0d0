"""Resource-link launches: what a good launch records, and every way a bad one is refused."""

from __future__ import annotations

import re

from lti_tool.lti.adapter import state_cookie_name
from lti_tool.repo import launches as launch_repo
from lti_tool.repo import registrations as registration_repo
from tests.lti.conftest import TOOL_BASE_URL, error_code, launch, start_login
from tests.lti.platform import INSTRUCTOR, LTI, MISSING, new_key


def test_learner_launch_answers_a_page_with_a_launch_token_and_role(app, platform):
    response = launch(app.test_client(), platform, sub="learner-7")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert re.search(r'data-launch-token="[A-Za-z0-9_-]{40,}"', page)
    assert 'data-role="learner"' in page and 'data-user="learner-7"' in page
    assert "Unit 1: Understand your role" in page and "Name of learner-7" in page


def test_instructor_launch_is_mapped_to_instructor(app, platform):
    response = launch(app.test_client(), platform, roles=[INSTRUCTOR])
    assert 'data-role="instructor"' in response.get_data(as_text=True)


def test_launch_keeps_no_lti_data_in_the_cookie_session(app, platform):
    client = app.test_client()
    launch(client, platform)
    assert client.get_cookie("session") is None


def test_login_sets_a_partitioned_same_site_none_state_cookie_when_secure(app, platform):
    app.config["COOKIE_SECURE"] = True
    try:
        response = app.test_client().post(
            "/lti/login",
            data={
                "iss": platform.issuer,
                "login_hint": "h",
                "target_link_uri": TOOL_BASE_URL + "/lti/launch",
                "client_id": platform.client_id,
            },
        )
    finally:
        app.config["COOKIE_SECURE"] = False
    cookie = response.headers["Set-Cookie"]
    assert (
        "SameSite=None" in cookie and "Secure" in cookie and "Partitioned" in cookie and "HttpOnly" in cookie
    )


def test_login_by_get_works_like_post(app, platform):
    response = app.test_client().get(
        "/lti/login",
        query_string={
            "iss": platform.issuer,
            "login_hint": "h",
            "target_link_uri": TOOL_BASE_URL + "/lti/launch",
            "client_id": platform.client_id,
            "lti_message_hint": '{"cmid":3}',
        },
    )
    assert response.status_code == 302
    assert "lti_message_hint=%7B%22cmid%22%3A3%7D" in response.headers["Location"]
    assert response.headers["Location"].startswith(platform.issuer + "/auth?")


def test_login_from_unknown_issuer_is_refused_with_a_page(app, platform):
    response = app.test_client().post(
        "/lti/login", data={"iss": "https://unknown.example", "login_hint": "h", "target_link_uri": "x"}
    )
    assert response.status_code == 400 and error_code(response) == "LTI-ISSUER-UNKNOWN"


def test_login_without_login_hint_is_refused(app, platform):
    response = app.test_client().post("/lti/login", data={"iss": platform.issuer, "target_link_uri": "x"})
    assert error_code(response) == "LTI-LOGIN-MISSING-PARAM"


def test_replayed_launch_is_refused(app, platform):
    client = app.test_client()
    login = start_login(client, platform)
    form = {"id_token": platform.id_token(login.nonce), "state": login.state}
    assert client.post("/lti/launch", data=form).status_code == 200
    replay = client.post("/lti/launch", data=form)
    assert replay.status_code == 400 and error_code(replay) == "LTI-NONCE-REPLAYED"


def test_nonce_of_another_login_is_refused(app, platform):
    client = app.test_client()
    first, second = start_login(client, platform), start_login(client, platform)
    response = client.post(
        "/lti/launch", data={"id_token": platform.id_token(first.nonce), "state": second.state}
    )
    assert error_code(response) == "LTI-NONCE-MISMATCH"


def test_platform_clock_45_seconds_ahead_is_accepted(app, platform):
    platform.clock_offset_seconds = 45
    assert launch(app.test_client(), platform).status_code == 200


def test_platform_clock_5_minutes_ahead_is_refused(app, platform):
    platform.clock_offset_seconds = 300
    assert error_code(launch(app.test_client(), platform)) == "LTI-TOKEN-FUTURE"


def test_expired_token_is_refused(app, platform):
    platform.clock_offset_seconds = -300
    assert error_code(launch(app.test_client(), platform)) == "LTI-TOKEN-EXPIRED"


def test_missing_kid_is_refused(app, platform):
    assert error_code(launch(app.test_client(), platform, kid=MISSING)) == "LTI-KID-MISSING"


def test_unknown_kid_is_refused_after_one_refetch(app, platform):
    before = platform.jwks_requests
    response = launch(app.test_client(), platform, kid="no-such-kid")
    assert error_code(response) == "LTI-KID-UNKNOWN"
    assert platform.jwks_requests - before <= 2  # the first fetch, and one refetch


def test_platform_key_rotated_between_launches_is_picked_up(app, platform):
    client = app.test_client()
    assert launch(client, platform).status_code == 200
    platform.rotate_key()
    assert launch(client, platform).status_code == 200


def test_refetches_on_unknown_kids_are_rate_limited(app, platform):
    client = app.test_client()
    assert launch(client, platform).status_code == 200
    before = platform.jwks_requests
    for _ in range(12):
        launch(client, platform, kid="forged-kid")
    assert platform.jwks_requests - before == app.config["JWKS_REFETCH_MAX_PER_MINUTE"]


def test_token_signed_by_another_key_with_a_known_kid_is_refused(app, platform):
    response = launch(app.test_client(), platform, sign_with=new_key(), kid=platform.key["kid"])
    assert error_code(response) == "LTI-SIGNATURE-INVALID"


def test_not_a_jwt_is_refused(app, platform):
    client = app.test_client()
    login = start_login(client, platform)
    response = client.post("/lti/launch", data={"id_token": "not-a-jwt", "state": login.state})
    assert error_code(response) == "LTI-JWT-MALFORMED"


def test_unsigned_alg_none_token_is_refused(app, platform):
    client = app.test_client()
    login = start_login(client, platform)
    token = platform.id_token(login.nonce)
    header = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0"  # {"alg":"none","typ":"JWT"}
    response = client.post(
        "/lti/launch", data={"id_token": header + token[token.index(".") :], "state": login.state}
    )
    assert error_code(response) == "LTI-ALG-UNSUPPORTED"


def test_wrong_lti_version_is_refused(app, platform):
    response = launch(app.test_client(), platform, overrides={LTI + "version": "1.1"})
    assert error_code(response) == "LTI-VERSION"


def test_missing_deployment_id_is_refused(app, platform):
    response = launch(app.test_client(), platform, remove=(LTI + "deployment_id",))
    assert error_code(response) == "LTI-DEPLOYMENT-MISSING"


def test_unknown_deployment_is_refused_with_a_clear_message(app, platform):
    response = launch(app.test_client(), platform, overrides={LTI + "deployment_id": "other-deployment"})
    assert response.status_code == 403 and error_code(response) == "LTI-DEPLOYMENT-UNKNOWN"
    assert "other-deployment" in response.get_data(as_text=True)


def test_unknown_deployment_is_added_when_the_admin_allows_it(app, platform):
    app.config["ALLOW_UNKNOWN_DEPLOYMENTS"] = True
    try:
        response = launch(app.test_client(), platform, overrides={LTI + "deployment_id": "new-deployment"})
    finally:
        app.config["ALLOW_UNKNOWN_DEPLOYMENTS"] = False
    assert response.status_code == 200


def test_missing_message_type_is_refused(app, platform):
    assert (
        error_code(launch(app.test_client(), platform, remove=(LTI + "message_type",))) == "LTI-MESSAGE-TYPE"
    )


def test_unsupported_message_type_is_refused(app, platform):
    response = launch(app.test_client(), platform, overrides={LTI + "message_type": "LtiSomethingElse"})
    assert error_code(response) == "LTI-MESSAGE-TYPE"


def test_missing_roles_claim_is_refused(app, platform):
    assert error_code(launch(app.test_client(), platform, remove=(LTI + "roles",))) == "LTI-ROLES-MISSING"


def test_missing_subject_is_refused(app, platform):
    assert error_code(launch(app.test_client(), platform, remove=("sub",))) == "LTI-SUBJECT-MISSING"


def test_missing_resource_link_id_is_refused(app, platform):
    response = launch(app.test_client(), platform, overrides={LTI + "resource_link": {"title": "no id"}})
    assert error_code(response) == "LTI-RESOURCE-LINK-MISSING"


def test_wrong_audience_is_refused(app, platform):
    response = launch(app.test_client(), platform, overrides={"aud": "someone-else"})
    assert error_code(response) == "LTI-AUDIENCE-MISMATCH"


def test_several_audiences_without_azp_are_refused(app, platform):
    response = launch(app.test_client(), platform, overrides={"aud": [platform.client_id, "other"]})
    assert error_code(response) == "LTI-AUDIENCE-MISMATCH"


def test_several_audiences_with_our_azp_are_accepted(app, platform):
    overrides = {"aud": [platform.client_id, "other"], "azp": platform.client_id}
    assert launch(app.test_client(), platform, overrides=overrides).status_code == 200


def test_issuer_other_than_the_logins_is_refused(app, platform):
    response = launch(app.test_client(), platform, overrides={"iss": "https://evil.example"})
    assert error_code(response) == "LTI-ISSUER-UNKNOWN"


def test_target_link_uri_of_another_host_is_refused(app, platform):
    response = launch(app.test_client(), platform, target_link_uri="https://elsewhere.example/launch")
    assert error_code(response) == "LTI-TARGET-LINK-MISMATCH"


def test_unknown_state_is_refused(app, platform):
    response = app.test_client().post("/lti/launch", data={"id_token": "a.b.c", "state": "made-up"})
    assert error_code(response) in {"LTI-STATE-UNKNOWN", "LTI-JWT-MALFORMED"}


def test_missing_state_cookie_offers_the_new_window_path(app, platform):
    client = app.test_client()
    login = start_login(client, platform)
    client.delete_cookie(state_cookie_name(login.state))
    response = client.post(
        "/lti/launch", data={"id_token": platform.id_token(login.nonce), "state": login.state}
    )
    page = response.get_data(as_text=True)
    assert error_code(response) == "LTI-STATE-COOKIE-MISSING"
    link = re.search(r'id="open-new-window" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert 'target="_blank"' in page
    # The new window runs the same login again at the top level; its launch then completes.
    again = client.get(link)
    assert again.status_code == 302 and again.headers["Location"].startswith(platform.issuer + "/auth?")
    from urllib.parse import parse_qs, urlsplit

    query = {k: v[0] for k, v in parse_qs(urlsplit(again.headers["Location"]).query).items()}
    assert query["login_hint"] == "hint-1"
    final = client.post(
        "/lti/launch", data={"id_token": platform.id_token(query["nonce"]), "state": query["state"]}
    )
    assert final.status_code == 200 and "data-launch-token" in final.get_data(as_text=True)


def test_state_cookie_of_another_login_is_refused(app, platform):
    client = app.test_client()
    login = start_login(client, platform)
    client.set_cookie(state_cookie_name(login.state), "someone-elses-state")
    response = client.post(
        "/lti/launch", data={"id_token": platform.id_token(login.nonce), "state": login.state}
    )
    assert error_code(response) == "LTI-STATE-MISMATCH"


def test_pending_registration_cannot_start_a_login(app, platform, tool):
    from lti_tool.repo import registrations as registration_repo

    with tool.db.session() as session:
        registration = registration_repo.get_registration(session, platform.registration_id)
        registration_repo.set_status(session, registration, "pending")
    response = app.test_client().post(
        "/lti/login",
        data={
            "iss": platform.issuer,
            "login_hint": "h",
            "target_link_uri": "x",
            "client_id": platform.client_id,
        },
    )
    assert response.status_code == 403 and error_code(response) == "LTI-REGISTRATION-PENDING"


def test_tool_pages_never_send_the_launch_token_as_a_referrer(app, platform):
    response = launch(app.test_client(), platform)
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_successful_launch_expires_its_state_cookie(app, platform):
    client = app.test_client()
    login = start_login(client, platform)
    response = client.post(
        "/lti/launch", data={"id_token": platform.id_token(login.nonce), "state": login.state}
    )
    assert response.status_code == 200
    expired = [
        c for c in response.headers.getlist("Set-Cookie") if c.startswith(state_cookie_name(login.state))
    ]
    assert expired and "Max-Age=0" in expired[0]
    assert client.get_cookie(state_cookie_name(login.state)) is None


def test_launch_session_keeps_the_claims_exactly_as_sent(app, platform, tool):
    # Written with orjson (lti_tool.lti.launch_rows): non-ASCII text, an integer beyond 64 bits and nested
    # values read back as the platform sent them.
    custom = {"unit": "u01", "note": "Café – 日本", "big": 2**70, "ratio": 0.1, "list": [1, None, True]}
    page = launch(app.test_client(), platform, overrides={LTI + "custom": custom}).get_data(as_text=True)
    token = re.search(r'data-launch-token="([^"]+)"', page).group(1)
    with tool.db.session(readonly=True) as session:
        claims = launch_repo.find_launch_session(session, token).claims
    assert claims[LTI + "custom"] == custom and claims["name"] == "Name of user-1"


def test_login_redirect_to_an_endpoint_typed_as_an_iri_is_a_uri(app, platform):
    # An admin may paste the platform's authorisation URL with non-ASCII characters in it; the Location
    # header must carry it percent-encoded (RFC 3987 §3.1), with the login's parameters after its own.
    tool = app.extensions["carecert"]
    with tool.db.session() as session:
        registration = registration_repo.add_registration(
            session,
            issuer="https://lms.example/école",
            client_id="iri-client",
            auth_login_url="https://lms.example/connexion/autorisé?site=é",
            auth_token_url="https://lms.example/token",
            key_set_url="https://lms.example/jwks",
        )
        registration_repo.add_deployment(session, registration, "1")
    response = app.test_client().post(
        "/lti/login",
        data={
            "iss": "https://lms.example/école",
            "login_hint": "h",
            "target_link_uri": TOOL_BASE_URL + "/lti/launch",
            "client_id": "iri-client",
        },
    )
    location = response.headers["Location"]
    assert response.status_code == 302 and location.isascii()
    assert location.startswith("https://lms.example/connexion/autoris%C3%A9?site=%C3%A9&scope=openid&")
    assert "&login_hint=h" in location and "&state=" in location
