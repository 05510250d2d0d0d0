"""Dashboard fixtures: the tool app on a migrated database (SQLite and PostgreSQL) with a course, and launch
tokens for an assessor, an instructor and a learner, as a launch would leave them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests

from demo_lms.flow import LaunchDriver
from demo_lms.platform import DemoPlatform
from demo_lms.server import RunningServer, serve_in_thread, serve_platform
from lti_tool.app import create_app
from lti_tool.db import Database
from lti_tool.db.migrate import upgrade
from lti_tool.db.models import Context, Registration
from lti_tool.repo import launches as launch_repo
from tests.grades.conftest import Course, database_url, make_course  # noqa: F401 - fixtures shared with grades


@dataclass
class Dashboard:
    client: object
    db: Database
    course: Course
    tokens: dict[str, str]  # role -> launch token


def launch_token(db: Database, course: Course, user_pk: int, role: str, claims: dict | None = None) -> str:
    with db.session() as session:
        registration = session.get(Registration, course.registration_id)
        token, _ = launch_repo.create_launch_session(
            session,
            registration,
            lifetime_seconds=3600,
            deployment_pk=session.get(Context, course.context_pk).deployment_pk,
            user_pk=user_pk,
            context_pk=course.context_pk,
            resource_link_pk=course.observed_unit,
            message_type="LtiResourceLinkRequest",
            role=role,
            claims=claims or {},
        )
    return token


@pytest.fixture
def dashboard(database_url, tmp_path) -> Iterator[Dashboard]:  # noqa: F811
    db = Database(database_url)
    upgrade(db.engine)
    app = create_app(
        {
            "BASE_URL": "http://tool.test",
            "DATABASE_URL": database_url,
            "DATA_DIR": str(tmp_path / "data"),
            "SECRET_KEY": "assessor-test",
            "COOKIE_SECURE": False,
            "LOG_LEVEL": "WARNING",
        }
    )
    course = make_course(db, learners=2)
    tokens = {
        "assessor": launch_token(db, course, course.assessor, "assessor"),
        "instructor": launch_token(db, course, course.assessor, "instructor"),
        "learner": launch_token(db, course, course.learners[0], "learner"),
    }
    yield Dashboard(app.test_client(), db, course, tokens)
    app.extensions["carecert"].db.dispose()
    db.dispose()


@dataclass
class LmsWorld:
    platform: DemoPlatform
    lms: RunningServer
    tool_server: RunningServer
    tool_app: object

    @property
    def tool_url(self) -> str:
        return self.tool_server.url

    def driver(self) -> LaunchDriver:
        return LaunchDriver(self.lms.url)


@pytest.fixture
def make_world(tmp_path, database_url) -> Iterator:  # noqa: F811
    """The tool (SQLite or PostgreSQL) and the demo LMS on loopback ports, registered dynamically."""
    running: list[RunningServer] = []

    def make() -> LmsWorld:
        platform = DemoPlatform()
        lms = serve_platform(platform)
        holder: dict = {}
        tool_server = serve_in_thread(lambda environ, start: holder["app"](environ, start))
        running.extend([lms, tool_server])
        holder["app"] = create_app(
            {
                "BASE_URL": tool_server.url,
                "DATABASE_URL": database_url,
                "DATA_DIR": str(tmp_path / f"tool{len(running)}"),
                "SECRET_KEY": "assessor-e2e",
                "COOKIE_SECURE": False,
                "REGISTRATION_AUTO_ACTIVATE": True,
                "LOG_LEVEL": "WARNING",
            }
        )
        answer = requests.get(platform.registration_start_url(tool_server.url + "/lti/register"), timeout=30)
        assert answer.status_code == 200 and platform.tools, answer.text[:1000]
        return LmsWorld(platform, lms, tool_server, holder["app"])

    yield make
    for server in running:
        server.stop()
