"""Fixtures for the player's tests: the tool and the independent demo LMS on loopback ports (real LTI
launches), corpus packages imported into the tool, and a Chromium that plays them through their own UI."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from demo_lms.models import ResourceLink as LmsLink
from demo_lms.platform import DemoPlatform
from demo_lms.server import RunningServer, serve_in_thread, serve_platform
from lti_tool.db.models import Package, Registration
from tests.chromium import CHROMIUM, CHROMIUM_ARGS

VENDOR = Path(__file__).resolve().parents[2] / "static" / "vendor" / "scorm-again"


class DeferredApp:
    """A WSGI app set after its server starts: the tool's BASE_URL must name the port it got."""

    def __init__(self) -> None:
        self.app: Callable[..., Any] | None = None

    def __call__(self, environ: dict, start_response: Callable[..., Any]) -> Any:
        assert self.app is not None
        return self.app(environ, start_response)


@dataclass
class PlayerWorld:
    platform: DemoPlatform
    lms: RunningServer
    tool: RunningServer
    app: Any
    packages: dict[str, int] = field(default_factory=dict)

    def registration(self, session) -> Registration:  # type: ignore[no-untyped-def]
        return session.scalars(select(Registration).where(Registration.issuer == self.platform.issuer)).one()

    def add_unit(self, corpus: Path, name: str, title: str | None = None) -> LmsLink:
        """Import a corpus package into the tool (once) and place it in the demo course."""
        from lti_tool.packages import import_package

        if name not in self.packages:
            services = self.app.extensions["carecert"]
            with services.db.session() as session, (corpus / "packages" / f"{name}.zip").open("rb") as stream:
                outcome = import_package(
                    session,
                    self.registration(session),
                    Path(services.settings["DATA_DIR"]),
                    stream,
                    name,
                    None,
                )
                assert outcome.package is not None, outcome.problems
                self.packages[name] = outcome.package.id
        return self.platform.add_resource_link(
            title or name, custom={"unit": f"package:{self.packages[name]}"}
        )

    def launch_url(self, user_id: str, link: LmsLink) -> str:
        return f"{self.lms.url}/launch?user={user_id}&rl={link.id}"

    def package(self, name: str) -> Package:
        with self.app.extensions["carecert"].db.session(readonly=True) as session:
            return session.get(Package, self.packages[name])

    def stop(self) -> None:
        self.tool.stop()
        self.lms.stop()


def start_world(data_dir: Path, database_url: str | None = None, **config: Any) -> PlayerWorld:
    from lti_tool.app import create_app

    platform = DemoPlatform()
    lms = serve_platform(platform)
    deferred = DeferredApp()
    tool_server = serve_in_thread(deferred, "127.0.0.1")
    settings = {
        "BASE_URL": tool_server.url,
        "DATA_DIR": str(data_dir),
        "SECRET_KEY": "player-tests-secret",
        "COOKIE_SECURE": False,
        "REGISTRATION_AUTO_ACTIVATE": True,
        "LOG_LEVEL": "WARNING",
        **config,
    }
    if database_url:
        settings["DATABASE_URL"] = database_url
    app = create_app(settings)
    deferred.app = app
    answer = requests.get(platform.registration_start_url(tool_server.url + "/lti/register"), timeout=30)
    assert answer.status_code == 200, answer.text[:2000]
    return PlayerWorld(platform, lms, tool_server, app)


def world_with_unit(
    data_dir: Path, database_url: str | None, corpus: Path, package: str, title: str
) -> Iterator[PlayerWorld]:
    """A module fixture's body: a started world with one corpus package as `world.link`, stopped after."""
    world = start_world(data_dir, database_url)
    world.link = world.add_unit(corpus, package, title)
    yield world
    world.stop()


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator[PlayerWorld]:
    found = start_world(tmp_path_factory.mktemp("player-tool"))
    yield found
    found.stop()


@pytest.fixture(scope="session")
def chromium(playwright_driver):
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    if not (VENDOR / "scorm12.min.js").exists():
        pytest.skip(f"scorm-again is not installed in {VENDOR} (run scripts/install)")
    browser = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(viewport={"width": 1200, "height": 900})
    context.set_default_timeout(30_000)  # the machine is shared: slow under load, not broken
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # golf courses ask "resume?" with confirm()
    yield page
    context.close()


def postgres_url() -> str | None:
    return os.environ.get("CARECERT_TEST_PG_URL")
