"""LIS roles mapped to learner, instructor, assessor, administrator."""

from __future__ import annotations

import pytest

from lti_tool.lti.roles import map_roles

LIS = "http://purl.imsglobal.org/vocab/lis/v2/"


@pytest.mark.parametrize(
    "roles,expected",
    [
        ([LIS + "membership#Learner"], "learner"),
        ([LIS + "institution/person#Student", LIS + "membership#Learner"], "learner"),
        ([LIS + "membership#Instructor"], "instructor"),
        ([LIS + "membership#ContentDeveloper"], "instructor"),
        ([LIS + "membership/Instructor#TeachingAssistant"], "assessor"),
        ([LIS + "membership#Instructor", LIS + "membership/Instructor#TeachingAssistant"], "assessor"),
        ([LIS + "membership#Mentor"], "assessor"),
        ([LIS + "institution/person#Administrator", LIS + "membership#Instructor"], "administrator"),
        ([LIS + "system/person#Administrator"], "administrator"),
        (["Instructor"], "instructor"),
        ([], "learner"),
        (["http://example.org/unknown#Role"], "learner"),
    ],
)
def test_roles_map_to_the_tools_roles(roles, expected):
    assert map_roles(roles) == expected


def test_admin_named_custom_role_maps_to_assessor():
    custom = "http://example.org/roles#WorkplaceAssessor"
    assert map_roles([custom, LIS + "membership#Learner"], [custom]) == "assessor"


def test_configured_assessor_role_is_honoured_in_a_launch(app, platform):
    from tests.lti.conftest import launch

    custom = "http://example.org/roles#WorkplaceAssessor"
    app.config["ASSESSOR_ROLES"] = [custom]
    try:
        response = launch(app.test_client(), platform, roles=[custom])
    finally:
        app.config["ASSESSOR_ROLES"] = []
    assert 'data-role="assessor"' in response.get_data(as_text=True)
