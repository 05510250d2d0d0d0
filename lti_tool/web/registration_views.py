"""Dynamic registration (GET /lti/register) and the public page of values to paste into an LMS."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from lti_tool.app import services
from lti_tool.lti.dynamic_registration import register_with_platform
from lti_tool.lti.tool_settings import SCOPES, tool_urls

blueprint = Blueprint("registration", __name__)


@blueprint.route("/lti/register", methods=["GET"])
def register():  # type: ignore[no-untyped-def]
    tool = services()
    params = {key: value for key, value in request.args.items() if isinstance(value, str)}
    with tool.db.session() as session:
        registration = register_with_platform(session, tool.http, tool.settings, params)
        status = registration.status
    # Tell the opener (Moodle's dialog) we are done: LTI DR §3.7, postMessage org.imsglobal.lti.close.
    return render_template("registration_done.html", status=status)


@blueprint.route("/lti/setup", methods=["GET"])
def setup():  # type: ignore[no-untyped-def]
    return render_template("setup.html", urls=tool_urls(services().settings["BASE_URL"]), scopes=SCOPES)
