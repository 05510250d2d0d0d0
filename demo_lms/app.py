"""create_platform_app(platform): the demo LMS as a Flask app (OIDC /auth, /jwks, /token, launches, pages).

Services (AGS, NRPS), dynamic registration and the deep-linking return live in their own blueprints.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import flask
from lti1p3platform.exceptions import LtiException, PreflightRequestValidationException

from demo_lms import deep_linking, pages, registration, service_routes
from demo_lms.launch import DemoMessageLaunch
from demo_lms.lti_adapter import DemoPlatformConf, FlaskOIDCLogin, FlaskRequest, unverified_claims
from demo_lms.platform import DEEP_LINKING, RESOURCE_LINK, DemoPlatform

CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
TOKEN_FIELDS = ("grant_type", "client_assertion_type", "client_assertion", "scope")


def create_platform_app(platform: DemoPlatform) -> flask.Flask:
    app = flask.Flask("demo_lms", template_folder=str(Path(__file__).parent / "templates"))
    app.extensions["demo_platform"] = platform
    app.before_request(_injected_fault)
    app.after_request(_report_change)
    app.register_blueprint(pages.blueprint)
    app.register_blueprint(service_routes.blueprint)
    app.register_blueprint(registration.blueprint)
    app.register_blueprint(deep_linking.blueprint)
    app.add_url_rule("/jwks", "jwks", view_func=lambda: flask.jsonify(platform.jwks()))
    app.add_url_rule("/launch", view_func=start_launch)
    app.add_url_rule("/deep_link", view_func=start_deep_link)
    app.add_url_rule("/auth", view_func=authorize, methods=["GET", "POST"])
    app.add_url_rule("/token", view_func=issue_token, methods=["POST"])
    return app


def current_platform() -> DemoPlatform:
    return flask.current_app.extensions["demo_platform"]


def error_page(status: int, title: str, detail: str) -> flask.Response:
    html = flask.render_template("error.html", title=title, detail=detail, status=status)
    return flask.Response(html, status=status, mimetype="text/html")


def _injected_fault() -> flask.Response | None:
    fault = current_platform().take_fault(flask.request.path)
    if fault is None:
        return None
    if fault.delay_seconds:
        time.sleep(fault.delay_seconds)
    if not fault.status:
        return None
    return flask.Response(fault.body, status=fault.status, headers=fault.headers)


def _report_change(response: flask.Response) -> flask.Response:
    platform = current_platform()
    if platform.on_change is not None and flask.request.method != "GET" and response.status_code < 500:
        platform.on_change()  # e.g. the demo saves its state
    return response


# -- OIDC third-party initiated login, started from the course page ---------------------------------------
def start_launch() -> flask.Response:
    return _initiate(RESOURCE_LINK)


def start_deep_link() -> flask.Response:
    return _initiate(DEEP_LINKING)


def _initiate(message_type: str) -> flask.Response:
    platform = current_platform()
    target = flask.request.args.get("target", "iframe")
    try:
        hint = platform.new_message_hint(
            flask.request.args.get("user", ""),
            message_type,
            resource_link_id=flask.request.args.get("rl"),
            document_target=target if target in ("iframe", "window") else "iframe",
        )
        tool = platform.tools[hint.client_id]
    except (KeyError, LookupError) as exc:
        return error_page(404, "Nothing to launch", str(exc))
    if not tool.active:
        return error_page(403, "Tool not active", f"The tool {tool.name} is registered but not active.")
    config = DemoPlatformConf(platform=platform, tool=tool)
    # The embed page hosts the storage: the tool's frame posts to its parent.
    storage_target = "_parent" if platform.platform_storage and hint.document_target == "iframe" else None
    login = FlaskOIDCLogin(FlaskRequest(flask.request), config, hint.id, storage_target)
    login.form_post = platform.login_method == "POST"
    if message_type == DEEP_LINKING:
        login.set_deeplinking_launch_url()
    else:
        link = platform.resource_links[hint.resource_link_id or ""]
        login.set_launch_url(link.url or tool.target_link_uri)
    return login.initiate_login(hint.user_id)


# -- OIDC authorization endpoint ----------------------------------------------------------------------------
def authorize() -> flask.Response:
    """Check the tool's authentication request (OIDC Core 3.1.2.1 as profiled by the IMS Security
    Framework)."""
    platform = current_platform()
    params = flask.request.values
    problem = _auth_request_problem(platform, params)
    if problem:
        return error_page(400, "The tool's login request was refused", problem)
    hint = platform.message_hints[params["lti_message_hint"]]
    tool = platform.tools[params["client_id"]]
    config = DemoPlatformConf(platform=platform, tool=tool)
    launch = DemoMessageLaunch(FlaskRequest(flask.request), config, platform, hint, dict(params.items()))
    try:
        return launch.lti_launch()
    except (PreflightRequestValidationException, LtiException) as exc:
        return error_page(400, "The tool's login request was refused", str(exc) or type(exc).__name__)


def _auth_request_problem(platform: DemoPlatform, params: Any) -> str | None:
    expected = {"scope": "openid", "response_type": "id_token", "prompt": "none"}
    for name, value in expected.items():
        if params.get(name) != value:
            return f"{name} must be {value!r}, got {params.get(name)!r}"
    for name in ("nonce", "state", "redirect_uri", "login_hint", "lti_message_hint", "client_id"):
        if not params.get(name):
            return f"the {name} parameter is missing"
    tool = platform.tools.get(params["client_id"])
    if tool is None:
        return f"unknown client_id {params['client_id']!r}"
    if params["redirect_uri"] not in tool.redirect_uris:
        # Moodle: redirect_uri must equal a registered one exactly.
        return f"redirect_uri {params['redirect_uri']!r} is not registered for this tool"
    hint = platform.message_hints.get(params["lti_message_hint"])
    if hint is None or hint.client_id != tool.client_id:
        return "lti_message_hint does not name a launch this platform started"
    if hint.user_id != params["login_hint"]:
        return "login_hint does not match the user who started the launch"
    return None


# -- OAuth 2 client_credentials with a JWT client assertion (IMS Security Framework 4.1) --------------------
def _token_error(platform: DemoPlatform, client_id: str | None, error: str, detail: str) -> flask.Response:
    platform.record_token_request(client_id, [], 400, f"{error}: {detail}")
    return flask.make_response(flask.jsonify(error=error, error_description=detail), 400)


def issue_token() -> flask.Response:
    platform = current_platform()
    form = flask.request.form
    missing = [name for name in TOKEN_FIELDS if not form.get(name)]
    if missing:
        return _token_error(platform, None, "invalid_request", "missing " + ", ".join(missing))
    if form["grant_type"] != "client_credentials":
        return _token_error(platform, None, "unsupported_grant_type", form["grant_type"])
    if form["client_assertion_type"] != CLIENT_ASSERTION_TYPE:
        return _token_error(platform, None, "invalid_request", "client_assertion_type must be jwt-bearer")
    try:
        client_id = unverified_claims(form["client_assertion"]).get("sub")
    except LtiException as exc:
        return _token_error(platform, None, "invalid_client", str(exc))
    tool = platform.tools.get(client_id) if isinstance(client_id, str) else None
    if tool is None or not tool.active:
        return _token_error(platform, None, "invalid_client", f"unknown or inactive client {client_id!r}")
    problem = _client_assertion_problem(platform, DemoPlatformConf(platform=platform, tool=tool), form)
    if problem:
        return _token_error(platform, client_id, "invalid_client", problem)
    granted = [scope for scope in form["scope"].split() if scope in tool.scopes]
    if not granted:
        return _token_error(platform, client_id, "invalid_scope", "none of the requested scopes is granted")
    platform.record_token_request(client_id, granted, 200, None)
    return flask.jsonify(platform.issue_access_token(client_id, granted))


def _client_assertion_problem(platform: DemoPlatform, config: DemoPlatformConf, form: Any) -> str | None:
    try:
        config.get_registration()
        claims = config.tool_validate_and_decode(form["client_assertion"])
    except Exception as exc:  # the library raises LtiException, PyJWT errors and requests errors
        return f"client assertion not verified: {exc}"
    if claims.get("iss") != config.tool.client_id or claims.get("sub") != config.tool.client_id:
        return "client assertion iss and sub must be the client id"
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if not {platform.url("/token"), platform.issuer} & set(audiences):
        return f"client assertion aud {audience!r} names neither the token endpoint nor the issuer"
    return None
