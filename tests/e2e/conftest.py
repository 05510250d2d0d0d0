"""End-to-end fixtures: our tool (lti_tool.app.create_app) and the demo LMS (lti1p3platform), each on its own
loopback port, talking over real HTTP: the tool fetches the platform's configuration, JWKS and tokens, the
platform fetches the tool's JWKS, and a LaunchDriver plays the browser between them."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import flask
import pytest
import requests

from demo_lms.flow import LaunchDriver
from demo_lms.models import ResourceLink, ToolRegistration
from demo_lms.platform import DemoPlatform
from demo_lms.server import RunningServer, serve_in_thread, serve_platform

ERROR_CODE = re.compile(
    r'id="lti-error"[^>]*data-error-code="([^"]*)"|data-error-code="([^"]*)"[^>]*id="lti-error"'
)


class DeferredApp:
    """A WSGI app set after the server starts: the tool's BASE_URL must name the port the server got."""

    def __init__(self) -> None:
        self.app: Callable[..., Any] | None = None

    def __call__(self, environ: dict, start_response: Callable[..., Any]) -> Any:
        assert self.app is not None, "the tool app is not ready yet"
        return self.app(environ, start_response)


@dataclass
class World:
    platform: DemoPlatform
    lms: RunningServer
    tool_server: RunningServer
    tool_app: flask.Flask
    registration: ToolRegistration | None = None  # the platform's record of the tool
    unit: ResourceLink | None = None

    @property
    def tool_url(self) -> str:
        return self.tool_server.url

    def driver(self) -> LaunchDriver:
        return LaunchDriver(self.lms.url)

    def register_dynamically(self) -> requests.Response:
        """What an LMS admin does: open the tool's registration URL with our configuration URL and a token."""
        start = self.platform.registration_start_url(self.tool_url + "/lti/register")
        answer = requests.get(start, timeout=30)
        if self.platform.tools:
            self.registration = self.platform.tool
        return answer


def start_tool(data_dir: Path, host: str = "127.0.0.1", url_host: str | None = None, **config: Any):
    from lti_tool.app import create_app

    deferred = DeferredApp()
    server = serve_in_thread(deferred, host, url_host=url_host)
    settings = {
        "BASE_URL": server.url,
        "DATA_DIR": str(data_dir),
        "SECRET_KEY": "e2e-secret-key-not-for-production",
        "COOKIE_SECURE": False,
        "REGISTRATION_AUTO_ACTIVATE": True,
        "LOG_LEVEL": "WARNING",
    }
    settings.update(config)
    app = create_app(settings)
    deferred.app = app
    return server, app


class WorldFactory:
    """Starts platform + tool pairs in a folder and stops them all at the end."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.running: list[RunningServer] = []

    def make(self, register: bool = True, url_host: str | None = None, **tool_config: Any) -> World:
        platform = DemoPlatform()
        lms = serve_platform(platform)
        self.running.append(lms)
        tool_folder = self.folder / f"tool{len(self.running)}"
        tool_server, tool_app = start_tool(tool_folder, url_host=url_host, **tool_config)
        self.running.append(tool_server)
        world = World(platform, lms, tool_server, tool_app)
        if register:
            answer = world.register_dynamically()
            assert answer.status_code == 200 and world.registration is not None, answer.text[:2000]
            world.unit = platform.add_resource_link("Unit 1: Understand your role")
        return world

    def add_lms(self, world: World) -> World:
        """A second LMS (another issuer, another tenant) registered with the same tool."""
        platform = DemoPlatform()
        lms = serve_platform(platform)
        self.running.append(lms)
        other = World(platform, lms, world.tool_server, world.tool_app)
        answer = other.register_dynamically()
        assert answer.status_code == 200 and other.registration is not None, answer.text[:2000]
        other.unit = platform.add_resource_link("Unit 1: Understand your role")
        return other

    def close(self) -> None:
        for server in self.running:
            server.stop()


@pytest.fixture
def world_factory(tmp_path: Path) -> Iterator[WorldFactory]:
    factory = WorldFactory(tmp_path)
    yield factory
    factory.close()


@pytest.fixture
def make_world(world_factory: WorldFactory) -> Callable[..., World]:
    return world_factory.make


@pytest.fixture
def world(make_world: Callable[..., World]) -> World:
    """A fresh tool and platform for a test that changes them (clock, keys, registration)."""
    return make_world()


@pytest.fixture(scope="module")
def shared_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """One tool and platform for a module of tests that leave them as they were (refused launches)."""
    factory = WorldFactory(tmp_path_factory.mktemp("e2e"))
    yield factory.make()
    factory.close()


def refusal_code(response: requests.Response) -> str:
    """The tool's refusal: a 4xx HTML page with id="lti-error" and a stable data-error-code (LTI_CONTRACT)."""
    assert response.status_code != 500, "the tool crashed (500) instead of refusing"
    assert 400 <= response.status_code < 500, f"expected a 4xx refusal, got {response.status_code}"
    assert "html" in response.headers.get("Content-Type", "")
    match = ERROR_CODE.search(response.text)
    assert match, f'no id="lti-error" element with a data-error-code in: {response.text[:500]}'
    code = match.group(1) or match.group(2)
    assert code, "data-error-code is empty"
    return code


def body_attribute(response: requests.Response, name: str) -> str | None:
    match = re.search(rf'<body[^>]*\s{name}="([^"]*)"', response.text)
    return match.group(1) if match else None
