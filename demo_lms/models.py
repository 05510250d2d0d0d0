"""What the demo LMS holds: users, course, registered tools, resource links, line items, gradebook."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

LIS = "http://purl.imsglobal.org/vocab/lis/v2/"
# Launches carry full role URIs; NRPS answers short names, as Moodle does (see PLATFORMS.md).
ROLE_URIS = {
    "Instructor": LIS + "membership#Instructor",
    "Learner": LIS + "membership#Learner",
    "TeachingAssistant": LIS + "membership/Instructor#TeachingAssistant",
    "Mentor": LIS + "membership#Mentor",
    "Administrator": LIS + "institution/person#Administrator",
}

SCOPE_LINEITEM = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem"
SCOPE_LINEITEM_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly"
SCOPE_RESULT_READONLY = "https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly"
SCOPE_SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"
SCOPE_NRPS = "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"
ALL_SCOPES = (SCOPE_LINEITEM, SCOPE_LINEITEM_READONLY, SCOPE_RESULT_READONLY, SCOPE_SCORE, SCOPE_NRPS)


@dataclass
class User:
    id: str
    name: str
    role: str  # short name, a key of ROLE_URIS
    email: str = ""

    @property
    def given_name(self) -> str:
        return self.name.split(" ")[0]

    @property
    def family_name(self) -> str:
        return self.name.split(" ", 1)[-1]

    @property
    def role_uris(self) -> list[str]:
        return [ROLE_URIS[self.role]]

    @property
    def gradable(self) -> bool:
        # Moodle answers 400 for scores of users who cannot be graded (teachers).
        return self.role == "Learner"


@dataclass
class Course:
    # Mixed case on purpose: it appears in service URLs, so a tool that lower-cases a Link header breaks.
    id: str = "CareCert-L2"
    title: str = "Level 2 Adult Social Care Certificate"
    label: str = "CARECERT-L2"


@dataclass
class ToolRegistration:
    client_id: str
    deployment_id: str
    name: str
    login_url: str
    redirect_uris: list[str]
    target_link_uri: str
    jwks_url: str
    deep_link_url: str | None = None
    domain: str = ""
    scopes: list[str] = field(default_factory=lambda: list(ALL_SCOPES))
    active: bool = True
    key_set: dict[str, Any] | None = None  # the tool's JWKS as last fetched
    registration_request: dict[str, Any] | None = None  # the dynamic-registration body, when registered so


@dataclass
class ResourceLink:
    id: str
    title: str
    client_id: str
    url: str | None = None  # the content item's url; the tool's target_link_uri when absent
    text: str = ""
    custom: dict[str, str] = field(default_factory=dict)
    line_item_id: str | None = None


@dataclass
class LineItem:
    id: str
    label: str
    score_maximum: float
    resource_link_id: str | None = None
    resource_id: str | None = None
    tag: str | None = None
    client_id: str | None = None
    start: str | None = None
    end: str | None = None


@dataclass
class GradebookEntry:
    """The latest applied score of one user on one line item (what the gradebook page shows)."""

    line_item_id: str
    user_id: str
    score_given: float | None
    score_maximum: float | None
    grade: float | None  # on the line item's scale; None = empty (Moodle blanks non-FullyGraded scores)
    activity_progress: str
    grading_progress: str
    comment: str | None
    timestamp: datetime
    received_at: datetime


@dataclass
class ScoreRecord:
    """Every score POST received, applied or refused, in arrival order."""

    line_item_id: str
    body: Any
    status: int
    outcome: str  # "applied" or the reason for refusing it
    received_at: datetime


@dataclass
class TokenRequestRecord:
    client_id: str | None
    scopes: list[str]
    status: int
    error: str | None
    received_at: datetime


def default_users() -> list[User]:
    return [
        User("instructor", "Ines Instructor", "Instructor", "ines@demo-lms.example"),
        User("learner1", "Lena Learner", "Learner", "lena@demo-lms.example"),
        User("learner2", "Leo Learner", "Learner", "leo@demo-lms.example"),
    ]


@dataclass
class MessageHint:
    """What a launch button asked for, kept server-side; the tool passes its id back as lti_message_hint."""

    id: str
    user_id: str
    message_type: str
    client_id: str
    resource_link_id: str | None = None
    document_target: str = "iframe"
    deep_link_data: str = field(default_factory=lambda: secrets.token_urlsafe(12))


@dataclass
class Fault:
    path_contains: str
    status: int
    times: int
    headers: dict[str, str]
    body: str
    delay_seconds: float = 0.0  # wait before answering (client timeouts); with status 0, then answer normally
