"""OIDC third-party initiated login (LTI 1.3 §5.1.1; 1EdTech Security Framework §5.1.1).

The login writes nothing: it issues a signed state holding the nonce bound to it (lti_tool.lti.login_state)
and sends the browser to the platform's authorisation endpoint. The browser proves it is the one that started
the login by a state cookie (SameSite=None; Secure; Partitioned) or, where the platform offers it
(`lti_storage_target`), by LTI Platform Storage; the launch checks either and makes the state single use.
Its only read, the registration, is kept a few seconds (lti_tool.lti.registration_cache).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode, urlsplit

from werkzeug.urls import iri_to_uri

from lti_tool.db import Database
from lti_tool.lti.adapter import (
    DatabaseToolConfig,
    LaunchCookies,
    NoLibraryLookups,
    ParamsRequest,
    state_cookie_name,
)
from lti_tool.lti.errors import LtiRefusal
from lti_tool.lti.library import OIDCLogin
from lti_tool.lti.login_state import issue_state, read_state
from lti_tool.lti.registration_cache import registration_cache
from lti_tool.repo import launches as launch_repo
from lti_tool.repo import registrations as registration_repo

LOGIN_PARAMS = ("iss", "login_hint", "target_link_uri", "lti_message_hint", "client_id", "lti_deployment_id")
REQUIRED_LOGIN_PARAMS = ("iss", "login_hint", "target_link_uri")
MAX_PARAM_LENGTH = 4096
STORAGE_TARGET_MAX = 64
STATE_LIFETIME_MAX_SECONDS = int(launch_repo.KEEP_LAUNCH_SESSIONS_AT_LEAST.total_seconds())


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


@lru_cache(maxsize=256)  # called with registrations' URLs only, on every login
def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@lru_cache(maxsize=256)
def _auth_url_prefix(auth_login_url: str, client_id: str, redirect_uri: str) -> str:
    """The authentication request's URL up to its per-login parameters, which are the same for every login of
    a registration (LTI 1.3 §5.1.1.2), built once: the endpoint as a URI (an admin may have typed an IRI),
    the fixed parameters encoded, and the separator the per-login ones follow."""
    fixed = urlencode(
        {
            "scope": "openid",
            "response_type": "id_token",
            "response_mode": "form_post",
            "prompt": "none",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
        }
    )
    endpoint = iri_to_uri(auth_login_url)
    return endpoint + ("&" if "?" in endpoint else "?") + fixed + "&"


def _per_login_query(state: str, nonce: str, params: dict[str, str]) -> str:
    # The state (base64url and ".") and nonce (base64url) are made of characters a query leaves as they are.
    query = f"state={state}&nonce={nonce}&" + urlencode({"login_hint": params["login_hint"]})
    if params.get("lti_message_hint"):
        query += "&" + urlencode({"lti_message_hint": params["lti_message_hint"]})  # passed back unchanged
    return query


class ToolOIDCLogin(OIDCLogin):
    """The library's login, with the state and nonce signed into `state` instead of kept in its session."""

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

    def _registration(self, params: dict[str, str]) -> Any:
        issuer, client_id = params["iss"], params.get("client_id") or ""
        key = ("login", self._tool_db.engine, issuer, client_id)
        kept = registration_cache.kept(key) if client_id else None
        if kept is not None:
            return kept
        status_changes = registration_repo.status_changes()
        with self._tool_db.session(readonly=True) as session:
            found = registration_repo.login_registration(session, issuer, client_id) if client_id else None
            if found is not None:
                registration = SimpleNamespace(**found._asdict())
                registration_cache.keep(key, registration, status_changes)
                return registration
            # No client id, or an unknown one: the full lookup finds an issuer's only registration or says
            # which refusal applies (never kept: a second registration of the issuer must count at once).
            return DatabaseToolConfig(session).find_our_registration(issuer, client_id or None)

    def start(self, params: dict[str, str], storage_target: str) -> LoginOutcome:
        our_registration = self._registration(params)
        if our_registration.status == "pending":
            raise LtiRefusal("LTI-REGISTRATION-PENDING", f"registration {our_registration.id} is pending")
        if our_registration.status != "active":
            raise LtiRefusal("LTI-REGISTRATION-DISABLED", f"registration {our_registration.id} is disabled")
        # The library's validate_oidc_login() would look the registration up a second time;
        # _clean_params and _registration have made the same checks (issuer, login hint, client id).
        # Capped: the launch session that records a state as used is kept at least that long (purge_expired).
        lifetime = min(int(self._settings["LOGIN_STATE_LIFETIME_SECONDS"]), STATE_LIFETIME_MAX_SECONDS)
        state, login = issue_state(
            self._settings["SECRET_KEY"], our_registration.id, params, storage_target, lifetime
        )
        # The cookie holds the state's signature: as good a proof as the whole state (only the browser that
        # got this answer has it), and short whatever the login parameters' length.
        self._cookie_service.set_cookie(state_cookie_name(state), login.signature, lifetime)
        prefix = _auth_url_prefix(
            our_registration.auth_login_url,
            our_registration.client_id,
            self._settings["BASE_URL"] + "/lti/launch",
        )
        auth_url = prefix + _per_login_query(state, login.nonce, params)
        platform_origin = origin_of(our_registration.auth_login_url)
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


def login_again_params(settings: Mapping, state: str) -> dict[str, str]:
    """The parameters of an earlier login, from its signed state, to run it again at the top level (the
    new-window path). An expired state is accepted: running a login again grants nothing by itself (anyone
    may start a login), and the new window may be opened a while after the launch failed."""
    if not state:
        raise LtiRefusal("LTI-STATE-UNKNOWN", "no login state was given")
    login = read_state(settings["SECRET_KEY"], state)
    return {key: value for key, value in login.login_params.items() if key in LOGIN_PARAMS}
