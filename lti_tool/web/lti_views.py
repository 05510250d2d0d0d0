"""LTI entry points: OIDC login, launch, the tool's JWKS."""

from __future__ import annotations

import random
from urllib.parse import parse_qsl

from flask import (
    Blueprint,
    current_app,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)

from lti_tool import keys
from lti_tool.app import services
from lti_tool.catalogue.app_catalogue import resolve_catalogue_unit, unit_id_of_ref
from lti_tool.lti import claims
from lti_tool.lti.adapter import launch_cookie_header, state_cookie_name
from lti_tool.lti.errors import LtiRefusal
from lti_tool.lti.launch_service import complete_launch
from lti_tool.lti.login import LoginOutcome, login_again_params, start_login
from lti_tool.repo import launches as launch_repo
from lti_tool.repo import packages as package_repo
from lti_tool.web.errors import refusal_page
from lti_tool.web.picker import render_picker

blueprint = Blueprint("lti", __name__)
PURGE_ONE_LOGIN_IN = 500
URLENCODED = "application/x-www-form-urlencoded"
# An id_token (at most 64 KB, lti_tool.lti.launch) and a state (40 KB, lti_tool.lti.login_state), twice over
# for the Platform Storage path's copy of the state, url-encoded, and room over.
LAUNCH_FORM_MAX_BYTES = 512 * 1024


def _request_params() -> dict[str, str]:
    # Login initiation may be a GET (query) or a form POST (Moodle); anything else is read as no parameters.
    if request.method == "GET":
        return _first_values(request.query_string)
    return _form_fields()


def _first_values(encoded: bytes) -> dict[str, str]:
    """The first value of each field of a query or url-encoded body, read as werkzeug reads one (invalid
    escapes left percent-encoded), without building its multi-value dict; none when it is not UTF-8."""
    try:
        text = encoded.decode()
    except UnicodeDecodeError:
        return {}  # werkzeug's form parser reads such a body as no fields (its query parser would fail)
    fields: dict[str, str] = {}
    for key, value in parse_qsl(text, keep_blank_values=True, errors="werkzeug.url_quote"):
        fields.setdefault(key, value)  # the first of a repeated field, as request.form.get gives
    return fields


def _form_fields() -> dict[str, str]:
    """A POST's fields (the first value of each). Logins and launches are small url-encoded forms: decoded
    here in a quarter of the time of werkzeug's form parser, whose limits, multi-value dict and file
    handling they do not need. Anything else (multipart, or bigger than a launch can be) goes through that
    parser, with its limits."""
    size = request.content_length
    if request.mimetype == URLENCODED and size is not None and size <= LAUNCH_FORM_MAX_BYTES:
        return _first_values(request.get_data())
    return {key: value for key, value in request.form.items() if isinstance(value, str)}


def _login_response(outcome: LoginOutcome):  # type: ignore[no-untyped-def]
    if outcome.storage_target:
        response = render_template(
            "platform_storage_login.html",
            auth_url=outcome.auth_url,
            state=outcome.state,
            storage_target=outcome.storage_target,
            platform_origin=outcome.platform_origin,
        )
        return outcome.cookies.apply(make_response(response))
    # Not Flask's redirect(): the URL is a URI already (lti_tool.lti.login), and no browser shows the HTML
    # note werkzeug would write into the body of a redirect it follows at once.
    return outcome.cookies.apply(
        current_app.response_class(status=302, headers={"Location": outcome.auth_url})
    )


@blueprint.route("/lti/login", methods=["GET", "POST"])
def login():  # type: ignore[no-untyped-def]
    tool = services()
    outcome = start_login(tool.db, tool.settings, _request_params(), request.cookies, request.is_secure)
    if random.randrange(PURGE_ONE_LOGIN_IN) == 0:  # a sample, not a secret: no system call for it
        # The states launches have used, once expired, and ended launch sessions are cleaned up now and then
        # by the logins themselves, so the tables stay small without a scheduler (also: `carecert db purge`).
        with tool.db.session(durable=False) as session:
            launch_repo.purge_expired(session)
    return _login_response(outcome)


