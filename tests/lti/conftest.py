"""Fixtures for the tool's tests: the app on SQLite and on PostgreSQL, a fake platform, a launch helper."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest

from lti_tool.app import create_app, services
from lti_tool.repo import registrations as registration_repo
from tests.databases import ENGINES, throwaway_database
from tests.lti.platform import FakePlatform, RunningServer

TOOL_BASE_URL = "http://tool.test"


@pytest.fixture(scope="session", params=ENGINES)
def database_url(request, tmp_path_factory) -> Iterator[str]:
    with throwaway_database(request.param, tmp_path_factory.mktemp("sqlite"), "tool.sqlite3") as url:
        yield url


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    application = create_app(
        {
            "BASE_URL": TOOL_BASE_URL,
            "DATABASE_URL": database_url,
            "DATA_DIR": str(tmp_path_factory.mktemp("data")),
            "SECRET_KEY": "test-secret",
            "COOKIE_SECURE": False,
            "LOG_LEVEL": "WARNING",
        }
    )
    yield application
    services_ = application.extensions["carecert"]
    services_.db.dispose()


@pytest.fixture
def tool(app):
    with app.app_context():
        yield services()


@pytest.fixture(scope="session")
def platform_server() -> Iterator[tuple[FakePlatform, RunningServer]]:
    platform = FakePlatform()
    server = RunningServer(platform.flask_app())
    platform.issuer = server.url
    yield platform, server
    server.stop()


@pytest.fixture
def platform(platform_server, app):
    """A fresh platform identity (client id, deployment, keys) registered with the tool."""
    base, _ = platform_server
    base.keys = base.keys[:1]
    base.clock_offset_seconds = 0
    with app.app_context():
        register_anew(base, services())
    return base


def register_anew(platform: FakePlatform, tool) -> None:  # type: ignore[no-untyped-def]
    """`platform` registered with `tool` under a new client id and deployment: a tenant of its own."""
    platform.client_id = "client-" + uuid.uuid4().hex[:8]
    platform.deployment_id = "dep-" + uuid.uuid4().hex[:6]
    register(platform, tool)


def register(platform: FakePlatform, tool) -> None:  # type: ignore[no-untyped-def]
    """`platform` (its issuer, client id and deployment as they are) registered with `tool` by hand."""
    with tool.db.session() as session:
        registration = registration_repo.add_registration(
            session,
            issuer=platform.issuer,
            client_id=platform.client_id,
            auth_login_url=platform.issuer + "/auth",
            auth_token_url=platform.issuer + "/token",
            key_set_url=platform.issuer + "/jwks",
        )
        registration_repo.add_deployment(session, registration, platform.deployment_id)
        platform.registration_id = registration.id


@dataclass
class LoginRedirect:
    state: str
    nonce: str
    params: dict


def start_login(client, platform: FakePlatform, **extra) -> LoginRedirect:
    form = {
        "iss": platform.issuer,
        "login_hint": "hint-1",
        "target_link_uri": TOOL_BASE_URL + "/lti/launch",
        "client_id": platform.client_id,
        "lti_deployment_id": platform.deployment_id,
        **extra,
    }
    response = client.post("/lti/login", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    query = {k: v[0] for k, v in parse_qs(urlsplit(response.headers["Location"]).query).items()}
    return LoginRedirect(query["state"], query["nonce"], query)


def launch(client, platform: FakePlatform, **token_args):
    """Login then launch through the test client; returns the tool's response to the launch POST."""
    login = start_login(client, platform)
    id_token = platform.id_token(login.nonce, **token_args)
    return client.post("/lti/launch", data={"id_token": id_token, "state": login.state})


def error_code(response) -> str | None:
    import re

    match = re.search(r'data-error-code="([^"]+)"', response.get_data(as_text=True))
    return match.group(1) if match else None
