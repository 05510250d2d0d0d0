"""A small LMS world in the database for the records tests: a registration, a course with every catalogue
unit as an activity, learners, and helpers that play out attempts and assessor sign-offs as rows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from lti_tool.db import Database
from lti_tool.db.migrate import upgrade
from lti_tool.db.models import Context, Deployment, Package, Registration, ResourceLink, User
from lti_tool.grades.models import UnitSignoff
from lti_tool.player.models import UnitAttempt

UNIT_IDS = [f"u{n:02d}" for n in range(1, 16)]


@dataclass
class World:
    db: Database
    registration_id: int
    context_pk: int
    links: dict[str, int]  # unit id -> resource link pk
    package_pk: int
    learners: dict[str, int] = field(default_factory=dict)  # name -> users.id

    def add_learner(self, name: str, email: str = "") -> int:
        with self.db.session() as session:
            user = User(
                registration_id=self.registration_id,
                sub=f"lms-{name.lower().replace(' ', '-')}",
                name=name,
                email=email or f"{name.lower().replace(' ', '.')}@example.org",
            )
            session.add(user)
            session.flush()
            self.learners[name] = user.id
            return user.id

    def attempt(
        self,
        learner: str,
        unit_id: str,
        *,
        success: str = "passed",
        score: float | None = 0.9,
        completion: str = "completed",
        at: datetime | None = None,
    ) -> int:
        when = at or datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
        with self.db.session() as session:
            number = 1 + sum(
                1
                for a in session.query(UnitAttempt).filter_by(
                    user_pk=self.learners[learner], resource_link_pk=self.links[unit_id]
                )
            )
            attempt = UnitAttempt(
                registration_id=self.registration_id,
                user_pk=self.learners[learner],
                resource_link_pk=self.links[unit_id],
                package_pk=self.package_pk,
                number=number,
                completion=completion,
                success=success,
                score_scaled=score,
                total_time_seconds=600.0,
                started_at=when - timedelta(minutes=10),
                updated_at=when,
            )
            session.add(attempt)
            session.flush()
            return attempt.id

    def sign_off(self, learner: str, unit_id: str, observed_on: date = date(2026, 11, 9)) -> int:
        with self.db.session() as session:
            row = UnitSignoff(
                registration_id=self.registration_id,
                user_pk=self.learners[learner],
                resource_link_pk=self.links[unit_id],
                observed_on=observed_on,
                evidence="Watched at breakfast.",
                assessor_name="Bola Assessor",
                signed_at=datetime(2026, 11, 9, 15, 0, tzinfo=UTC),
            )
            session.add(row)
            session.flush()
            return row.id

    def undo_sign_off(self, signoff_id: int) -> None:
        with self.db.session() as session:
            row = session.get(UnitSignoff, signoff_id)
            row.undone_at = datetime.now(UTC)
            row.undone_by_name = "Bola Assessor"

    def achieve(self, learner: str, unit_id: str) -> None:
        self.attempt(learner, unit_id)
        self.sign_off(learner, unit_id)


def make_world(database_url: str) -> World:
    db = Database(database_url)
    upgrade(db.engine)
    with db.session() as session:
        registration = Registration(
            issuer="https://lms.example",
            client_id="c-" + uuid.uuid4().hex[:8],
            auth_login_url="https://lms.example/auth",
            auth_token_url="https://lms.example/token",
            key_set_url="https://lms.example/jwks",
        )
        session.add(registration)
        session.flush()
        deployment = Deployment(registration_id=registration.id, deployment_id="1")
        session.add(deployment)
        session.flush()
        context = Context(
            registration_id=registration.id,
            deployment_pk=deployment.id,
            context_id="C1",
            title="Care Certificate 2026",
        )
        package = Package(
            registration_id=registration.id, title="catalogue", sha256="0" * 64, storage_path="catalogue"
        )
        session.add_all([context, package])
        session.flush()
        links = {}
        for unit_id in UNIT_IDS:
            link = ResourceLink(
                registration_id=registration.id,
                deployment_pk=deployment.id,
                context_pk=context.id,
                resource_link_id=f"rl-{unit_id}",
                title=unit_id,
                unit_ref=f"catalogue:{unit_id}",
            )
            session.add(link)
            session.flush()
            links[unit_id] = link.id
        return World(db, registration.id, context.id, links, package.id)