@blueprint.route("/lti/login/again", methods=["GET"])
def login_again():  # type: ignore[no-untyped-def]
    """The new-window path: the same login again, at the top level where the state cookie is first-party."""
    tool = services()
    params = login_again_params(tool.settings, request.args.get("state", ""))
    outcome = start_login(tool.db, tool.settings, params, request.cookies, request.is_secure)
    return _login_response(outcome)


def _cookie_blocked_page(refusal: LtiRefusal, form: dict[str, str]):  # type: ignore[no-untyped-def]
    state = refusal.context.get("state", "")
    if refusal.context.get("storage_target") and "platform_storage_state" not in form:
        # The platform offers storage: fetch the state from it, then post the launch again with it.
        page = render_template(
            "platform_storage_launch.html",
            id_token=form.get("id_token", ""),
            state=state,
            storage_target=refusal.context["storage_target"],
            platform_origin=refusal.context.get("platform_origin", "*"),
            new_window_url=url_for("lti.login_again", state=state),
        )
        return page, 200
    return refusal_page(refusal, "new_window.html", new_window_url=url_for("lti.login_again", state=state))


def _forget_state_cookie(response, state: str, settings):  # type: ignore[no-untyped-def]
    # The login's cookie has done its job: expire it, so a day of launches does not grow the Cookie header.
    secure = bool(settings["COOKIE_SECURE"])
    response.headers.add("Set-Cookie", launch_cookie_header(state_cookie_name(state), "", 0, secure))
    return response


@blueprint.route("/lti/launch", methods=["POST"])
def launch():  # type: ignore[no-untyped-def]
    tool = services()
    form = _form_fields()
    try:
        result = complete_launch(
            tool.db, tool.settings, tool.platform_keys, form, request.cookies, request.is_secure
        )
    except LtiRefusal as refusal:
        if refusal.code == "LTI-STATE-COOKIE-MISSING":
            return _cookie_blocked_page(refusal, form)
        raise
    page = _launched_page(tool, result)
    return _forget_state_cookie(make_response(page), form.get("state", ""), tool.settings)


def _launched_page(tool, result):  # type: ignore[no-untyped-def]
    if result.message_type == claims.DEEP_LINKING_REQUEST:
        with tool.db.session(readonly=True) as session:
            return render_picker(session, result.registration, result.token, result.role)
    package = None
    unit_ref = result.resource_link.unit_ref if result.resource_link is not None else ""
    if unit_ref.startswith("package:") and unit_ref[len("package:") :].isdigit():
        with tool.db.session(readonly=True) as session:
            package = package_repo.get_package(session, result.registration, int(unit_ref[len("package:") :]))
    catalogue_unit = resolve_catalogue_unit(unit_id_of_ref(unit_ref) or "")  # has a title and scorm_version
    if (package is not None or catalogue_unit is not None) and result.role == "learner":
        return redirect(url_for("player.player_page", lt=result.token), code=303)  # issue 4: the player
    return _launch_page(result=result, package=package or catalogue_unit)


def _launch_page(**values: object) -> str:
    # Rendered by the template itself: Flask's render_template would add request, session, g and config
    # and send its two signals (a third of the page's cost), none of which this page uses or anyone hears.
    # A shared context (Jinja's Template.new_context) takes the values as they are, without first copying
    # the environment's dozen globals into a new dict: the page needs only url_for of them.
    template = current_app.jinja_env.get_template("launch.html")
    context = template.new_context({**values, "url_for": url_for}, shared=True)
    try:
        return template.environment.concat(template.root_render_func(context))  # type: ignore[attr-defined]
    except Exception:
        return template.environment.handle_exception()  # Jinja's own traceback rewriting, as render() does


@blueprint.route("/lti/jwks", methods=["GET"])
@blueprint.route("/.well-known/jwks.json", methods=["GET"])
def jwks():  # type: ignore[no-untyped-def]
    with services().db.session(readonly=True) as session:
        response = jsonify(keys.published_jwks(session))
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


@blueprint.route("/", methods=["GET"])
def home():  # type: ignore[no-untyped-def]
    return render_template("home.html", base_url=services().settings["BASE_URL"])
