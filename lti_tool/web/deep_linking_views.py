"""Deep linking: pick a unit (or upload a package first) and send the LtiDeepLinkingResponse back."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, render_template, request

from lti_tool.app import services
from lti_tool.lti import claims
from lti_tool.lti.deep_linking import response_jwt
from lti_tool.lti.errors import LtiRefusal
from lti_tool.lti.roles import can_manage_content
from lti_tool.packages import import_package
from lti_tool.repo import people
from lti_tool.units import find_unit
from lti_tool.web.launch_context import CurrentLaunch, current_launch
from lti_tool.web.picker import render_picker

blueprint = Blueprint("deep_linking", __name__)


def _deep_linking_launch(session) -> CurrentLaunch:  # type: ignore[no-untyped-def]
    current = current_launch(session)
    if current.launch.message_type != claims.DEEP_LINKING_REQUEST:
        raise LtiRefusal("LTI-ROLE-FORBIDDEN", "this launch was not a deep-linking request")
    if not can_manage_content(current.launch.role):
        raise LtiRefusal("LTI-ROLE-FORBIDDEN", f"role {current.launch.role} cannot add activities")
    return current


@blueprint.route("/lti/deep-link/select", methods=["POST"])
def select():  # type: ignore[no-untyped-def]
    tool = services()
    with tool.db.session(readonly=True) as session:
        current = _deep_linking_launch(session)
        refs = [ref for ref in request.form.getlist("unit") if isinstance(ref, str)][:50]
        if not refs:
            return render_picker(
                session,
                current.registration,
                current.token,
                current.launch.role,
                message="Choose a unit first.",
                status=400,
            )
        settings = current.launch.claims[claims.DEEP_LINKING_SETTINGS]
        if len(refs) > 1 and str(settings.get("accept_multiple", "true")).lower() == "false":
            refs = refs[:1]
        units = [find_unit(session, current.registration, ref) for ref in refs]
        if any(unit is None for unit in units):
            raise LtiRefusal("LTI-NOT-FOUND", "a chosen unit is not available to this LMS")
        jwt_value, return_url = response_jwt(
            session, current.registration, current.launch.claims, units, tool.settings["BASE_URL"]
        )
    return render_template("deep_link_return.html", return_url=return_url, jwt_value=jwt_value, units=units)


@blueprint.route("/lti/deep-link/upload", methods=["POST"])
def upload():  # type: ignore[no-untyped-def]
    tool = services()
    with tool.db.session() as session:
        current = _deep_linking_launch(session)
        upload_file = request.files.get("package")
        if upload_file is None or not upload_file.filename:
            return render_picker(
                session,
                current.registration,
                current.token,
                current.launch.role,
                message="Choose a .zip file to upload.",
                status=400,
            )
        user = people.get_user(session, current.registration, current.launch.user_pk)
        outcome = import_package(
            session,
            current.registration,
            Path(tool.settings["DATA_DIR"]),
            upload_file.stream,
            upload_file.filename,
            user,
        )
        if not outcome.imported:
            return render_picker(
                session,
                current.registration,
                current.token,
                current.launch.role,
                problems=outcome.problems,
                message=f"{upload_file.filename} cannot be used.",
                status=422,
            )
        return render_picker(
            session,
            current.registration,
            current.token,
            current.launch.role,
            problems=outcome.problems,
            message=f"Uploaded “{outcome.package.title}”. You can add it now.",
        )
