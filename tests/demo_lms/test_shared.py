"""The demo LMS served by several processes (demo_lms/shared.py): two apps loaded from the same saved state
and sharing one SQLite file behave as one platform — a token either issues works on the other, the gradebook
and Moodle's 409 rule span both, and the counts include what each of them did."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from demo_lms.models import SCOPE_SCORE
from demo_lms.shared import create_shared_app
from demo_lms.state import save_platform

SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"


@pytest.fixture
def two_processes(platform, lms, tool, unit_link, tmp_path: Path):
    platform.gradebook.strict = True
    state, store = tmp_path / "platform.json", tmp_path / "gradebook.sqlite3"
    save_platform(platform, state)
    first = create_shared_app(state=str(state), store=str(store))
    second = create_shared_app(state=str(state), store=str(store))
    item = platform.line_items[unit_link.line_item_id]
    path, _, query = platform.lineitem_url(item).removeprefix(platform.issuer).partition("?")
    return first, second, f"{path}/scores?{query}"


def token_from(app, tool, tool_keys, lms) -> str:  # type: ignore[no-untyped-def]
    form = {
        "grant_type": "client_credentials",
        "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        "client_assertion": tool_keys.client_assertion(tool.client_id, lms.url + "/token"),
        "scope": SCOPE_SCORE,
    }
    answer = app.test_client().post("/token", data=form)
    assert answer.status_code == 200, answer.text
    return answer.json["access_token"]


def post_score(app, url: str, token: str, given: float, at: datetime):  # type: ignore[no-untyped-def]
    body = {
        "userId": "learner1",
        "scoreGiven": given,
        "scoreMaximum": 100,
        "activityProgress": "Completed",
        "gradingProgress": "FullyGraded",
        "timestamp": at.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }
    headers = {"Authorization": f"Bearer {token}", "Content-Type": SCORE_TYPE}
    return app.test_client().post(url, json=body, headers=headers)


def test_two_processes_share_tokens_gradebook_and_counts(two_processes, tool, tool_keys, lms, unit_link):
    first, second, url = two_processes
    token = token_from(first, tool, tool_keys, lms)
    moment = datetime.now(UTC).replace(microsecond=200_000)

    assert post_score(second, url, token, 70, moment).status_code == 200  # the other process's token
    # Moodle's rule across processes: not later to the whole second than the stored score: refused.
    assert post_score(first, url, token, 90, moment.replace(microsecond=900_000)).status_code == 409

    gradebook = first.extensions["demo_platform"].gradebook
    entry = gradebook.entries[(unit_link.line_item_id, "learner1")]
    assert (entry.score_given, entry.grade) == (70.0, 70.0)
    assert [record.status for record in gradebook.score_log] == [200, 409]
    assert second.test_client().get("/bench/stats").json == {
        "tokens": 1,
        "token_requests": 1,
        "applied": 1,
        "refused": 1,
    }
    assert second.extensions["demo_platform"].tokens_issued == 1


def test_a_forged_token_is_refused_by_every_process(two_processes, tool, tool_keys, lms):
    first, second, url = two_processes
    token = token_from(first, tool, tool_keys, lms)
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert post_score(second, url, forged, 70, datetime.now(UTC)).status_code == 401
    assert second.test_client().get("/bench/stats").json["applied"] == 0
