"""Malformed or hostile requests to every endpoint of the demo LMS get a clear 4xx, never a 500."""

from __future__ import annotations

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.demo_lms.conftest import get_token

GARBAGE_REQUESTS = [
    ("GET", "/auth", {}),
    ("POST", "/auth", {"data": {"scope": "openid", "response_type": "id_token", "prompt": "none"}}),
    ("POST", "/token", {"data": {"grant_type": "client_credentials"}}),
    ("POST", "/token", {"data": "not a form", "headers": {"Content-Type": "text/plain"}}),
    (
        "POST",
        "/token",
        {
            "data": {
                "grant_type": "client_credentials",
                "client_assertion_type": "x",
                "client_assertion": "a.b.c",
                "scope": "s",
            }
        },
    ),
    ("POST", "/registration", {"data": "{not json", "headers": {"Authorization": "Bearer nope"}}),
    ("POST", "/deep_link_return", {"data": {"JWT": "a.b.c"}}),
    ("POST", "/deep_link_return", {"data": {}}),
    ("GET", "/launch", {}),
    ("GET", "/launch", {"params": {"user": "learner1", "rl": "no-such-link"}}),
    ("GET", "/deep_link", {"params": {"user": "nobody"}}),
    ("GET", "/course/embed", {"params": {"rl": "x", "user": "y"}}),
    ("GET", "/admin/tools/register", {"params": {"tool_registration_url": "javascript:alert(1)"}}),
    ("POST", "/admin/tools/unknown/activate", {}),
    ("GET", "/ags/CareCert-L2/lineitems", {"headers": {"Authorization": "Bearer a.b.c"}}),
    ("POST", "/ags/CareCert-L2/lineitems/1/lineitem/scores", {"headers": {"Authorization": "Bearer"}}),
    ("GET", "/nrps/CareCert-L2/memberships", {"headers": {"Authorization": "Basic abc"}}),
]


@pytest.mark.parametrize(
    ("method", "path", "options"), GARBAGE_REQUESTS, ids=[f"{m} {p}" for m, p, _ in GARBAGE_REQUESTS]
)
def test_garbage_gets_a_4xx(lms, tool, unit_link, method, path, options):
    answer = requests.request(method, lms.url + path, timeout=10, allow_redirects=False, **options)
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.text[:300])


@pytest.mark.parametrize("body", ['"a string"', "[1, 2]", "null", '{"label": 5}', "{bad"])
def test_a_line_item_body_that_is_not_a_valid_object_is_400(platform, lms, tool, tool_keys, body):
    bearer = "Bearer " + get_token(
        lms, tool, tool_keys, ["https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"]
    )
    headers = {"Authorization": bearer, "Content-Type": "application/json"}
    assert requests.post(platform.lineitems_url(), data=body, headers=headers, timeout=10).status_code == 400


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "userId",
                "timestamp",
                "scoreGiven",
                "scoreMaximum",
                "activityProgress",
                "gradingProgress",
                "comment",
            ]
        ),
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(),
            st.floats(allow_nan=False, allow_infinity=False),
            st.text(max_size=30),
        ),
    )
)
def test_any_score_body_is_applied_or_refused_never_a_crash(platform, lms, unit_link, tool, tool_keys, body):
    token = getattr(platform, "_hostile_token", None) or get_token(
        lms, tool, tool_keys, ["https://purl.imsglobal.org/spec/lti-ags/scope/score"]
    )
    platform._hostile_token = token
    url = platform.lineitem_url(platform.line_items[unit_link.line_item_id])
    path, query = url.split("?")
    answer = requests.post(
        f"{path}/scores?{query}", json=body, headers={"Authorization": "Bearer " + token}, timeout=10
    )
    assert answer.status_code in (200, 400, 409), answer.text[:300]


def test_a_nan_score_is_400(platform, lms, unit_link, tool, tool_keys):
    token = get_token(lms, tool, tool_keys, ["https://purl.imsglobal.org/spec/lti-ags/scope/score"])
    url = platform.lineitem_url(platform.line_items[unit_link.line_item_id])
    path, query = url.split("?")
    body = (
        '{"userId": "learner1", "scoreGiven": NaN, "scoreMaximum": 100, "activityProgress": "Completed",'
        ' "gradingProgress": "FullyGraded", "timestamp": "2026-01-01T00:00:00Z"}'
    )
    headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
    assert requests.post(f"{path}/scores?{query}", data=body, headers=headers, timeout=10).status_code == 400
