"""After the checks: record the user, course and activity for the registration, and open a launch session.

The browser gets back only an opaque launch token (the launch data stays in `launch_sessions`), carried in
URLs or an `Authorization: Bearer` header by later requests, so nothing depends on a third-party cookie.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from lti_tool.db import Database
from lti_tool.db.models import utcnow
from lti_tool.lti import claims
from lti_tool.lti.adapter import ParamsRequest
from lti_tool.lti.errors import LtiRefusal
from lti_tool.lti.kept_launch_rows import LaunchRowWriter
from lti_tool.lti.launch import ToolMessageLaunch
from lti_tool.lti.platform_keys import PlatformKeys
from lti_tool.lti.roles import map_roles
from lti_tool.repo import launches as launch_repo

NAME_LIMIT, TITLE_LIMIT, EMAIL_LIMIT = 255, 1024, 320


@dataclass
class LaunchResult:
    """What a launch recorded. `registration`, `user`, `context` and `resource_link` are read-only rows of
    their tables (read by attribute like the models: `user.sub`, `resource_link.unit_ref`), not ORM
    objects."""

    token: str
    session_id: int  # launch_sessions.id
    registration: Any
    user: Any
    context: Any | None
    resource_link: Any | None
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

    One unit of work: the checks read the login, its registration and deployment in one query, and the
    writes (user, course, link, and the launch session that makes the state single use) commit together or
    not at all, as bookkeeping
    (`durable=False`): after a power cut a learner at worst launches again. When the platform's keys must be
    fetched, the launch ends its transaction first (ToolMessageLaunch.validate_jwt_signature).
    """
    request = ParamsRequest(form, cookies, secure)
    with db.driver_work(durable=False) as work:
        launch = ToolMessageLaunch(request, work, settings, platform_keys).validate()
        result, writer = _record_launch(launch, settings)
    writer.keep_written()
    return result


def _record_launch(
    launch: ToolMessageLaunch, settings: Mapping[str, Any]
) -> tuple[LaunchResult, LaunchRowWriter]:
    """The launch recorded with the rows this process wrote lately reused (lti_tool.lti.kept_launch_rows);
    when one of them is gone, or the state was used already, recorded again writing every row, which tells
    the two apart: finding the state recorded refuses the launch (the unit of work rolls back)."""
    writer = LaunchRowWriter(launch.rows, launch.cursor(), launch.engine, reuse=True)
    result = _write_launch(launch, settings, writer)
    if result is None and writer.reused_rows:
        # In a transaction of its own: this one may hold a later row's lock (a course upserted beside a kept
        # user) while the full path takes the user's first; a launch that takes them in the usual order at
        # the same time would deadlock with it (PostgreSQL found this on the same launch posted three times).
        launch.restart()
        writer = LaunchRowWriter(launch.rows, launch.cursor(), launch.engine, reuse=False)
        result = _write_launch(launch, settings, writer)
    if result is None:
        raise LtiRefusal("LTI-NONCE-REPLAYED", "this login's nonce has already been used")
    return result, writer


def _write_launch(
    launch: ToolMessageLaunch, settings: Mapping[str, Any], writer: LaunchRowWriter
) -> LaunchResult | None:
    """The user, course and link, each reused or upserted (the statements of lti_tool.repo.people, run at the
    driver by lti_tool.lti.launch_rows), and the launch session, whose insert records the login state as
    used; None when it inserted nothing."""
    registration, deployment, body = launch.our_registration, launch.deployment, launch.body
    assert registration is not None and deployment is not None
    rows, now = launch.rows, utcnow()
    owner = {"registration_id": registration.id}
    user = writer.row(
        "user",
        rows.upsert_user,
        {**owner, "sub": body["sub"], **_profile(body)},
        {"created_at": now, "last_seen_at": now},
    )
    context_claim = body.get(claims.CONTEXT) or {}
    context = None
    if context_claim:
        context = writer.row(
            "context",
            rows.upsert_context,
            {
                **owner,
                "deployment_pk": deployment.id,
                "context_id": context_claim["id"],
                "label": _text(context_claim.get("label"), NAME_LIMIT),
                "title": _text(context_claim.get("title"), TITLE_LIMIT),
            },
            {"created_at": now},
        )
    link = None
    message_type = body[claims.MESSAGE_TYPE]
    if message_type == claims.RESOURCE_LINK_REQUEST:
        link_claim = body[claims.RESOURCE_LINK]
        link = writer.row(
            "link",
            rows.upsert_link,
            {
                **owner,
                "deployment_pk": deployment.id,
                "resource_link_id": link_claim["id"],
                "context_pk": context.id if context else None,
                "title": _text(link_claim.get("title"), TITLE_LIMIT),
                "unit_ref": _unit_ref(body),
                "lineitem_url": _lineitem_url(body),
            },
            {"created_at": now, "updated_at": now},
        )
    role = map_roles(body[claims.ROLES], settings["ASSESSOR_ROLES"])
    token = launch_repo.new_secret()
    session_row = writer.insert_session(
        {
            **owner,
            "token_hash": launch_repo.token_hash(token),
            "created_at": now,
            "expires_at": now + timedelta(seconds=int(settings["LAUNCH_TOKEN_LIFETIME_SECONDS"])),
            "deployment_pk": deployment.id,
            "user_pk": user.id,
            "context_pk": context.id if context else None,
            "resource_link_pk": link.id if link else None,
            "message_type": message_type,
            "role": role,
            "claims": body,
            "state_hash": launch_repo.token_hash(launch.state),
        },
    )
    if session_row is None:
        return None
    return LaunchResult(token, session_row[0], registration, user, context, link, role, message_type, body)
