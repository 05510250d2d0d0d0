"""Pages for people: a learner's attempts and scores, starting a new attempt, an instructor's attempt
settings for an activity.

The forms post back with the launch token in their URL and the tool sets no cookies, so a page elsewhere
cannot forge them (the token is the credential and only this learner's pages carry it)."""

from __future__ import annotations

from flask import Response, abort, redirect, render_template, request, url_for
from sqlalchemy.orm import Session

from lti_tool.app import services
from lti_tool.db.models import ResourceLink, User
from lti_tool.lti.errors import LtiRefusal
from lti_tool.player.attempts import (
    AttemptSettings,
    NewAttemptRefused,
    SettingsError,
    attempts_of,
    counted_attempt,
    new_attempt_choice,
    save_settings,
    settings_for,
    start_new_attempt,
)
from lti_tool.player.blueprint import blueprint, package_of_link
from lti_tool.player.headers import tool_page_headers
from lti_tool.player.models import COUNTED_ATTEMPT_RULES
from lti_tool.web.launch_context import CurrentLaunch, current_launch


# -- pages for people ----------------------------------------------------------------------------------------
def _learner_and_link(session: Session, found: CurrentLaunch) -> tuple[User, ResourceLink]:
    user = session.get(User, found.launch.user_pk)
    link = session.get(ResourceLink, found.launch.resource_link_pk or 0)
    if user is None or link is None:
        abort(404)
    return user, link


@blueprint.route("/player/attempts", methods=["GET"])
def attempts_page():  # type: ignore[no-untyped-def]
    tool = services()
    with tool.db.session(readonly=True) as session:
        found = current_launch(session)
        user, link = _learner_and_link(session, found)
        rows = attempts_of(session, user, link)
        settings = settings_for(session, link)
        counted = counted_attempt(rows, settings.counted_attempt)
        page = render_template(
            "player/attempts.html",
            launch=found,
            link=link,
            attempts=rows,
            settings=settings,
            counted_number=counted.number if counted else 0,
            choice=new_attempt_choice(rows, settings),
        )
    return tool_page_headers(Response(page))


@blueprint.route("/player/attempts/new", methods=["GET", "POST"])
def new_attempt_page():  # type: ignore[no-untyped-def]
    """GET: the plain-language confirmation. POST: start the attempt (checked again here, whatever the
    page showed), then open the player on it."""
    tool = services()
    with tool.db.session() as session:
        found = current_launch(session)
        user, link = _learner_and_link(session, found)
        settings = settings_for(session, link)
        problem, code = "", ""
        if request.method == "POST":
            package = package_of_link(session, found)
            try:
                if package is None:
                    raise NewAttemptRefused(
                        "ATTEMPT-NO-UNIT", "No unit has been chosen for this activity yet."
                    )
                start_new_attempt(session, user, link, package, settings, _after_number())
            except NewAttemptRefused as refusal:
                problem, code = str(refusal), refusal.code
            else:
                return redirect(url_for("player.player_page", lt=found.token), 303)
        rows = attempts_of(session, user, link)
        page = render_template(
            "player/new_attempt.html",
            launch=found,
            link=link,
            settings=settings,
            choice=new_attempt_choice(rows, settings),
            problem=problem,
            code=code,
        )
    return tool_page_headers(Response(page, 409 if problem else 200))


def _after_number() -> int:
    text = request.form.get("after", "").strip()
    if not text.isdigit() or len(text) > 6:
        raise NewAttemptRefused("ATTEMPT-BAD-FORM", "This form is out of date. Open it again from the unit.")
    return int(text)


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
        new_attempt_before_finishing=request.form.get("new_attempt_before_finishing") == "yes",
    )
