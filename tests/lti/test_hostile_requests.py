"""Malformed and hostile requests get a page with a code and a 4xx status, never a 500."""

from __future__ import annotations

import base64
import json
from urllib.parse import urlencode

import pytest

from tests.lti.conftest import TOOL_BASE_URL, error_code, start_login

GARBAGE_BODIES = [
    ("application/json", b'{"id_token": "a.b.c", "state": "x"}'),
    ("text/plain", b"id_token=a.b.c&state=x"),
    ("application/x-www-form-urlencoded", b"%%%%&&&==\xff\xfe"),
    ("multipart/form-data; boundary=zzz", b"--zzz\r\nnot really multipart"),
    ("application/xml", b"<?xml version='1.0'?><a/>"),
    ("application/octet-stream", bytes(range(256)) * 4),
]


def b64(data: dict | str) -> str:
    raw = data.encode() if isinstance(data, str) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "path", ["/lti/launch", "/lti/login", "/lti/deep-link/select", "/lti/deep-link/upload"]
)
@pytest.mark.parametrize("content_type,body", GARBAGE_BODIES)
def test_garbage_posts_are_refused_with_a_page(app, path, content_type, body):
    response = app.test_client().post(path, data=body, content_type=content_type)
    assert 400 <= response.status_code < 500
    assert error_code(response)


@pytest.mark.parametrize(
    "id_token",
    [
        "",
        "a.b",
        "a.b.c.d",
        "!!!.???.***",
        b64("not json") + "." + b64({}) + ".sig",
        b64([1, 2]) + "." + b64({}) + ".sig",
        b64({"alg": "RS256"}) + "." + b64("[]") + ".sig",
        b64({"alg": "HS256", "kid": "k"}) + "." + b64({"iss": "x"}) + ".sig",
        "x" * 200_000,
    ],
)
def test_malformed_id_tokens_are_refused(app, platform, id_token):
    client = app.test_client()
    login = start_login(client, platform)
    response = client.post("/lti/launch", data={"id_token": id_token, "state": login.state})
    assert 400 <= response.status_code < 500 and error_code(response)


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": 12345},
        {"sub": "x" * 5000},
        {"https://purl.imsglobal.org/spec/lti/claim/roles": "Learner"},
        {"https://purl.imsglobal.org/spec/lti/claim/roles": [1, 2]},
        {"https://purl.imsglobal.org/spec/lti/claim/context": "course"},
        {"https://purl.imsglobal.org/spec/lti/claim/context": {"id": ["x"]}},
        {"https://purl.imsglobal.org/spec/lti/claim/resource_link": ["link"]},
        {"https://purl.imsglobal.org/spec/lti/claim/resource_link": {"id": "r" * 300}},
        {"https://purl.imsglobal.org/spec/lti/claim/deployment_id": {"id": 1}},
        {"https://purl.imsglobal.org/spec/lti/claim/custom": ["unit"]},
        {"https://purl.imsglobal.org/spec/lti/claim/custom": {"unit": {"nested": True}}},
        {"name": ["a"], "email": 5, "given_name": "g" * 10_000},
        {"nonce": 42},
        {"aud": 7},
        {"exp": "tomorrow"},
        {"https://purl.imsglobal.org/spec/lti/claim/target_link_uri": 9},
        {"https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": "http://x"},
    ],
)
def test_hostile_claims_never_cause_a_server_error(app, platform, claims):
    client = app.test_client()
    login = start_login(client, platform)
    token = platform.id_token(login.nonce, overrides=claims)
    response = client.post("/lti/launch", data={"id_token": token, "state": login.state})
    assert response.status_code < 500, response.get_data(as_text=True)[:500]


def test_huge_form_field_is_refused_not_crashed(app, platform):
    response = app.test_client().post("/lti/login", data={"iss": "x" * 100_000, "login_hint": "h"})
    assert 400 <= response.status_code < 500 and error_code(response)


