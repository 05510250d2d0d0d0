"""Find the launch behind a request's launch token (URL `lt=`, form `lt`, or `Authorization: Bearer`)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request
from sqlalchemy.orm import Session

from lti_tool.db.models import LaunchSession, Registration
from lti_tool.lti.errors import LtiRefusal
from lti_tool.repo import launches as launch_repo
from lti_tool.repo import registrations as registration_repo

MAX_TOKEN_LENGTH = 128


@dataclass
class CurrentLaunch:
    token: str
    launch: LaunchSession
    registration: Registration


def launch_token_from_request() -> str:
    # Headers read from the WSGI environ: werkzeug's headers.get raises and catches a KeyError for an absent
    # header, which every player commit (no Authorization header) would pay.
    environ = request.environ
    header = environ.get("HTTP_AUTHORIZATION", "")
    if header.startswith("Bearer "):
        return header[len("Bearer ") :].strip()
    token = request.args.get("lt") or (request.form.get("lt") if request.method == "POST" else None)
    return token or environ.get("HTTP_X_LAUNCH_TOKEN", "")


def current_launch(session: Session) -> CurrentLaunch:
    token = launch_token_from_request()
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise LtiRefusal("LTI-LAUNCH-TOKEN-INVALID", "no launch token with this request")
    launch = launch_repo.find_launch_session(session, token)
    if launch is None:
        raise LtiRefusal("LTI-LAUNCH-TOKEN-INVALID", "the launch token is unknown or expired")
    registration = registration_repo.get_registration(session, launch.registration_id)
    if registration is None or registration.status != "active":
        raise LtiRefusal("LTI-REGISTRATION-DISABLED", "the launch's registration is no longer active")
    return CurrentLaunch(token, launch, registration)
