"""OIDC third-party initiated login (LTI 1.3 §5.1.1; 1EdTech Security Framework §5.1.1).

The login creates one `login_states` row holding the state (hashed) and the nonce bound to it, then sends the
browser to the platform's authorisation endpoint. The browser proves it is the one that started the login by a
state cookie (SameSite=None; Secure; Partitioned) or, where the platform offers it (`lti_storage_target`), by
LTI Platform Storage; the launch checks either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from sqlalchemy.orm import Session

from lti_tool.db import Database, DriverWork
from lti_tool.lti.adapter import (
    DatabaseToolConfig,
    LaunchCookies,
    NoLibraryLookups,
    ParamsRequest,
    state_cookie_name,
)
from lti_tool.lti.errors import LtiRefusal
from lti_tool.lti.launch_rows import statements_for
from lti_tool.lti.library import OIDCLogin
from lti_tool.repo import launches as launch_repo

LOGIN_PARAMS = ("iss", "login_hint", "target_link_uri", "lti_message_hint", "client_id", "lti_deployment_id")
REQUIRED_LOGIN_PARAMS = ("iss", "login_hint", "target_link_uri")
MAX_PARAM_LENGTH = 4096
STORAGE_TARGET_MAX = 64


@dataclass
class LoginOutcome:
    auth_url: str  # where the browser goes next (the platform's OIDC authorisation endpoint)
    state: str
    cookies: LaunchCookies
    storage_target: str  # non-empty: also keep the state in LTI Platform Storage, in this frame
    platform_origin: str  # the origin platform-storage messages are addressed to


def _clean_params(raw: Mapping[str, str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for name in LOGIN_PARAMS:
        value = raw.get(name) or ""
        if not isinstance(value, str) or len(value) > MAX_PARAM_LENGTH:
            raise LtiRefusal("LTI-BAD-REQUEST", f"login parameter {name} is longer than {MAX_PARAM_LENGTH}")
        if value:
            params[name] = value
    missing = [name for name in REQUIRED_LOGIN_PARAMS if not params.get(name)]
    if missing:
        raise LtiRefusal("LTI-LOGIN-MISSING-PARAM", f"the login request has no {', '.join(missing)}")
    return params


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class ToolOIDCLogin(OIDCLogin):
    """The library's login, with the state and nonce kept in our database instead of its session."""

    def __init__(self, request: ParamsRequest, db: Database, cookies: LaunchCookies, settings: Mapping):
        super().__init__(
            request,
            NoLibraryLookups(),
            session_service=None,
            cookie_service=cookies,  # type: ignore[arg-type]
        )
        self._tool_db = db
        self._settings = settings

    def get_redirect(self, url: str) -> str:  # type: ignore[override]
        return url

    def _registration(self, work: DriverWork, params: dict[str, str]) -> Any:
        client_id = params.get("client_id")
        if client_id:
            found = statements_for(work.engine).find_login_registration(
                work.cursor(), params["iss"], client_id
            )
            if found is not None:
                return found
        # No client id, or an unknown one: the full lookup finds an issuer's only registration or says which
        # refusal applies. It only reads, so it may run beside this unit of work.
        with self._tool_db.session(readonly=True) as session:
            return DatabaseToolConfig(session).find_our_registration(params["iss"], client_id)

    def start(self, params: dict[str, str], storage_target: str) -> LoginOutcome:
        with self._tool_db.driver_work(durable=False) as work:
            our_registration = self._registration(work, params)
            if our_registration.status == "pending":
                raise LtiRefusal("LTI-REGISTRATION-PENDING", f"registration {our_registration.id} is pending")
            if our_registration.status != "active":
                raise LtiRefusal(
                    "LTI-REGISTRATION-DISABLED", f"registration {our_registration.id} is disabled"
                )
            # The library's validate_oidc_login() would look the registration up a second time;
            # _clean_params and _registration have made the same checks (issuer, login hint, client id).
            platform_origin = _origin(our_registration.auth_login_url)
            state, nonce = statements_for(work.engine).create_login_state(
                work.cursor(),
                our_registration.id,
                login_params={**params, "platform_origin": platform_origin},
                storage_target=storage_target,
                lifetime_seconds=int(self._settings["LOGIN_STATE_LIFETIME_SECONDS"]),
            )
        self._cookie_service.set_cookie(
            state_cookie_name(state), state, int(self._settings["LOGIN_STATE_LIFETIME_SECONDS"])
        )
        auth_params = {
            "scope": "openid",
            "response_type": "id_token",
            "response_mode": "form_post",
            "prompt": "none",
            "client_id": our_registration.client_id,
            "redirect_uri": self._settings["BASE_URL"] + "/lti/launch",
            "state": state,
            "nonce": nonce,
            "login_hint": params["login_hint"],
        }
        if params.get("lti_message_hint"):
            auth_params["lti_message_hint"] = params[
                "lti_message_hint"
            ]  # passed back unchanged (Moodle: JSON)
        auth_url = our_registration.auth_login_url
        auth_url += ("&" if "?" in auth_url else "?") + urlencode(auth_params)
        return LoginOutcome(auth_url, state, self._cookie_service, storage_target, platform_origin)


def start_login(
    db: Database,
    settings: Mapping,
    raw_params: Mapping[str, str],
    cookies: Mapping[str, str],
    secure: bool,
) -> LoginOutcome:
    """Check a login initiation request, record its state and prepare the redirect to the platform."""
    params = _clean_params(raw_params)
    storage_target = raw_params.get("lti_storage_target") or ""
    if not isinstance(storage_target, str) or len(storage_target) > STORAGE_TARGET_MAX:
        raise LtiRefusal("LTI-BAD-REQUEST", "lti_storage_target is not a frame name")
    request = ParamsRequest(params, cookies, secure)
    login = ToolOIDCLogin(request, db, LaunchCookies(request, bool(settings["COOKIE_SECURE"])), settings)
    return login.start(params, storage_target)


def login_again_params(db_session: Session, state: str) -> dict[str, str]:
    """The parameters of an earlier login, to run it again at the top level (the new-window path)."""
    login = launch_repo.find_login_state(db_session, state) if state else None
    if login is None:
        raise LtiRefusal("LTI-STATE-UNKNOWN", "no login with this state (it may have been cleaned up)")
    return {key: value for key, value in login.login_params.items() if key in LOGIN_PARAMS}