def test_body_over_the_upload_limit_is_refused(app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 1000
    try:
        response = app.test_client().post("/lti/launch", data={"id_token": "x" * 5000, "state": "s"})
    finally:
        app.config["MAX_CONTENT_LENGTH"] = limit
    assert response.status_code == 413 and error_code(response) == "LTI-TOO-LARGE"


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_wrong_methods_get_a_page(app, method):
    response = app.test_client().open("/lti/launch", method=method)
    assert response.status_code == 405 and error_code(response) == "LTI-METHOD-NOT-ALLOWED"


def test_unknown_page_gets_a_page(app):
    response = app.test_client().get("/lti/nothing-here")
    assert response.status_code == 404 and error_code(response) == "LTI-NOT-FOUND"


def test_login_again_with_unknown_state_is_refused(app):
    response = app.test_client().get("/lti/login/again", query_string={"state": "forged"})
    assert response.status_code == 400 and error_code(response) == "LTI-STATE-UNKNOWN"


def test_launch_token_with_garbage_is_refused(app):
    response = app.test_client().post(
        "/lti/deep-link/select", data={"unit": "x"}, headers={"Authorization": "Bearer " + "z" * 1000}
    )
    assert response.status_code == 401


def test_dynamic_registration_with_non_http_configuration_is_refused(app):
    response = app.test_client().get(
        "/lti/register",
        query_string={"openid_configuration": "file:///etc/passwd", "registration_token": "t"},
    )
    assert 400 <= response.status_code < 600 and response.status_code != 500
    assert error_code(response) == "LTI-REGISTRATION-FAILED"


def test_refusal_is_logged_with_its_code(app, caplog):
    with caplog.at_level("WARNING", logger="lti_tool.refusals"):
        app.test_client().post("/lti/launch", data={"state": "s"})
    assert any("LTI-MISSING-ID-TOKEN" in record.getMessage() for record in caplog.records)


def test_launch_posted_as_multipart_form_data_is_read(app, platform):
    client = app.test_client()
    login = start_login(client, platform)
    fields = {"id_token": platform.id_token(login.nonce), "state": login.state}
    response = client.post("/lti/launch", data=fields, content_type="multipart/form-data")
    assert response.status_code == 200 and b"data-launch-token" in response.data


def test_repeated_launch_field_counts_its_first_value(app, platform):
    client = app.test_client()
    login = start_login(client, platform)
    body = urlencode(
        [("id_token", platform.id_token(login.nonce)), ("state", login.state), ("id_token", "a.b.c")]
    )
    response = client.post("/lti/launch", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and b"data-launch-token" in response.data


def test_launch_body_larger_than_any_launch_is_refused_with_a_page(app, platform):
    client = app.test_client()
    login = start_login(client, platform)
    fields = {"id_token": "x" * 600_000, "state": login.state}  # past what the tool decodes itself
    response = client.post("/lti/launch", data=fields)
    assert error_code(response) == "LTI-JWT-MALFORMED"


def test_login_query_that_is_not_utf8_is_refused_with_a_page(app):
    # WSGI hands the query over as latin-1 text: these are the raw bytes 0xff 0xfe, not UTF-8.
    raw_query = {"QUERY_STRING": "iss=%ff&login_hint=\xff\xfe"}
    response = app.test_client().get("/lti/login", environ_overrides=raw_query)
    assert 400 <= response.status_code < 500 and error_code(response)


def test_login_by_get_counts_the_first_of_a_repeated_parameter(app, platform):
    query = urlencode(
        [
            ("iss", platform.issuer),
            ("login_hint", "hint-1"),
            ("target_link_uri", TOOL_BASE_URL + "/lti/launch"),
            ("client_id", platform.client_id),
            ("client_id", "another-client"),
        ]
    )
    response = app.test_client().get("/lti/login?" + query)
    assert response.status_code == 302
    assert f"client_id={platform.client_id}" in response.headers["Location"]
