"""Pages for people: a learner's attempts and scores, an instructor's attempt settings for an activity."""

from __future__ import annotations

from flask import Response, abort, render_template, request

from lti_tool.app import services
from lti_tool.db.models import ResourceLink, User
from lti_tool.lti.errors import LtiRefusal
from lti_tool.player.attempts import (
    AttemptSettings,
    SettingsError,
    attempts_of,
    save_settings,
    settings_for,
)
from lti_tool.player.blueprint import blueprint
from lti_tool.player.headers import tool_page_headers
from lti_tool.player.models import COUNTED_ATTEMPT_RULES
from lti_tool.web.launch_context import current_launch


# -- pages for people ----------------------------------------------------------------------------------------
@blueprint.route("/player/attempts", methods=["GET"])
def attempts_page():  # type: ignore[no-untyped-def]
    tool = services()
    with tool.db.session(readonly=True) as session:
        found = current_launch(session)
        user = session.get(User, found.launch.user_pk)
        link = session.get(ResourceLink, found.launch.resource_link_pk or 0)
        if user is None or link is None:
            abort(404)
        rows = attempts_of(session, user, link)
        settings = settings_for(session, link)
        page = render_template(
            "player/attempts.html", launch=found, link=link, attempts=rows, settings=settings
        )
    return tool_page_headers(Response(page))


# -- the instructor's attempt settings ----------------------------------------------------------------------
STAFF_ROLES = ("instructor", "administrator")


@blueprint.route("/player/settings", methods=["GET", "POST"])
def settings_page():  # type: ignore[no-untyped-def]
    tool = services()
    with tool.db.session() as session:
        found = current_launch(session)
        link = session.get(ResourceLink, found.launch.resource_link_pk or 0)
        if found.launch.role not in STAFF_ROLES or link is None:
            raise LtiRefusal(
                "LTI-LAUNCH-TOKEN-INVALID", "only the course's instructors change attempt settings"
            )
        problem, saved = "", False
        if request.method == "POST":
            try:
                save_settings(session, link, _settings_from_form())
                saved = True
            except SettingsError as error:
                problem = str(error)
        page = render_template(
            "player/settings.html",
            launch=found,
            link=link,
            settings=settings_for(session, link),
            rules=COUNTED_ATTEMPT_RULES,
            problem=problem,
            saved=saved,
        )
    return tool_page_headers(Response(page, 400 if problem else 200))


def _settings_from_form() -> AttemptSettings:
    text = request.form.get("max_attempts", "0").strip() or "0"
    if not text.isdigit() or len(text) > 4:
        raise SettingsError("Maximum attempts must be a whole number from 0 (no limit) to 1000.")
    return AttemptSettings(
        max_attempts=int(text),
        new_attempt_after_completion=request.form.get("new_attempt_after_completion") == "yes",
        counted_attempt=request.form.get("counted_attempt", "highest"),
    )
