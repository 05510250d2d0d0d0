"""The deep-linking picker page: the units this LMS may add, and (for instructors) a package upload form."""

from __future__ import annotations

from flask import render_template
from sqlalchemy.orm import Session

from lti_tool.db.models import Registration
from lti_tool.lti.roles import can_manage_content
from lti_tool.units import available_units


def render_picker(
    session: Session,
    registration: Registration,
    launch_token: str,
    role: str,
    *,
    problems: list | None = None,
    message: str = "",
    status: int = 200,
) -> tuple[str, int]:
    page = render_template(
        "picker.html",
        units=available_units(session, registration),
        launch_token=launch_token,
        role=role,
        can_upload=can_manage_content(role),
        problems=problems or [],
        message=message,
    )
    return page, status
