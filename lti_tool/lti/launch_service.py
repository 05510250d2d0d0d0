"""After the checks: record the user, course and activity for the registration, and open a launch session.

The browser gets back only an opaque launch token (the launch data stays in `launch_sessions`), carried in
URLs or an `Authorization: Bearer` header by later requests, so nothing depends on a third-party cookie.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row
from sqlalchemy.orm import Session

from lti_tool.db import Database
from lti_tool.lti import claims
from lti_tool.lti.adapter import ParamsRequest
from lti_tool.lti.launch import ToolMessageLaunch
from lti_tool.lti.platform_keys import PlatformKeys
from lti_tool.lti.roles import map_roles
from lti_tool.repo import launches as launch_repo
from lti_tool.repo import people

NAME_LIMIT, TITLE_LIMIT, EMAIL_LIMIT = 255, 1024, 320


@dataclass
class LaunchResult:
    """What a launch recorded. `registration`, `user`, `context` and `resource_link` are read-only rows of
    their tables (read by attribute like the models: `user.sub`, `resource_link.unit_ref`), not ORM
    objects."""

    token: str
    session_id: int  # launch_sessions.id
    registration: Any
    user: Row
    context: Row | None
    resource_link: Row | None
    role: str
    message_type: str
    body: dict


def _text(value: Any, limit: int) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _profile(body: Mapping[str, Any]) -> dict[str, str]:
    return {
        "name": _text(body.get("name"), NAME_LIMIT),
        "given_name": _text(body.get("given_name"), NAME_LIMIT),
        "family_name": _text(body.get("family_name"), NAME_LIMIT),
        "email": _text(body.get("email"), EMAIL_LIMIT),
    }


def _unit_ref(body: Mapping[str, Any]) -> str:
    custom = body.get(claims.CUSTOM) or {}
    value = custom.get("unit") if isinstance(custom, dict) else None
    return _text(value, 255) if isinstance(value, str | int) and not isinstance(value, bool) else ""


def _lineitem_url(body: Mapping[str, Any]) -> str:
    endpoint = body.get(claims.AGS_ENDPOINT) or {}
    url = endpoint.get("lineitem") if isinstance(endpoint, dict) else None
    return url if isinstance(url, str) and len(url) <= 2048 else ""


def complete_launch(
    db: Database,
    settings: Mapping[str, Any],
    platform_keys: PlatformKeys,
    form: Mapping[str, str],
    cookies: Mapping[str, str],
    secure: bool,
) -> LaunchResult:
    """Validate a launch POST and record it; raises LtiRefusal when any check fails.

    Two transactions: the signature check may refresh the platform's key set (its own short write), which
    must not wait behind this launch's write lock on SQLite; the writes (nonce used, user, course, link,
    launch session) then commit together or not at all, as bookkeeping (`durable=False`): after a power cut a
    learner at worst launches again.
    """
    request = ParamsRequest(form, cookies, secure)
    with db.session(readonly=True) as read_session:
        launch = ToolMessageLaunch(request, read_session, settings, platform_keys).validate_signed_token()
    with db.session(durable=False) as db_session:
        launch.validate_use(db_session)
        return _record_launch(db_session, settings, launch)


def _record_launch(
    db_session: Session, settings: Mapping[str, Any], launch: ToolMessageLaunch
) -> LaunchResult:
    registration, deployment, body = launch.our_registration, launch.deployment, launch.body
    assert registration is not None and deployment is not None
    user = people.record_user(db_session, registration, body["sub"], _profile(body), as_rows=True)
    context_claim = body.get(claims.CONTEXT) or {}
    context = None
    if context_claim:
        context = people.record_context(
            db_session,
            registration,
            deployment,
            context_claim["id"],
            _text(context_claim.get("label"), NAME_LIMIT),
            _text(context_claim.get("title"), TITLE_LIMIT),
            as_rows=True,
        )
    link = None
    message_type = body[claims.MESSAGE_TYPE]
    if message_type == claims.RESOURCE_LINK_REQUEST:
        link_claim = body[claims.RESOURCE_LINK]
        link = people.record_resource_link(
            db_session,
            registration,
            deployment,
            context,
            link_claim["id"],
            title=_text(link_claim.get("title"), TITLE_LIMIT),
            unit_ref=_unit_ref(body),
            lineitem_url=_lineitem_url(body),
            as_rows=True,
        )
    role = map_roles(body[claims.ROLES], settings["ASSESSOR_ROLES"])
    token, session_id = launch_repo.create_launch_session(
        db_session,
        registration,
        lifetime_seconds=int(settings["LAUNCH_TOKEN_LIFETIME_SECONDS"]),
        deployment_pk=deployment.id,
        user_pk=user.id,
        context_pk=context.id if context else None,
        resource_link_pk=link.id if link else None,
        message_type=message_type,
        role=role,
        claims=body,
    )
    return LaunchResult(token, session_id, registration, user, context, link, role, message_type, body)
