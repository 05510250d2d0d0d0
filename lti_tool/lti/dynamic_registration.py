"""LTI Dynamic Registration 1.0, tool side: fetch the platform's configuration, register, store the result.

Written from the 1EdTech specification (§3.3 configuration, §3.4 registration request, §3.6 response). The
registration lands pending or active (REGISTRATION_AUTO_ACTIVATE); Moodle also keeps its side pending.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import requests
from sqlalchemy.orm import Session

from lti_tool.db.models import Registration
from lti_tool.lti.errors import LtiRefusal
from lti_tool.lti.tool_settings import client_registration_request
from lti_tool.repo import registrations as registration_repo

log = logging.getLogger(__name__)
PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration"
TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"
REQUIRED_CONFIGURATION = (
    "issuer",
    "authorization_endpoint",
    "token_endpoint",
    "jwks_uri",
    "registration_endpoint",
)


def _http_url(value: Any, what: str) -> str:
    if not isinstance(value, str) or urlsplit(value).scheme not in ("http", "https") or len(value) > 2048:
        raise LtiRefusal("LTI-REGISTRATION-FAILED", f"{what} is not an http(s) URL: {value!r}")
    return value


def _same_origin(a: str, b: str) -> bool:
    pa, pb = urlsplit(a), urlsplit(b)
    return (pa.scheme, pa.netloc.lower()) == (pb.scheme, pb.netloc.lower())


def _json(response: requests.Response, what: str) -> dict:
    try:
        data = response.json()
    except ValueError as exc:
        raise LtiRefusal(
            "LTI-REGISTRATION-FAILED", f"{what} did not answer JSON (HTTP {response.status_code})"
        ) from exc
    if not isinstance(data, dict):
        raise LtiRefusal("LTI-REGISTRATION-FAILED", f"{what} did not answer a JSON object")
    return data


def fetch_platform_configuration(http: requests.Session, config_url: str, token: str, timeout: float) -> dict:
    headers = {"Accept": "application/json"}
    if token:
        headers["Authorization"] = (
            f"Bearer {token}"  # §3.3: the token may be needed to read the configuration
        )
    try:
        response = http.get(config_url, headers=headers, timeout=timeout)
    except requests.RequestException as exc:
        raise LtiRefusal("LTI-REGISTRATION-FAILED", f"cannot fetch {config_url}: {exc}") from exc
    if not response.ok:
        raise LtiRefusal("LTI-REGISTRATION-FAILED", f"{config_url} answered HTTP {response.status_code}")
    configuration = _json(response, "the platform's openid configuration")
    for key in REQUIRED_CONFIGURATION:
        _http_url(configuration.get(key), f"configuration {key}")
    if not isinstance(configuration.get(PLATFORM_CONFIGURATION), dict):
        raise LtiRefusal("LTI-REGISTRATION-FAILED", "the configuration has no LTI platform configuration")
    # §3.5.1: the issuer must match the host the configuration was fetched from.
    if not _same_origin(configuration["issuer"], config_url):
        raise LtiRefusal(
            "LTI-REGISTRATION-FAILED",
            f"issuer {configuration['issuer']} is not on the host of {config_url}",
        )
    return configuration


def post_client_registration(
    http: requests.Session, configuration: dict, token: str, base_url: str, timeout: float
) -> dict:
    headers = {"Accept": "application/json", "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    endpoint = configuration["registration_endpoint"]
    try:
        response = http.post(
            endpoint, json=client_registration_request(base_url), headers=headers, timeout=timeout
        )
    except requests.RequestException as exc:
        raise LtiRefusal("LTI-REGISTRATION-FAILED", f"cannot reach {endpoint}: {exc}") from exc
    if not response.ok:
        raise LtiRefusal(
            "LTI-REGISTRATION-FAILED",
            f"{endpoint} answered HTTP {response.status_code}: {response.text[:500]}",
        )
    answer = _json(response, "the registration endpoint")
    if not isinstance(answer.get("client_id"), str) or not answer["client_id"]:
        raise LtiRefusal("LTI-REGISTRATION-FAILED", "the platform's answer has no client_id")
    return answer


def store_registration(
    session: Session, configuration: dict, answer: dict, auto_activate: bool
) -> Registration:
    tool_config = answer.get(TOOL_CONFIGURATION) if isinstance(answer.get(TOOL_CONFIGURATION), dict) else {}
    platform = configuration[PLATFORM_CONFIGURATION]
    fields = {
        "auth_login_url": configuration["authorization_endpoint"],
        "auth_token_url": configuration["token_endpoint"],
        "key_set_url": configuration["jwks_uri"],
        "auth_audience": configuration.get("authorization_server", "") or "",
        "name": str(platform.get("product_family_code") or configuration["issuer"])[:255],
        "scopes": str(answer.get("scope", ""))[:4000],
        "platform_config": configuration,
    }
    registration = registration_repo.find_registration(session, configuration["issuer"], answer["client_id"])
    if registration is None:
        registration = registration_repo.add_registration(
            session,
            issuer=configuration["issuer"],
            client_id=answer["client_id"][:255],
            status="active" if auto_activate else "pending",
            source="dynamic",
            **fields,
        )
    else:
        for key, value in fields.items():
            setattr(registration, key, value)
    deployment_id = tool_config.get("deployment_id")
    if isinstance(deployment_id, str | int) and str(deployment_id) and len(str(deployment_id)) <= 255:
        registration_repo.add_deployment(session, registration, str(deployment_id))
    return registration


def register_with_platform(
    session: Session, http: requests.Session, settings: Mapping[str, Any], params: Mapping[str, str]
) -> Registration:
    """The whole tool side of the exchange; raises LtiRefusal with the platform's answer when it fails."""
    if not params.get("openid_configuration"):
        raise LtiRefusal("LTI-BAD-REQUEST", "open this address from the LMS's tool registration page")
    config_url = _http_url(params.get("openid_configuration"), "openid_configuration")
    token = params.get("registration_token") or ""
    if len(token) > 8192:
        raise LtiRefusal("LTI-BAD-REQUEST", "registration_token is too long")
    timeout = float(settings["HTTP_TIMEOUT_SECONDS"])
    configuration = fetch_platform_configuration(http, config_url, token, timeout)
    answer = post_client_registration(http, configuration, token, settings["BASE_URL"], timeout)
    registration = store_registration(
        session, configuration, answer, bool(settings["REGISTRATION_AUTO_ACTIVATE"])
    )
    log.info(
        "dynamic registration: %s client %s is %s",
        registration.issuer,
        registration.client_id,
        registration.status,
    )
    return registration
