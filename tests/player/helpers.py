"""A learner's browser without a browser: a real LTI launch from the demo LMS, then the player's own
HTTP calls (deliver, commit) made by hand, so tests can send what a hostile browser would."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

import requests

from demo_lms.flow import LaunchDriver

_CONFIG = re.compile(r'<script type="application/json" id="player-config">(.*?)</script>', re.S)


@dataclass
class PlayerSession:
    tool_url: str
    config: dict[str, Any]
    http: requests.Session

    @property
    def token(self) -> str:
        return self.config["token"]

    @property
    def attempt(self) -> int:
        return self.config["attempt"]

    def deliver(self, item: str | None = None) -> dict[str, Any]:
        params = {"lt": self.token, "a": self.attempt, "i": item or self.config["startItem"]}
        if self.config["review"]:
            params["review"] = "1"  # as the player page asks for a finished attempt
        answer = self.http.post(f"{self.tool_url}/player/deliver", params=params, timeout=30)
        assert answer.status_code == 200, answer.text[:1000]
        return answer.json()

    def commit(
        self,
        body: Any,
        *,
        delivery: int,
        item: str | None = None,
        attempt: int | None = None,
        terminate: bool = False,
        content_type: str = "application/json",
    ) -> requests.Response:
        params = {
            "lt": self.token,
            "a": attempt or self.attempt,
            "i": item or self.config["startItem"],
            "d": delivery,
        }
        if terminate:
            params["terminate"] = "true"
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        return self.http.post(
            f"{self.tool_url}/player/commit",
            params=params,
            data=data,
            headers={"Content-Type": content_type},
            timeout=60,
        )


def open_player(tool_url: str, lms_url: str, user_id: str, link_id: str) -> PlayerSession:
    page = LaunchDriver(lms_url).launch(user_id, link_id)
    assert page.status_code == 200, page.text[:2000]
    match = _CONFIG.search(page.text)
    assert match, f"no player on the page: {page.text[:1000]}"
    return PlayerSession(tool_url, json.loads(match.group(1)), requests.Session())


def delivered_learner(world: Any, name: str = "Test Learner") -> PlayerSession:
    """A new learner of `world`'s LMS, launched into `world.link` with its first SCO delivered."""
    user_id = "l-" + uuid.uuid4().hex[:8]
    world.platform.add_user(user_id, name)
    session = open_player(world.tool.url, world.lms.url, user_id, world.link.id)
    session.user_id = user_id
    session.delivery = session.deliver()["delivery"]
    return session


def commit_12(sequence: int, **core: str) -> dict[str, Any]:
    """A SCORM 1.2 commit as scorm-again renders it (json format with commitSequence)."""
    return {"cmi": {"core": dict(core)}, "commitSequence": sequence}
