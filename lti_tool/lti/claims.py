"""The claims of an LTI 1.3 message (LTI Core 1.3 §5), checked one by one with a refusal code each."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from lti_tool.lti.errors import LtiRefusal

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
MESSAGE_TYPE = LTI + "message_type"
VERSION = LTI + "version"
DEPLOYMENT_ID = LTI + "deployment_id"
ROLES = LTI + "roles"
RESOURCE_LINK = LTI + "resource_link"
CONTEXT = LTI + "context"
CUSTOM = LTI + "custom"
TARGET_LINK_URI = LTI + "target_link_uri"
DEEP_LINKING_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
AGS_ENDPOINT = "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint"
NRPS = "https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice"

RESOURCE_LINK_REQUEST = "LtiResourceLinkRequest"
DEEP_LINKING_REQUEST = "LtiDeepLinkingRequest"
SUPPORTED_MESSAGES = (RESOURCE_LINK_REQUEST, DEEP_LINKING_REQUEST)
MAX_ID_LENGTH = (
    255  # LTI Core: sub, context id, resource link id and deployment id are at most 255 characters
)


def _identifier(value: Any, code: str, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise LtiRefusal(code, f"{what} is missing or empty")
    if len(value) > MAX_ID_LENGTH:
        raise LtiRefusal("LTI-CLAIM-INVALID", f"{what} is {len(value)} characters long; LTI allows 255")
    return value


def _object(body: Mapping[str, Any], claim: str, required: bool, code: str) -> dict:
    value = body.get(claim)
    if value is None and not required:
        return {}
    if not isinstance(value, dict):
        raise LtiRefusal(code, f"claim {claim} must be a JSON object")
    return value


def check_common(body: Mapping[str, Any]) -> str:
    """Version, message type, subject and roles; returns the message type."""
    if body.get(VERSION) != "1.3.0":
        raise LtiRefusal("LTI-VERSION", f"claim {VERSION} is {body.get(VERSION)!r}, expected '1.3.0'")
    message_type = body.get(MESSAGE_TYPE)
    if message_type not in SUPPORTED_MESSAGES:
        raise LtiRefusal(
            "LTI-MESSAGE-TYPE",
            f"claim {MESSAGE_TYPE} is {message_type!r}; expected one of {SUPPORTED_MESSAGES}",
        )
    _identifier(body.get("sub"), "LTI-SUBJECT-MISSING", "claim sub (the user id)")
    roles = body.get(ROLES)
    if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
        raise LtiRefusal("LTI-ROLES-MISSING", f"claim {ROLES} must be a list of role URIs")
    for claim in (CONTEXT, CUSTOM, AGS_ENDPOINT, NRPS):
        _object(body, claim, required=False, code="LTI-CLAIM-INVALID")
    context = _object(body, CONTEXT, required=False, code="LTI-CLAIM-INVALID")
    if context:
        _identifier(context.get("id"), "LTI-CLAIM-INVALID", f"claim {CONTEXT}.id")
    return message_type


def check_resource_link(body: Mapping[str, Any]) -> None:
    link = _object(body, RESOURCE_LINK, required=True, code="LTI-RESOURCE-LINK-MISSING")
    _identifier(link.get("id"), "LTI-RESOURCE-LINK-MISSING", f"claim {RESOURCE_LINK}.id")


def check_deep_linking(body: Mapping[str, Any]) -> None:
    settings = _object(body, DEEP_LINKING_SETTINGS, required=True, code="LTI-DEEP-LINKING-SETTINGS")
    return_url = settings.get("deep_link_return_url")
    if not isinstance(return_url, str) or urlsplit(return_url).scheme not in ("http", "https"):
        raise LtiRefusal("LTI-DEEP-LINKING-SETTINGS", "deep_link_return_url is missing or not an http(s) URL")
    accept_types = settings.get("accept_types")
    if not isinstance(accept_types, list) or "ltiResourceLink" not in accept_types:
        raise LtiRefusal("LTI-DEEP-LINKING-SETTINGS", "the platform does not accept ltiResourceLink items")


def check_target_link(body: Mapping[str, Any], base_url: str) -> None:
    """The launch must be aimed at this tool (LTI Core §5.4.2); compared by host and port."""
    target = body.get(TARGET_LINK_URI)
    if target is None:
        return
    if not isinstance(target, str) or urlsplit(target).netloc.lower() != urlsplit(base_url).netloc.lower():
        raise LtiRefusal("LTI-TARGET-LINK-MISMATCH", f"target_link_uri {target!r} is not on {base_url}")


def deployment_id(body: Mapping[str, Any]) -> str:
    return _identifier(body.get(DEPLOYMENT_ID), "LTI-DEPLOYMENT-MISSING", f"claim {DEPLOYMENT_ID}")
