"""A platform for grade tests: the demo LMS (lti1p3platform; it checks our access tokens like a platform) in
Moodle-strict mode behind a WSGI middleware that fails on purpose, our tool's JWKS on a real port (the token
endpoint verifies our client assertion against it), and a fake clock for simulated minutes."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from demo_lms.app import create_platform_app
from demo_lms.platform import DemoPlatform
from demo_lms.server import RunningServer, serve_in_thread
from lti_tool.db import Database
from lti_tool.db.models import Context, Deployment, Registration, ResourceLink, User
from lti_tool.grades import UnitScore, queue_score_for_result
from lti_tool.grades.ags import SERVICE_SCOPES
from lti_tool.grades.delivery import RetryPolicy
from lti_tool.grades.worker import DeliveryWorker


class FakeClock:
    """Time that only moves when someone sleeps: a minute of downtime costs no real minute."""

    def __init__(self) -> None:
        self.moment = datetime.now(UTC)
        self.lock = threading.Lock()

    def now(self) -> datetime:
        with self.lock:
            return self.moment

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.moment += timedelta(seconds=seconds)


@dataclass
class Rule:
    path_contains: str
    times: int
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""
    delay: float = 0.0
    after_apply: bool = False  # let the platform apply the request, then answer with the fault
    pass_through: bool = False  # only delay: then let the platform answer
    when: Callable[[], bool] | None = None  # a condition instead of a count


class FaultyPlatform:
    """WSGI middleware: answers matching requests with a fault, before or after the platform handles them."""

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app
        self.rules: list[Rule] = []
        self.lock = threading.Lock()
        self.score_posts = 0

    def add(self, path_contains: str = "/scores", times: int = 1, **kwargs: Any) -> Rule:
        rule = Rule(path_contains, times, **kwargs)
        with self.lock:
            self.rules.append(rule)
        return rule

    def _take(self, path: str) -> Rule | None:
        with self.lock:
            for rule in self.rules:
                if rule.path_contains not in path:
                    continue
                if rule.when is not None:
                    if rule.when():
                        return rule
                elif rule.times > 0:
                    rule.times -= 1
                    return rule
        return None

    def __call__(self, environ: dict, start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        if path.endswith("/scores"):
            with self.lock:
                self.score_posts += 1
        rule = self._take(path)
        if rule is None:
            return self.app(environ, start_response)
        if rule.after_apply:
            list(self.app(environ, lambda *args, **kwargs: None))
        if rule.delay:
            time.sleep(rule.delay)
        if rule.pass_through:
            return self.app(environ, start_response)
        start_response(f"{rule.status} Fault", [("Content-Type", "text/plain"), *rule.headers.items()])
        return [rule.body.encode()]


@dataclass
class GradeWorld:
    db: Database
    platform: DemoPlatform
    faults: FaultyPlatform
    servers: list[RunningServer]
    registration_id: int
    link_pk: int
    line_item_id: str
    users: dict[str, int]  # platform user id -> our users.id
    tool_app: Any = None
    clock: FakeClock = field(default_factory=FakeClock)

    def worker(self, **options: Any) -> DeliveryWorker:
        options.setdefault("clock", self.clock.now)
        options.setdefault("sleep", self.clock.sleep)
        # Generous: on a loaded CI machine the platform's token answer (an RSA signature) took over 2 s once,
        # and a timed-out request is retried without the fault a test set up. Timeout tests pass their own.
        options.setdefault("timeout", 15.0)
        options.setdefault("policy", RetryPolicy(base_seconds=2, cap_seconds=60, max_attempts=8))
        return DeliveryWorker(self.db, **options)

    def queue(
        self, user: str, result: UnitScore, at: datetime | None = None, link_pk: int | None = None
    ) -> bool:
        with self.db.session() as session:
            return queue_score_for_result(
                session,
                registration_id=self.registration_id,
                user_id=self.users[user],
                resource_link_id=link_pk or self.link_pk,
                unit_result=result,
                produced_at=at or self.clock.now(),
            )

    def add_learner(self, user_id: str) -> None:
        self.platform.add_user(user_id, f"Learner {user_id}")
        with self.db.session() as session:
            user = User(registration_id=self.registration_id, sub=user_id, name=user_id)
            session.add(user)
            session.flush()
            self.users[user_id] = user.id

    def entry(self, user: str, line_item_id: str | None = None):  # type: ignore[no-untyped-def]
        return self.platform.gradebook.entries.get((line_item_id or self.line_item_id, user))

    def applied_timestamps(self, user: str) -> list[str]:
        return [
            record.body["timestamp"]
            for record in self.platform.gradebook.score_log
            if record.status == 200 and record.body.get("userId") == user
        ]

    def stop(self) -> None:
        for server in self.servers:
            server.stop()


def build_world(db: Database, tool_app_factory: Callable[[str], Any], strict: bool = True) -> GradeWorld:
    platform = DemoPlatform(strict_scores=strict)
    faults = FaultyPlatform(create_platform_app(platform))
    lms = serve_in_thread(faults)
    platform.issuer = lms.url
    holder: dict[str, Any] = {}
    tool = serve_in_thread(lambda environ, start: holder["app"](environ, start))
    holder["app"] = tool_app_factory(tool.url)
    registered = platform.register_tool_at(tool.url)
    link = platform.add_resource_link(
        "Unit", line_item={"label": "Unit", "scoreMaximum": 100, "tag": "carecert-unit"}
    )
    item = platform.line_items[link.line_item_id]
    with db.session() as session:
        registration = Registration(
            issuer=lms.url,
            client_id=registered.client_id,
            auth_login_url=lms.url + "/auth",
            auth_token_url=lms.url + "/token",
            key_set_url=lms.url + "/jwks",
            scopes=" ".join(SERVICE_SCOPES),
        )
        session.add(registration)
        session.flush()
        deployment = Deployment(registration_id=registration.id, deployment_id=registered.deployment_id)
        session.add(deployment)
        session.flush()
        context = Context(
            registration_id=registration.id, deployment_pk=deployment.id, context_id=platform.course.id
        )
        session.add(context)
        session.flush()
        our_link = ResourceLink(
            registration_id=registration.id,
            deployment_pk=deployment.id,
            context_pk=context.id,
            resource_link_id=link.id,
            title="Unit",
            unit_ref="package:1",
            lineitem_url=platform.lineitem_url(item),
        )
        users = [
            User(registration_id=registration.id, sub=user_id, name=u.name)
            for user_id, u in platform.users.items()
        ]
        session.add_all([our_link, *users])
        session.flush()
        ids = {user.sub: user.id for user in users}
        return GradeWorld(
            db, platform, faults, [lms, tool], registration.id, our_link.id, item.id, ids, holder["app"]
        )


def unique_name() -> str:
    return uuid.uuid4().hex[:8]
