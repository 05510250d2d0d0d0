"""The player's routes: the player page, SCO delivery, the commit endpoint, attempts and settings pages,
and package content. Request handling only; the write paths live in attempts, delivery and commits."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from flask import Blueprint, Response, abort, jsonify, render_template, request, send_from_directory
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from werkzeug.exceptions import RequestEntityTooLarge

from lti_tool.app import services
from lti_tool.catalogue.app_catalogue import catalogue_package, unit_id_of_ref
from lti_tool.db.models import Package, ResourceLink, User
from lti_tool.json_text import answer_json
from lti_tool.lti.errors import LtiRefusal
from lti_tool.player import content
from lti_tool.player.attempts import (
    is_finished,
    new_attempt_choice,
    settings_for,
    start_or_resume_attempt,
)
from lti_tool.player.commit_plan import CommitRefused, CommitRequest, plan_commit
from lti_tool.player.commits import find_own_attempt
from lti_tool.player.course import Course, CourseUnavailable, load_course
from lti_tool.player.delivery import deliver_item
from lti_tool.player.group_commit import committer_for
from lti_tool.player.headers import content_headers, tool_page_headers
from lti_tool.player.navigation import locked_items
from lti_tool.records.issuer import Issuer, issuer_from_settings
from lti_tool.records.xapi_outbox import lrs_from_settings
from lti_tool.repo import packages as package_repo
from lti_tool.web.launch_context import CurrentLaunch, current_launch, launch_token_from_request

blueprint = Blueprint("player", __name__)
log = logging.getLogger(__name__)
PACKAGE_PREFIX = "package:"
BRIDGE_FILE = "__carecert_bridge.html"


class PlayerRefusal(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@blueprint.errorhandler(PlayerRefusal)
def _on_refusal(refusal: PlayerRefusal):  # type: ignore[no-untyped-def]
    answer = {"result": False, "errorCode": 101, "code": refusal.code, "message": refusal.message}
    return jsonify(answer), refusal.status


def _json_launch(session: Session) -> CurrentLaunch:
    try:
        return current_launch(session)
    except LtiRefusal as refusal:
        raise PlayerRefusal(
            401, refusal.code, "Your session has ended. Open the unit again from your course."
        ) from None


def package_of_link(session: Session, found: CurrentLaunch) -> Package | None:
    link = session.get(ResourceLink, found.launch.resource_link_pk) if found.launch.resource_link_pk else None
    ref = link.unit_ref if link is not None else ""
    catalogue_unit = unit_id_of_ref(ref)
    if catalogue_unit is not None:  # the built-in catalogue: this registration's row for the shared package
        return catalogue_package(session, found.registration, catalogue_unit)
    if not ref.startswith(PACKAGE_PREFIX) or not ref[len(PACKAGE_PREFIX) :].isdigit():
        return None
    return package_repo.get_package(session, found.registration, int(ref[len(PACKAGE_PREFIX) :]))


def _course(package: Package) -> Course:
    try:
        return load_course(Path(services().settings["DATA_DIR"]) / package.storage_path)
    except CourseUnavailable as error:
        raise PlayerRefusal(
            503, "PLAYER-PACKAGE-UNAVAILABLE", f"This unit cannot be opened: {error}."
        ) from error


def _query_value(name: str) -> str:
    """A query argument's (first) value, or "" without one. Not `request.args.get`: for a missing name it
    raises and catches werkzeug's BadRequestKeyError, about 10,000 instructions (a commit without
    ?terminate paid that on every slide)."""
    args = request.args
    return args[name] if name in args else ""  # noqa: SIM401 - the point (see above)


def _int_arg(name: str) -> int:
    value = _query_value(name)
    if not value.isdigit() or len(value) > 12:
        raise PlayerRefusal(400, "PLAYER-BAD-REQUEST", f"The request has no valid {name!r}.")
    return int(value)


def _item_arg(course: Course) -> str:
    item_id = request.args.get("i", "")
    entry = course.entry(item_id)
    if entry is None or not entry.launch:
        raise PlayerRefusal(404, "PLAYER-NO-SUCH-ITEM", "This unit has no such part.")
    return item_id


# -- the player page ---------------------------------------------------------------------------------------
@blueprint.route("/player", methods=["GET"])
def player_page():  # type: ignore[no-untyped-def]
    tool = services()
    with tool.db.session() as session:
        found = current_launch(session)
        user = session.get(User, found.launch.user_pk)
        link = session.get(ResourceLink, found.launch.resource_link_pk or 0)
        package = package_of_link(session, found)
        if package is None or link is None or user is None:
            page = render_template("player/no_unit.html", launch=found, link=link)
            return tool_page_headers(Response(page, 404))
        try:
            course = load_course(Path(tool.settings["DATA_DIR"]) / package.storage_path)
        except CourseUnavailable as error:
            page = render_template("player/no_unit.html", launch=found, link=link, problem=str(error))
            return tool_page_headers(Response(page, 503))
        settings = settings_for(session, link)
        opening = start_or_resume_attempt(session, user, link, package, settings)
        config = _player_config(found, package, course, opening.attempt, opening.review)
        page = render_template(
            "player/player.html",
            launch=found,
            user=user,
            link=link,
            course=course,
            attempt=opening.attempt,
            review=opening.review,
            reason=opening.reason,
            choice=new_attempt_choice(list(opening.attempts), settings),  # may the learner start again?
            config_json=json.dumps(config).replace("</", "<\\/"),
        )
    return tool_page_headers(Response(page), content_origin=tool.settings.get("CONTENT_ORIGIN", ""))


def _player_config(found: CurrentLaunch, package: Package, course: Course, attempt, review: bool) -> dict:  # type: ignore[no-untyped-def]
    settings = services().settings
    grant = content.new_grant(package.id, package.sha256, found.launch.user_pk)
    prefix = content.content_prefix(grant, settings["SECRET_KEY"], found.registration.id)
    content_origin = str(settings.get("CONTENT_ORIGIN", "") or "").rstrip("/")
    start = attempt.current_item if course.entry(attempt.current_item) else course.first_item()
    return {
        "version": course.version,
        "attempt": attempt.id,
        "attemptNumber": attempt.number,
        "token": found.token,
        "review": review,
        "toc": [entry.to_dict() for entry in course.toc],
        "sequencing": course.sequencing,
        "startItem": start,
        "resumeSequencing": attempt.sequencing_state if course.sequencing else None,
        "contentBase": content_origin + prefix,
        "contentOrigin": content_origin,
        "bridge": BRIDGE_FILE if content_origin else None,
        "toolOrigin": settings["BASE_URL"],
        "locked": locked_items(course, attempt_item_statuses(attempt)),
        "autosaveSeconds": int(settings.get("PLAYER_AUTOSAVE_SECONDS", 10) or 10),
    }


def attempt_item_statuses(attempt) -> dict[str, str]:  # type: ignore[no-untyped-def]
    from lti_tool.player.navigation import item_statuses

    return item_statuses(attempt)


# -- delivery and commits ----------------------------------------------------------------------------------
@blueprint.route("/player/deliver", methods=["POST"])
def deliver():  # type: ignore[no-untyped-def]
    tool = services()
    with tool.db.session() as session:
        found = _json_launch(session)
        attempt = find_own_attempt(session, found.launch, _int_arg("a"))
        package = package_of_link(session, found)
        if attempt is None or package is None or attempt.package_pk != package.id:
            raise PlayerRefusal(
                403, "COMMIT-NOT-YOUR-ATTEMPT", "This attempt does not belong to this launch."
            )
        course = _course(package)
        item_id = _item_arg(course)
        if item_id in locked_items(course, attempt_item_statuses(attempt)):
            raise PlayerRefusal(409, "PLAYER-ITEM-LOCKED", "Finish the parts this one needs first.")
        user = session.get(User, found.launch.user_pk)
        assert user is not None
        review = request.args.get("review") == "1" and is_finished(attempt)
        delivered = deliver_item(session, attempt, course, item_id, user, review)
        entry = course.entry(item_id)
        assert entry is not None and entry.launch
        answer = {
            "item": item_id,
            "delivery": delivered.delivery,
            "seed": delivered.seed,
            "entry": delivered.entry,
            "launch": entry.launch,
            "sco": entry.is_sco,
            "review": review,
        }
    return jsonify(answer)


def _xapi_issuer(settings: dict) -> Issuer | None:
    """The issuer the xAPI statements name, when an LRS is configured; else None (nothing to queue for)."""
    return issuer_from_settings(settings) if lrs_from_settings(settings) is not None else None


def _commit_body(limit: int) -> bytes:
    if request.content_length is not None and request.content_length > limit:
        raise PlayerRefusal(413, "COMMIT-TOO-LARGE", f"The commit is larger than {limit} bytes.")
    request.max_content_length = limit
    try:
        return request.get_data(cache=False)
    except RequestEntityTooLarge as error:
        raise PlayerRefusal(413, "COMMIT-TOO-LARGE", f"The commit is larger than {limit} bytes.") from error


@blueprint.route("/player/commit", methods=["POST"])
def commit():  # type: ignore[no-untyped-def]
    tool = services()
    body = _commit_body(int(tool.settings.get("PLAYER_MAX_COMMIT_BYTES", 1024 * 1024) or 1024 * 1024))
    wanted = CommitRequest(
        token=launch_token_from_request(),
        attempt_id=_int_arg("a"),
        item_id=_query_value("i")[:255],
        delivery=_int_arg("d"),
        terminate=_query_value("terminate") == "true",
        body=body,
        xapi_issuer=_xapi_issuer(tool.settings),
    )
    try:
        planned = plan_commit(tool.db, wanted, str(tool.settings["DATA_DIR"]))
        if not callable(planned):
            return _commit_answer(*planned)
        answer, status = committer_for(tool.db).run(planned, isolated=False)
    except CommitRefused as refusal:
        raise PlayerRefusal(refusal.status, refusal.code, refusal.message) from None
    except SQLAlchemyError as error:
        log.warning("a commit could not be stored: %s", error)
        raise PlayerRefusal(
            503, "COMMIT-NOT-STORED", "The commit could not be stored; send it again."
        ) from None
    return _commit_answer(answer, status)


def _commit_answer(answer: dict, status: int) -> Response:
    return Response(answer_json(answer), status=status, mimetype="application/json")


@blueprint.route("/player/sequencing", methods=["POST"])
def save_sequencing_state():  # type: ignore[no-untyped-def]
    """scorm-again's serialised sequencing state (SCORM 2004), so a later launch resumes the activity tree."""
    tool = services()
    body = _commit_body(256 * 1024)
    with tool.db.session() as session:
        found = _json_launch(session)
        attempt = find_own_attempt(session, found.launch, _int_arg("a"))
        if attempt is None:
            raise PlayerRefusal(
                403, "COMMIT-NOT-YOUR-ATTEMPT", "This attempt does not belong to this launch."
            )
        try:
            text = body.decode("utf-8")
            json.loads(text)
        except ValueError as error:
            raise PlayerRefusal(400, "COMMIT-NOT-JSON", "The sequencing state is not JSON.") from error
        attempt.sequencing_state = text
    return jsonify({"result": True, "errorCode": 0})


