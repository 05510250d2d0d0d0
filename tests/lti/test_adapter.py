"""The adapter around pylti1p3: our request, cookies, tool config and session service."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Response
from werkzeug.http import dump_cookie

from lti_tool.lti.adapter import (
    DatabaseSessionService,
    DatabaseToolConfig,
    LaunchCookies,
    ParamsRequest,
    launch_cookie_header,
    library_registration,
    state_cookie_name,
)
from lti_tool.lti.errors import LtiRefusal
from lti_tool.repo import registrations as registration_repo

LTI_TOOL = Path(__file__).resolve().parents[2] / "lti_tool"


def test_only_the_library_module_imports_pylti1p3():
    importers = [
        path.relative_to(LTI_TOOL).as_posix()
        for path in LTI_TOOL.rglob("*.py")
        if "import pylti1p3" in path.read_text() or "from pylti1p3" in path.read_text()
    ]
    assert importers == ["lti/library.py"]


def test_request_params_ignore_non_text_values():
    request = ParamsRequest({"iss": "https://x", "bad": ["list"]}, {}, secure=True)
    assert (
        request.get_param("iss") == "https://x"
        and request.get_param("bad") == ""
        and request.get_param("no") == ""
    )
    assert request.session is None


def test_cookies_are_partitioned_and_same_site_none_when_secure():
    cookies = LaunchCookies(ParamsRequest({}, {}, True), secure=True)
    cookies.set_cookie(state_cookie_name("s"), "s", 600)
    header = cookies.apply(Response()).headers["Set-Cookie"]
    assert (
        "Secure" in header
        and "SameSite=None" in header
        and "Partitioned" in header
        and "Max-Age=600" in header
    )


def test_cookies_fall_back_to_lax_for_http_test_setups():
    cookies = LaunchCookies(ParamsRequest({}, {}, False), secure=False)
    cookies.set_cookie("c", "v", 60)
    header = cookies.apply(Response()).headers["Set-Cookie"]
    assert "SameSite=Lax" in header and "Secure" not in header


@pytest.mark.parametrize("secure", [True, False])
@pytest.mark.parametrize(
    ("name", "value", "max_age"),
    [
        ("lti_state_0123456789abcdef0123", "Zm9v-YmFy_baz.qux", 600),
        ("lti_state_0123456789abcdef0123", "", 0),
        ("c", "needs quoting; yes", 60),  # not plain: werkzeug quotes it
        ("c", "caf\u00e9", 60),
        ("c", "v", None),  # a session cookie: no Max-Age
    ],
)
def test_cookie_headers_are_what_werkzeug_writes(name, value, max_age, secure):
    attributes = {"secure": True, "samesite": "None", "partitioned": True} if secure else {"samesite": "Lax"}
    expected = dump_cookie(
        name, value, max_age=max_age, path="/", httponly=True, sync_expires=False, **attributes
    )
    assert launch_cookie_header(name, value, max_age, secure) == expected


def test_state_cookie_names_differ_per_login():
    assert state_cookie_name("state-a") != state_cookie_name("state-b")


def test_tool_config_finds_a_registration_by_issuer_and_client(tool, platform):
    with tool.db.session() as session:
        library_reg = DatabaseToolConfig(session).find_registration_by_params(
            platform.issuer, platform.client_id
        )
        assert library_reg.get_client_id() == platform.client_id
        assert library_reg.get_auth_token_url() == platform.issuer + "/token"
        assert library_reg.get_kid() and "PRIVATE KEY" in library_reg.get_tool_private_key()


def test_tool_config_refuses_an_unknown_issuer_with_a_code(tool):
    with tool.db.session() as session, pytest.raises(LtiRefusal) as refusal:
        DatabaseToolConfig(session).find_registration_by_params("https://nobody.example", "c")
    assert refusal.value.code == "LTI-ISSUER-UNKNOWN"


def test_tool_config_refuses_an_unknown_client_of_a_known_issuer(tool, platform):
    with tool.db.session() as session, pytest.raises(LtiRefusal) as refusal:
        DatabaseToolConfig(session).find_registration_by_params(platform.issuer, "not-our-client")
    assert refusal.value.code == "LTI-CLIENT-UNKNOWN"


def test_login_without_client_id_is_refused_when_the_issuer_has_several_registrations(tool, platform):
    with tool.db.session() as session:
        registration_repo.add_registration(
            session,
            issuer=platform.issuer,
            client_id="second-" + platform.client_id,
            auth_login_url=platform.issuer + "/auth",
            auth_token_url=platform.issuer + "/token",
            key_set_url=platform.issuer + "/jwks",
        )
    with tool.db.session() as session, pytest.raises(LtiRefusal) as refusal:
        DatabaseToolConfig(session).find_registration_by_issuer(platform.issuer)
    assert refusal.value.code == "LTI-LOGIN-MISSING-PARAM"


def test_tool_config_finds_only_registered_deployments(tool, platform):
    with tool.db.session() as session:
        config = DatabaseToolConfig(session)
        assert config.find_deployment_by_params(platform.issuer, platform.deployment_id, platform.client_id)
        assert config.find_deployment_by_params(platform.issuer, "other", platform.client_id) is None


def test_session_service_reads_launch_data_from_the_database_only(tool):
    with tool.db.session() as session:
        service = DatabaseSessionService(session)
        assert service.get_launch_data("no-such-token") is None
        with pytest.raises(NotImplementedError):
            service.save_nonce("n")


def test_library_registration_signs_with_the_newest_key(tool, platform):
    from lti_tool import keys

    with tool.db.session() as session:
        registration = registration_repo.get_registration(session, platform.registration_id)
        assert library_registration(session, registration).get_kid() == keys.signing_key(session).kid
