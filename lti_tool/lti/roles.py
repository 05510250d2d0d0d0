"""LIS roles (LTI Core 1.3 Appendix A) mapped to the tool's four roles.

administrator > instructor > assessor > learner. TeachingAssistant and Mentor are assessors (in the Care
Certificate the assessor observes and signs off); an admin may name extra role URIs (ASSESSOR_ROLES).
"""

from __future__ import annotations

from collections.abc import Iterable

LEARNER, INSTRUCTOR, ASSESSOR, ADMINISTRATOR = "learner", "instructor", "assessor", "administrator"
LIS = "http://purl.imsglobal.org/vocab/lis/v2/"

ADMIN_ROLES = {
    LIS + "system/person#Administrator",
    LIS + "system/person#SysAdmin",
    LIS + "institution/person#Administrator",
    LIS + "membership#Administrator",
}
INSTRUCTOR_ROLES = {LIS + "membership#Instructor", LIS + "membership#ContentDeveloper"}
TEACHING_ASSISTANT = LIS + "membership/Instructor#TeachingAssistant"
ASSESSOR_ROLES = {TEACHING_ASSISTANT, LIS + "membership#Mentor"}
LEARNER_ROLES = {
    LIS + "membership#Learner",
    LIS + "institution/person#Student",
    LIS + "institution/person#Learner",
}

# LTI 1.1 style short names still appear (deprecated in 1.3 but sent by some platforms in launches).
SHORT_NAMES = {
    "Administrator": ADMINISTRATOR,
    "Instructor": INSTRUCTOR,
    "ContentDeveloper": INSTRUCTOR,
    "TeachingAssistant": ASSESSOR,
    "Mentor": ASSESSOR,
    "Learner": LEARNER,
    "Student": LEARNER,
}


def _role_of(uri: str, extra_assessor_roles: set[str]) -> str | None:
    if uri in extra_assessor_roles:
        return ASSESSOR
    if uri in ADMIN_ROLES:
        return ADMINISTRATOR
    if uri in ASSESSOR_ROLES or uri.startswith(LIS + "membership/Mentor#"):
        return ASSESSOR
    if uri in INSTRUCTOR_ROLES:
        return INSTRUCTOR
    if uri.startswith(LIS + "membership/Instructor#"):
        # Sub-roles of Instructor (Lecturer, Grader, ...) other than TeachingAssistant teach.
        return INSTRUCTOR
    if uri in LEARNER_ROLES or uri.startswith(LIS + "membership/Learner#"):
        return LEARNER
    return SHORT_NAMES.get(uri)


def map_roles(role_uris: Iterable[str], extra_assessor_roles: Iterable[str] = ()) -> str:
    """The tool role for a launch's roles claim. No recognised role means learner (least privilege)."""
    extra = set(extra_assessor_roles)
    uris = set(role_uris)
    found = {_role_of(uri, extra) for uri in uris}
    if ADMINISTRATOR not in found and uris & ({TEACHING_ASSISTANT} | extra):
        # A TA is sent as the Instructor sub-role, often with the principal Instructor role beside it: the
        # sub-role is the more specific statement.
        return ASSESSOR
    for role in (ADMINISTRATOR, INSTRUCTOR, ASSESSOR):
        if role in found:
            return role
    return LEARNER


def can_manage_content(role: str) -> bool:
    return role in (INSTRUCTOR, ADMINISTRATOR)
