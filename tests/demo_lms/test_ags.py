"""Assignment and Grade Services: line items, scores (lenient and Moodle-strict), results, scopes, paging."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import requests

from demo_lms.models import SCOPE_LINEITEM, SCOPE_LINEITEM_READONLY, SCOPE_RESULT_READONLY, SCOPE_SCORE
from tests.demo_lms.conftest import get_token

ALL_AGS = [SCOPE_LINEITEM, SCOPE_RESULT_READONLY, SCOPE_SCORE]
SCORE_TYPE = "application/vnd.ims.lis.v1.score+json"


@pytest.fixture
def bearer(lms, tool, tool_keys) -> dict[str, str]:
    return {"Authorization": "Bearer " + get_token(lms, tool, tool_keys, ALL_AGS)}


def stamp(seconds: float = 0) -> str:
    return (
        (datetime.now(UTC) + timedelta(seconds=seconds))
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z")
    )


def score(
    user: str = "learner1", given: float = 80, progress: str = "FullyGraded", at: str | None = None
) -> dict:
    return {
        "userId": user,
        "scoreGiven": given,
        "scoreMaximum": 100,
        "activityProgress": "Completed",
        "gradingProgress": progress,
        "timestamp": at or stamp(),
    }


def scores_url(platform, link) -> str:
    url = platform.lineitem_url(platform.line_items[link.line_item_id])
    path, query = url.split("?")
    return f"{path}/scores?{query}"


def post_score(url, bearer, body) -> requests.Response:
    return requests.post(url, json=body, headers={**bearer, "Content-Type": SCORE_TYPE}, timeout=10)


def test_a_score_lands_in_the_gradebook(platform, lms, unit_link, bearer):
    answer = post_score(scores_url(platform, unit_link), bearer, score(given=80))
    assert answer.status_code == 200
    entry = platform.gradebook.entries[(unit_link.line_item_id, "learner1")]
    assert entry.grade == 80 and entry.grading_progress == "FullyGraded"


def test_every_score_received_is_recorded_even_refused_ones(platform, lms, unit_link, bearer):
    post_score(scores_url(platform, unit_link), bearer, score())
    post_score(scores_url(platform, unit_link), bearer, {"userId": "learner1"})
    assert [record.status for record in platform.gradebook.score_log] == [200, 400]


def test_a_score_without_required_fields_is_400(platform, lms, unit_link, bearer):
    answer = post_score(scores_url(platform, unit_link), bearer, {"userId": "learner1", "scoreGiven": 3})
    assert answer.status_code == 400 and "missing required fields" in answer.json()["error"]


def test_score_given_without_score_maximum_is_400(platform, lms, unit_link, bearer):
    body = score()
    del body["scoreMaximum"]
    assert post_score(scores_url(platform, unit_link), bearer, body).status_code == 400


def test_an_older_score_is_409(platform, lms, unit_link, bearer):
    url = scores_url(platform, unit_link)
    assert post_score(url, bearer, score(at=stamp())).status_code == 200
    assert post_score(url, bearer, score(at=stamp(-60))).status_code == 409


def test_strict_mode_refuses_a_score_in_the_same_second_with_409(platform, lms, unit_link, bearer):
    platform.gradebook.strict = True
    url = scores_url(platform, unit_link)
    first = datetime.now(UTC).replace(microsecond=100_000)
    same_second = first.replace(microsecond=900_000)
    assert post_score(url, bearer, score(at=first.isoformat())).status_code == 200
    assert post_score(url, bearer, score(at=same_second.isoformat())).status_code == 409


def test_strict_mode_answers_400_with_an_empty_body_for_a_user_who_cannot_be_graded(
    platform, lms, unit_link, bearer
):
    platform.gradebook.strict = True
    answer = post_score(scores_url(platform, unit_link), bearer, score(user="instructor"))
    assert answer.status_code == 400 and answer.content == b""


def test_strict_mode_blanks_the_grade_unless_fully_graded(platform, lms, unit_link, bearer):
    platform.gradebook.strict = True
    post_score(scores_url(platform, unit_link), bearer, score(given=70, progress="PendingManual"))
    entry = platform.gradebook.entries[(unit_link.line_item_id, "learner1")]
    assert entry.grade is None and entry.score_given == 70


def test_lenient_mode_keeps_the_grade_of_a_pending_score(platform, lms, unit_link, bearer):
    post_score(scores_url(platform, unit_link), bearer, score(given=70, progress="PendingManual"))
    assert platform.gradebook.entries[(unit_link.line_item_id, "learner1")].grade == 70


def test_the_grade_is_scaled_to_the_line_items_maximum(platform, lms, unit_link, bearer):
    platform.line_items[unit_link.line_item_id].score_maximum = 10
    post_score(scores_url(platform, unit_link), bearer, score(given=50))
    assert platform.gradebook.entries[(unit_link.line_item_id, "learner1")].grade == 5


def test_services_refuse_a_request_without_a_token(platform, lms, unit_link):
    answer = requests.post(scores_url(platform, unit_link), json=score(), timeout=10)
    assert answer.status_code == 401


def test_a_token_without_the_lineitem_scope_cannot_create_line_items(platform, lms, tool, tool_keys):
    bearer = {"Authorization": "Bearer " + get_token(lms, tool, tool_keys, [SCOPE_SCORE])}
    answer = requests.post(
        platform.lineitems_url(), json={"label": "x", "scoreMaximum": 10}, headers=bearer, timeout=10
    )
    assert answer.status_code == 401


def test_a_readonly_token_can_list_line_items(platform, lms, tool, tool_keys, unit_link):
    bearer = {"Authorization": "Bearer " + get_token(lms, tool, tool_keys, [SCOPE_LINEITEM_READONLY])}
    assert requests.get(platform.lineitems_url(), headers=bearer, timeout=10).status_code == 200


def test_create_then_get_a_line_item(platform, lms, unit_link, bearer):
    body = {
        "label": "Unit 2",
        "scoreMaximum": 100,
        "resourceLinkId": unit_link.id,
        "tag": "u02",
        "resourceId": "u02",
    }
    created = requests.post(platform.lineitems_url(), json=body, headers=bearer, timeout=10)
    assert created.status_code == 201
    fetched = requests.get(created.json()["id"], headers=bearer, timeout=10).json()
    assert fetched == created.json()
    assert "?type_id=" in fetched["id"]


def test_a_line_item_without_label_is_400(platform, lms, tool, bearer):
    answer = requests.post(platform.lineitems_url(), json={"scoreMaximum": 10}, headers=bearer, timeout=10)
    assert answer.status_code == 400


def test_update_a_line_item(platform, lms, unit_link, bearer):
    url = platform.lineitem_url(platform.line_items[unit_link.line_item_id])
    answer = requests.put(url, json={"label": "Renamed", "scoreMaximum": 50}, headers=bearer, timeout=10)
    assert answer.status_code == 200 and answer.json()["label"] == "Renamed"


def test_line_items_filter_by_resource_link_and_tag(platform, lms, unit_link, bearer):
    platform.add_line_item("Other", 10, tag="other")
    found = requests.get(platform.lineitems_url(), params={"tag": "u01"}, headers=bearer, timeout=10).json()
    assert [item["resourceLinkId"] for item in found] == [unit_link.id]


def test_line_items_page_with_a_quoted_next_link_that_keeps_its_case(platform, lms, tool, bearer):
    for number in range(5):
        platform.add_line_item(f"Item {number}", 10)
    first = requests.get(platform.lineitems_url(), params={"limit": "2"}, headers=bearer, timeout=10)
    assert len(first.json()) == 2
    link = re.fullmatch(r'<([^>]+)>; rel="next"', first.headers["Link"]).group(1)
    assert "/CareCert-L2/" in link and "page=2" in link
    second = requests.get(link, headers=bearer, timeout=10)
    assert [item["label"] for item in second.json()] == ["Item 2", "Item 3"]


def test_a_non_numeric_paging_parameter_is_400(platform, lms, tool, bearer):
    answer = requests.get(platform.lineitems_url(), params={"limit": "two"}, headers=bearer, timeout=10)
    assert answer.status_code == 400


def test_results_list_the_applied_scores(platform, lms, unit_link, bearer):
    post_score(scores_url(platform, unit_link), bearer, score(given=90))
    url = platform.lineitem_url(platform.line_items[unit_link.line_item_id])
    path, query = url.split("?")
    results = requests.get(f"{path}/results?{query}", headers=bearer, timeout=10).json()
    assert [(r["userId"], r["resultScore"]) for r in results] == [("learner1", 90)]


def test_an_unknown_line_item_is_404(platform, lms, tool, bearer):
    answer = requests.get(platform.lineitems_url() + "/999/lineitem", headers=bearer, timeout=10)
    assert answer.status_code == 404


def test_an_injected_delay_makes_a_client_time_out_once(platform, lms, unit_link, bearer):
    platform.inject_fault("/scores", 0, delay_seconds=1.0)
    with pytest.raises(requests.Timeout):
        requests.post(scores_url(platform, unit_link), json=score(), headers=bearer, timeout=0.3)
    assert post_score(scores_url(platform, unit_link), bearer, score()).status_code == 200


def test_an_injected_fault_answers_once_then_the_service_recovers(platform, lms, unit_link, bearer):
    platform.inject_fault("/scores", 429, headers={"Retry-After": "2"})
    first = post_score(scores_url(platform, unit_link), bearer, score())
    assert first.status_code == 429 and first.headers["Retry-After"] == "2"
    assert post_score(scores_url(platform, unit_link), bearer, score()).status_code == 200
