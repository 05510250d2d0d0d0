"""LTI Dynamic Registration, tool side, against the test platform's configuration and registration
endpoint.
"""

from __future__ import annotations

from lti_tool.repo import registrations as registration_repo
from tests.lti.conftest import TOOL_BASE_URL, error_code

TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"


def register(app, platform, token="reg-token-1"):
    return app.test_client().get(
        "/lti/register",
        query_string={
            "openid_configuration": platform.issuer + "/.well-known/openid-configuration",
            "registration_token": token,
        },
    )


def stored(tool, platform):
    with tool.db.session() as session:
        registration = registration_repo.find_registration(session, platform.issuer, platform.client_id)
        deployments = registration_repo.list_deployments(session, registration) if registration else []
        return registration, [d.deployment_id for d in deployments]


def test_registration_posts_the_tools_configuration_with_the_bearer_token(app, platform, tool):
    platform.client_id = "dr-" + platform.client_id
    response = register(app, platform)
    assert response.status_code == 200
    sent = platform.registrations[-1]
    assert sent["initiate_login_uri"] == TOOL_BASE_URL + "/lti/login"
    assert sent["redirect_uris"] == [TOOL_BASE_URL + "/lti/launch"]
    assert sent["jwks_uri"] == TOOL_BASE_URL + "/lti/jwks"
    assert sent["token_endpoint_auth_method"] == "private_key_jwt"
    scopes = sent["scope"].split()
    assert {
        "https://purl.imsglobal.org/spec/lti-ags/scope/score",
        "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
    } <= set(scopes)
    messages = {m["type"] for m in sent[TOOL_CONFIGURATION]["messages"]}
    assert "LtiDeepLinkingRequest" in messages
    assert sent[TOOL_CONFIGURATION]["domain"] == "tool.test"


def test_registration_closes_the_platform_dialog(app, platform):
    platform.client_id = "dr-" + platform.client_id
    page = register(app, platform).get_data(as_text=True)
    assert "org.imsglobal.lti.close" in page and "window.opener || window.parent" in page


def test_registration_is_stored_pending_by_default_with_its_deployment(app, platform, tool):
    platform.client_id = "dr-" + platform.client_id
    register(app, platform)
    registration, deployments = stored(tool, platform)
    assert registration.status == "pending" and registration.source == "dynamic"
    assert registration.key_set_url == platform.issuer + "/jwks"
    assert deployments == [platform.deployment_id]


def test_registration_is_active_when_auto_activation_is_on(app, platform, tool):
    platform.client_id = "dr-" + platform.client_id
    app.config["REGISTRATION_AUTO_ACTIVATE"] = True
    try:
        register(app, platform)
    finally:
        app.config["REGISTRATION_AUTO_ACTIVATE"] = False
    assert stored(tool, platform)[0].status == "active"


def test_refused_registration_token_gives_a_page_with_the_platforms_answer(app, platform):
    platform.client_id = "dr-" + platform.client_id
    response = register(app, platform, token="wrong")
    assert response.status_code == 502 and error_code(response) == "LTI-REGISTRATION-FAILED"
    assert "401" in response.get_data(as_text=True)


def test_unreachable_configuration_is_a_clear_refusal(app):
    response = app.test_client().get(
        "/lti/register",
        query_string={"openid_configuration": "http://127.0.0.1:9/nothing", "registration_token": "x"},
    )
    assert response.status_code == 502 and error_code(response) == "LTI-REGISTRATION-FAILED"


def test_missing_configuration_url_is_refused(app):
    response = app.test_client().get("/lti/register")
    assert response.status_code == 400 and error_code(response) == "LTI-BAD-REQUEST"


def test_registered_platform_can_launch_once_activated(app, platform, tool):
    from tests.lti.conftest import launch

    platform.client_id = "dr-" + platform.client_id
    register(app, platform)
    client = app.test_client()
    assert error_code(launch_or_login(client, platform)) == "LTI-REGISTRATION-PENDING"
    with tool.db.session() as session:
        registration = registration_repo.find_registration(session, platform.issuer, platform.client_id)
        registration_repo.set_status(session, registration, "active")
    assert launch(client, platform).status_code == 200


def launch_or_login(client, platform):
    return client.post(
        "/lti/login",
        data={
            "iss": platform.issuer,
            "login_hint": "h",
            "target_link_uri": TOOL_BASE_URL + "/lti/launch",
            "client_id": platform.client_id,
        },
    )
