"""The demo LMS's services as a pylti1p3 tool sees them (the library our tool is built on): one access
token per scope set from a client assertion, scores to a Moodle-shaped line item URL, roster pages by Link
header."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from pylti1p3.assignments_grades import AssignmentsGradesService
from pylti1p3.grade import Grade
from pylti1p3.names_roles import NamesRolesProvisioningService
from pylti1p3.registration import Registration
from pylti1p3.service_connector import ServiceConnector

from demo_lms.models import SCOPE_LINEITEM, SCOPE_NRPS, SCOPE_RESULT_READONLY, SCOPE_SCORE


class InMemoryServiceConnector(ServiceConnector):
    """pylti1p3 leaves the token cache to the framework adapter; a dict is enough here."""

    def __init__(self, registration: Registration) -> None:
        super().__init__(registration)
        self.tokens: dict[str, tuple[str, float]] = {}

    def _get_cached_access_token(self, scope_key: str) -> str | None:
        token, expires_at = self.tokens.get(scope_key, ("", 0.0))
        return token if expires_at > time.time() else None

    def _cache_access_token(self, scope_key: str, access_token: str, expires_in: float) -> None:
        self.tokens[scope_key] = (access_token, time.time() + expires_in)


@pytest.fixture
def connector(lms, tool, tool_keys) -> ServiceConnector:
    registration = (
        Registration()
        .set_issuer(lms.url)
        .set_client_id(tool.client_id)
        .set_auth_token_url(lms.url + "/token")
        .set_tool_private_key(tool_keys.key.private_pem)
        .set_tool_public_key(tool_keys.key.public_pem)
    )
    return InMemoryServiceConnector(registration)


def grade(given: float, progress: str = "FullyGraded") -> Grade:
    return (
        Grade()
        .set_user_id("learner1")
        .set_score_given(given)
        .set_score_maximum(100)
        .set_activity_progress("Completed")
        .set_grading_progress(progress)
        .set_timestamp(datetime.now(UTC).isoformat(timespec="milliseconds"))
    )


def test_pylti1p3_posts_a_score_to_the_launch_line_item(platform, lms, unit_link, connector):
    line_item_url = platform.lineitem_url(platform.line_items[unit_link.line_item_id])
    service_data = {"scope": [SCOPE_LINEITEM, SCOPE_RESULT_READONLY, SCOPE_SCORE], "lineitem": line_item_url}
    AssignmentsGradesService(connector, service_data).put_grade(grade(64))
    assert platform.gradebook.entries[(unit_link.line_item_id, "learner1")].grade == 64


def test_pylti1p3_reuses_its_access_token_for_the_same_scopes(platform, lms, unit_link, connector):
    line_item_url = platform.lineitem_url(platform.line_items[unit_link.line_item_id])
    service = AssignmentsGradesService(connector, {"scope": [SCOPE_SCORE], "lineitem": line_item_url})
    for given in (10, 20, 30):
        service.put_grade(grade(given))
    assert platform.tokens_issued == 1


def test_pylti1p3_reads_every_roster_page_through_the_link_header(platform, lms, tool, connector):
    for number in range(5):
        platform.add_user(f"extra{number}", f"Extra Learner{number}")
    service = NamesRolesProvisioningService(
        connector, {"context_memberships_url": platform.memberships_url() + "?limit=3"}
    )
    members = service.get_members()
    assert len(members) == 8 and len({member["user_id"] for member in members}) == 8
    assert platform.token_requests[-1].scopes == [SCOPE_NRPS]
