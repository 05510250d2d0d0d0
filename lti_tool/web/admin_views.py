"""Admin pages: sign in with an admin token, list and approve registrations, register an LMS by hand."""

from __future__ import annotations

import hmac
import secrets
from functools import wraps

from flask import Blueprint, abort, redirect, render_template, request, session, url_for

from lti_tool.admin_auth import admin_token_id, token_still_valid
from lti_tool.app import services
from lti_tool.lti.errors import LtiRefusal
from lti_tool.lti.tool_settings import tool_urls
from lti_tool.registration import ManualRegistration, RegistrationInvalid, register_manually
from lti_tool.repo import registrations as registration_repo

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


def _csrf_token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def admin_required(view):  # type: ignore[no-untyped-def]
    @wraps(view)
    def wrapper(*args, **kwargs):  # type: ignore[no-untyped-def]
        tool = services()
        with tool.db.session(readonly=True) as db_session:
            header = request.headers.get("Authorization", "")
            if header.startswith("Bearer ") and admin_token_id(db_session, header[7:].strip()):
                return view(*args, **kwargs)  # scripts: no cookie, no CSRF form token needed
            token_id = session.get("admin_token_id")
            if not isinstance(token_id, int) or not token_still_valid(db_session, token_id):
                raise LtiRefusal("ADMIN-AUTH-REQUIRED", "no admin sign-in on this browser")
        if request.method == "POST":
            sent, expected = request.form.get("csrf", ""), session.get("csrf", "")
            if not (isinstance(sent, str) and expected and hmac.compare_digest(sent, expected)):
                raise LtiRefusal(
                    "LTI-BAD-REQUEST", "the form's CSRF token is missing or stale; reload the page"
                )
        return view(*args, **kwargs)

    return wrapper


@blueprint.route("/login", methods=["GET", "POST"])
def login():  # type: ignore[no-untyped-def]
    error = ""
    if request.method == "POST":
        token = request.form.get("token", "")
        with services().db.session(readonly=True) as db_session:
            token_id = admin_token_id(db_session, token if isinstance(token, str) else "")
        if token_id:
            session.clear()
            session["admin_token_id"] = token_id
            return redirect(url_for("admin.registrations"))
        error = "That token is not valid. Create one on the server with `carecert admin token`."
    return render_template("admin/login.html", error=error), (401 if error else 200)


@blueprint.route("/logout", methods=["POST"])
def logout():  # type: ignore[no-untyped-def]
    session.clear()
    return redirect(url_for("admin.login"))


@blueprint.route("/", methods=["GET"])
@admin_required
def registrations():  # type: ignore[no-untyped-def]
    with services().db.session(readonly=True) as db_session:
        rows = [
            (registration, registration_repo.list_deployments(db_session, registration))
            for registration in registration_repo.list_registrations(db_session)
        ]
        return render_template("admin/registrations.html", rows=rows, csrf=_csrf_token())


@blueprint.route("/registrations/new", methods=["GET", "POST"])
@admin_required
def new_registration():  # type: ignore[no-untyped-def]
    tool = services()
    errors: list[str] = []
    form = {key: value for key, value in request.form.items() if isinstance(value, str)}
    if request.method == "POST":
        try:
            with tool.db.session() as db_session:
                registration = register_manually(db_session, ManualRegistration.from_mapping(form))
                return redirect(url_for("admin.show_registration", registration_id=registration.id))
        except RegistrationInvalid as invalid:
            errors = invalid.errors
    status = 422 if errors else 200
    return render_template(
        "admin/new_registration.html", form=form, errors=errors, csrf=_csrf_token()
    ), status


@blueprint.route("/registrations/<int:registration_id>", methods=["GET"])
@admin_required
def show_registration(registration_id: int):  # type: ignore[no-untyped-def]
    tool = services()
    with tool.db.session(readonly=True) as db_session:
        registration = registration_repo.get_registration(db_session, registration_id) or abort(404)
        deployments = registration_repo.list_deployments(db_session, registration)
        return render_template(
            "admin/registration.html",
            registration=registration,
            deployments=deployments,
            urls=tool_urls(tool.settings["BASE_URL"]),
            csrf=_csrf_token(),
        )


@blueprint.route("/registrations/<int:registration_id>/status", methods=["POST"])
@admin_required
def change_status(registration_id: int):  # type: ignore[no-untyped-def]
    status = request.form.get("status", "")
    if status not in registration_repo.STATUSES:
        raise LtiRefusal("LTI-BAD-REQUEST", f"status must be one of {registration_repo.STATUSES}")
    with services().db.session() as db_session:
        registration = registration_repo.get_registration(db_session, registration_id) or abort(404)
        registration_repo.set_status(db_session, registration, status)
    return redirect(url_for("admin.show_registration", registration_id=registration_id))


@blueprint.route("/registrations/<int:registration_id>/deployments", methods=["POST"])
@admin_required
def add_deployment(registration_id: int):  # type: ignore[no-untyped-def]
    deployment_id = request.form.get("deployment_id", "").strip()
    if not deployment_id or len(deployment_id) > 255:
        raise LtiRefusal("LTI-BAD-REQUEST", "a deployment id is 1 to 255 characters")
    with services().db.session() as db_session:
        registration = registration_repo.get_registration(db_session, registration_id) or abort(404)
        registration_repo.add_deployment(db_session, registration, deployment_id)
    return redirect(url_for("admin.show_registration", registration_id=registration_id))
