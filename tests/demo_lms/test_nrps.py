"""Names and Role Provisioning: members with Moodle's short role names, paging by Link header."""

from __future__ import annotations

import re

import requests

from demo_lms.models import SCOPE_NRPS, SCOPE_SCORE
from tests.demo_lms.conftest import get_token

MEMBERSHIP_TYPE = "application/vnd.ims.lti-nrps.v2.membershipcontainer+json"


def bearer(lms, tool, tool_keys, scope=SCOPE_NRPS) -> dict[str, str]:
    return {"Authorization": "Bearer " + get_token(lms, tool, tool_keys, [scope]), "Accept": MEMBERSHIP_TYPE}


def test_members_are_listed_with_short_role_names(platform, lms, tool, tool_keys):
    answer = requests.get(platform.memberships_url(), headers=bearer(lms, tool, tool_keys), timeout=10)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith(MEMBERSHIP_TYPE)
    body = answer.json()
    assert body["context"]["id"] == "CareCert-L2"
    assert {(m["user_id"], tuple(m["roles"])) for m in body["members"]} == {
        ("instructor", ("Instructor",)),
        ("learner1", ("Learner",)),
        ("learner2", ("Learner",)),
    }


def test_members_page_through_a_link_header(platform, lms, tool, tool_keys):
    headers = bearer(lms, tool, tool_keys)
    first = requests.get(platform.memberships_url(), params={"limit": "2"}, headers=headers, timeout=10)
    assert len(first.json()["members"]) == 2
    next_url = re.fullmatch(r'<([^>]+)>; rel="next"', first.headers["Link"]).group(1)
    second = requests.get(next_url, headers=headers, timeout=10)
    assert len(second.json()["members"]) == 1 and "Link" not in second.headers


def test_members_filter_by_role(platform, lms, tool, tool_keys):
    answer = requests.get(
        platform.memberships_url(),
        params={"role": "Learner"},
        headers=bearer(lms, tool, tool_keys),
        timeout=10,
    )
    assert {m["user_id"] for m in answer.json()["members"]} == {"learner1", "learner2"}


def test_a_resource_link_of_another_tool_is_403(platform, lms, tool, tool_keys):
    answer = requests.get(
        platform.memberships_url(),
        params={"rlid": "rl-unknown"},
        headers=bearer(lms, tool, tool_keys),
        timeout=10,
    )
    assert answer.status_code == 403


def test_a_token_without_the_membership_scope_is_401(platform, lms, tool, tool_keys):
    answer = requests.get(
        platform.memberships_url(), headers=bearer(lms, tool, tool_keys, SCOPE_SCORE), timeout=10
    )
    assert answer.status_code == 401


def test_another_course_is_404(platform, lms, tool, tool_keys):
    answer = requests.get(
        lms.url + "/nrps/other/memberships", headers=bearer(lms, tool, tool_keys), timeout=10
    )
    assert answer.status_code == 404
