"""Fixtures for testing the demo LMS on its own: the platform on a loopback port, and the test acting as
a tool (its own RSA key, its JWKS served on another loopback port, client assertions signed with it)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

import flask
import jwt
import pytest
import requests

from demo_lms.keys import PlatformKey
from demo_lms.models import ToolRegistration
from demo_lms.platform import DemoPlatform
from demo_lms.server import RunningServer, serve_in_thread, serve_platform

TOOL_BASE = "http://tool.invalid:9"  # never contacted: the tool's pages are not needed to test the platform


class FakeToolKeys:
    """The tool's signing keys and a JWKS server for them (the platform fetches it over HTTP)."""

    def __init__(self) -> None:
        self.keys = [PlatformKey.generate()]
        app = flask.Flask("fake_tool_keys")
        self.jwks_fetches = 0

        @app.get("/jwks")
        def jwks() -> flask.Response:
            self.jwks_fetches += 1
            return flask.jsonify({"keys": [key.public_jwk for key in self.keys]})

        self.server = serve_in_thread(app)
        self.jwks_url = self.server.url + "/jwks"

    @property
    def key(self) -> PlatformKey:
        return self.keys[-1]

    def sign(self, claims: dict, key: PlatformKey | None = None) -> str:
        key = key or self.key
        return jwt.encode(claims, key.private_pem, algorithm="RS256", headers={"kid": key.kid})

    def client_assertion(self, client_id: str, audience: str, **changes: object) -> str:
        now = int(time.time())
        claims = {
            "iss": client_id,
            "sub": client_id,
            "aud": audience,
            "iat": now,
            "exp": now + 60,
            "jti": uuid.uuid4().hex,
        }
        claims.update(changes)
        return self.sign({k: v for k, v in claims.items() if v is not None})


@pytest.fixture
def tool_keys() -> Iterator[FakeToolKeys]:
    keys = FakeToolKeys()
    yield keys
    keys.server.stop()


@pytest.fixture
def platform() -> DemoPlatform:
    return DemoPlatform()


@pytest.fixture
def lms(platform: DemoPlatform) -> Iterator[RunningServer]:
    running = serve_platform(platform)
    yield running
    running.stop()


@pytest.fixture
def tool(platform: DemoPlatform, lms: RunningServer, tool_keys: FakeToolKeys) -> ToolRegistration:
    registration = platform.register_tool_at(TOOL_BASE)
    registration.jwks_url = tool_keys.jwks_url
    return registration


@pytest.fixture
def unit_link(platform: DemoPlatform, tool: ToolRegistration):
    return platform.add_resource_link(
        "Unit 1: Understand your role", line_item={"label": "Unit 1", "scoreMaximum": 100, "tag": "u01"}
    )


def get_token(lms: RunningServer, tool: ToolRegistration, tool_keys: FakeToolKeys, scopes: list[str]) -> str:
    answer = requests.post(
        lms.url + "/token",
        data={
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": tool_keys.client_assertion(tool.client_id, lms.url + "/token"),
            "scope": " ".join(scopes),
        },
        timeout=10,
    )
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


def auth_params(
    lms: RunningServer, tool: ToolRegistration, launch_query: dict[str, str], **changes: str
) -> dict:
    """The authentication request a tool sends to /auth after the platform's login initiation."""
    params = {
        "scope": "openid",
        "response_type": "id_token",
        "response_mode": "form_post",
        "prompt": "none",
        "client_id": launch_query["client_id"],
        "redirect_uri": tool.redirect_uris[0],
        "login_hint": launch_query["login_hint"],
        "lti_message_hint": launch_query["lti_message_hint"],
        "state": "state-1",
        "nonce": "nonce-1",
    }
    params.update(changes)
    return params


def start_login(lms: RunningServer, path: str, **params: str) -> dict[str, str]:
    """Press a launch button on the platform; answer the query of the login initiation sent to the tool."""
    answer = requests.get(lms.url + path, params=params, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    return dict(parse_qsl(urlsplit(answer.headers["Location"]).query))