# -- package content -----------------------------------------------------------------------------------------
# Package rows never change (a new upload is a new row), so their facts are kept per database and id.
_package_facts: dict[tuple[str, int], tuple[int, str, str]] = {}


def _package_facts_for(package_id: int) -> tuple[int, str, str] | None:
    key = (services().db.url, package_id)
    facts = _package_facts.get(key)
    if facts is None:
        with services().db.session(readonly=True) as session:
            package = session.get(Package, package_id)
            if package is None:
                return None
            facts = (package.registration_id, package.sha256, package.storage_path)
        _package_facts[key] = facts
    return facts


@blueprint.route("/content/<int:package_id>/<content_hash>/<grant>/<path:file_path>", methods=["GET", "HEAD"])
def package_file(package_id: int, content_hash: str, grant: str, file_path: str):  # type: ignore[no-untyped-def]
    tool = services()
    facts = _package_facts_for(package_id)
    if facts is None:
        abort(404)
    registration_id, sha256, storage_path = facts
    if not content.check_grant(
        tool.settings["SECRET_KEY"], registration_id, package_id, sha256, content_hash, grant
    ):
        abort(404)  # the same answer as a missing file: a guessed URL learns nothing
    if file_path == BRIDGE_FILE:
        page = render_template("player/bridge.html", tool_origin=tool.settings["BASE_URL"])
        return content_headers(Response(page, mimetype="text/html"), grant)
    folder = Path(tool.settings["DATA_DIR"]) / storage_path
    response = send_from_directory(folder, file_path, conditional=True, etag=True)
    return content_headers(response, grant)


# The learners' and instructors' pages register their routes on this blueprint.
from lti_tool.player import pages  # noqa: E402, F401
