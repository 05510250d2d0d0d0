"""Grade sync fixtures: a database on SQLite and PostgreSQL with one registration, a course, two activities
(a catalogue unit that needs an assessor's sign-off and an uploaded package that does not) and learners."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from lti_tool.db import Database
from lti_tool.db.migrate import upgrade
from lti_tool.db.models import Context, Deployment, Registration, ResourceLink, User
from tests.databases import ENGINES, throwaway_database


@pytest.fixture(params=ENGINES)
def database_url(request, tmp_path) -> Iterator[str]:
    with throwaway_database(request.param, tmp_path, "grades.sqlite3") as url:
        yield url


@pytest.fixture
def db(database_url) -> Iterator[Database]:
    database = Database(database_url)
    upgrade(database.engine)
    yield database
    database.dispose()


@dataclass
class Course:
    registration_id: int
    context_pk: int
    observed_unit: int  # resource link pk of catalogue unit u01 (observation required)
    package_unit: int  # resource link pk of an uploaded package (no observation)
    learners: list[int]
    assessor: int


def make_course(db: Database, issuer: str = "https://lms.example", learners: int = 2, **urls: str) -> Course:
    with db.session() as session:
        registration = Registration(
            issuer=issuer,
            client_id="client-" + uuid.uuid4().hex[:8],
            auth_login_url=issuer + "/auth",
            auth_token_url=urls.get("token_url", issuer + "/token"),
            key_set_url=issuer + "/jwks",
        )
        session.add(registration)
        session.flush()
        deployment = Deployment(registration_id=registration.id, deployment_id="1")
        session.add(deployment)
        session.flush()
        context = Context(
            registration_id=registration.id, deployment_pk=deployment.id, context_id="C1", title="Care"
        )
        session.add(context)
        session.flush()
        links = [
            ResourceLink(
                registration_id=registration.id,
                deployment_pk=deployment.id,
                context_pk=context.id,
                resource_link_id=rl_id,
                title=title,
                unit_ref=ref,
                lineitem_url=urls.get(rl_id, ""),
            )
            for rl_id, title, ref in (
                ("rl-1", "Understand your role", "catalogue:u01"),
                ("rl-2", "Own", "package:1"),
            )
        ]
        people = [
            User(registration_id=registration.id, sub=f"learner{n}", name=f"Learner {n}")
            for n in range(learners)
        ]
        assessor = User(registration_id=registration.id, sub="assessor", name="Ann Assessor")
        session.add_all([*links, *people, assessor])
        session.flush()
        return Course(
            registration.id, context.id, links[0].id, links[1].id, [p.id for p in people], assessor.id
        )


@pytest.fixture
def course(db) -> Course:
    return make_course(db)


@pytest.fixture
def world(db, tmp_path):
    """The demo LMS (Moodle-strict) with fault injection, registered with a tool sharing `db`."""
    from lti_tool.app import create_app
    from tests.grades.world import build_world

    def tool_app(url: str):
        return create_app(
            {
                "BASE_URL": url,
                "DATABASE_URL": db.url,
                "DATA_DIR": str(tmp_path / "data"),
                "SECRET_KEY": "grades-test",
                "AUTO_MIGRATE": False,
                "COOKIE_SECURE": False,
                "LOG_LEVEL": "WARNING",
            }
        )

    grade_world = build_world(db, tool_app)
    yield grade_world
    grade_world.stop()
