"""Our implementations of the library's extension points: request, cookies, session storage, tool config.

Nothing here keeps LTI data in Flask's cookie session: login states, nonces and launch data live in the
database (pylti1p3's default puts them in the signed cookie session, which browsers drop once it passes 4 KB).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session
from werkzeug.http import dump_cookie

from lti_tool import keys
from lti_tool.db.models import Registration
from lti_tool.lti.errors import LtiRefusal
from lti_tool.lti.library import (
    CookieService,
    LibraryDeployment,
    LibraryRegistration,
    Request,
    SessionService,
    ToolConfAbstract,
)
from lti_tool.repo import launches as launch_repo
from lti_tool.repo import registrations as registration_repo

STATE_COOKIE_PREFIX = "lti_state_"


def state_cookie_name(state: str) -> str:
    # One cookie per login, so two launches in two iframes of one course page do not overwrite each other.
    return STATE_COOKIE_PREFIX + hashlib.sha256(state.encode("utf-8", "surrogatepass")).hexdigest()[:20]


class ParamsRequest(Request):
    """A request as the library sees it: form or query parameters, cookies, and whether it came over HTTPS."""

    def __init__(self, params: Mapping[str, str], cookies: Mapping[str, str], secure: bool):
        self._params = params
        self._cookies = cookies
        self._secure = secure

    @property
    def session(self) -> None:
        return None  # deliberately no cookie session: see the module docstring

    def get_param(self, key: str) -> str:
        value = self._params.get(key)
        return value if isinstance(value, str) else ""

    def get_cookie(self, key: str) -> str | None:
        return self._cookies.get(key)

    def is_secure(self) -> bool:
        return self._secure


class LaunchCookies(CookieService):
    """The few cookies a login needs, set SameSite=None; Secure; Partitioned so they survive an LMS iframe."""

    def __init__(self, request: ParamsRequest, secure: bool):
        self._request = request
        self._secure = secure
        self._to_set: dict[str, tuple[str, int | None]] = {}

    def get_cookie(self, name: str) -> str | None:
        return self._request.get_cookie(name)

    def set_cookie(self, name: str, value: str | int, exp: int | None = 3600) -> None:
        self._to_set[name] = (str(value), exp)

    def apply(self, response: Any) -> Any:
        for name, (value, max_age) in self._to_set.items():
            response.headers.add("Set-Cookie", launch_cookie_header(name, value, max_age, self._secure))
        return response


# Cookie names and values the login makes (hex names, base64url signatures, "" to expire): nothing in them
# needs quoting, so their header is written as dump_cookie writes it, without its per-character checks.
_PLAIN_COOKIE_TEXT = re.compile(r"[A-Za-z0-9_.-]*")
_SECURE_ATTRIBUTES = "Secure; HttpOnly; Path=/; SameSite=None; Partitioned"
_LAX_ATTRIBUTES = "HttpOnly; Path=/; SameSite=Lax"


def launch_cookie_header(name: str, value: str, max_age: int | None, secure: bool) -> str:
    """A Set-Cookie value for one of the login's cookies (werkzeug's dump_cookie, with its checks)."""
    # CHIPS: a partitioned cookie is still sent inside the LMS iframe when third-party cookies are blocked
    # (Chrome), as long as it is Secure and SameSite=None. Without HTTPS (local trials) none of that applies.
    if (
        max_age is not None
        and name
        and _PLAIN_COOKIE_TEXT.fullmatch(name)
        and _PLAIN_COOKIE_TEXT.fullmatch(value)
    ):
        # The same text as dump_cookie's below, attribute for attribute (tests/lti/test_adapter.py compares).
        attribute_text = _SECURE_ATTRIBUTES if secure else _LAX_ATTRIBUTES
        return f"{name}={value}; Max-Age={int(max_age)}; {attribute_text}"
    attributes: dict[str, Any] = (
        {"secure": True, "samesite": "None", "partitioned": True} if secure else {"samesite": "Lax"}
    )
    # Max-Age alone, without the Expires date werkzeug would work out from it (every browser the tool
    # supports reads Max-Age; the date cost more than the rest of the header).
    return dump_cookie(
        name, value, max_age=max_age, path="/", httponly=True, sync_expires=False, **attributes
    )


class DatabaseSessionService(SessionService):
    """The library's session service, backed by our tables instead of the cookie session."""

    def __init__(self, db_session: Session):  # noqa: D107 - the library's base wants a request; we need none
        self._db = db_session

    def get_launch_data(self, key: str) -> Mapping[str, Any] | None:
        row = launch_repo.find_launch_session(self._db, key)
        return row.claims if row is not None else None

    def save_launch_data(self, key: str, jwt_body: Mapping[str, Any]) -> None:
        # Launch data is written by lti_tool.lti.launch together with the user, course and link rows.
        return None

    def save_nonce(self, nonce: str) -> None:
        raise NotImplementedError("nonces are created with their state by lti_tool.lti.login")

    def check_nonce(self, nonce: str) -> bool:
        raise NotImplementedError("nonces are checked against their state by lti_tool.lti.launch")


def library_registration(session: Session, registration: Registration) -> LibraryRegistration:
    """Our registration row as the library's Registration, holding the tool's current signing key."""
    signing = keys.signing_key(session)
    library_reg = LibraryRegistration()
    library_reg.set_issuer(registration.issuer).set_client_id(registration.client_id)
    library_reg.set_auth_login_url(registration.auth_login_url).set_auth_token_url(
        registration.auth_token_url
    )
    library_reg.set_key_set_url(registration.key_set_url)
    if registration.auth_audience:
        library_reg.set_auth_audience(registration.auth_audience)
    library_reg.set_tool_private_key(signing.private_pem)
    library_reg.set_key_set(registration.platform_jwks)
    # The library derives `kid` from the public key; ours is the JWK thumbprint stored with the key.
    library_reg.get_kid = lambda: signing.kid  # type: ignore[method-assign]
    return library_reg


class NoLibraryLookups(ToolConfAbstract):
    """The library's registration lookups, for the login and the launch, which make every check themselves
    (lti_tool.lti.login, lti_tool.lti.launch) on rows read at the driver: never called."""

    def find_registration_by_issuer(self, iss: str, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError("the login and the launch read their registration themselves")

    find_registration_by_params = find_registration_by_issuer
    find_deployment = find_registration_by_issuer
    find_deployment_by_params = find_registration_by_issuer


class DatabaseToolConfig(ToolConfAbstract):
    """The library's tool configuration, read from the registrations and deployments tables."""

    def __init__(self, db_session: Session):
        self._db = db_session
        self.issuers_relation_types = {}

    def check_iss_has_one_client(self, iss: str) -> bool:
        return False  # one issuer may register the tool several times (Canvas: one issuer for every customer)

    def check_iss_has_many_clients(self, iss: str) -> bool:
        return True

    def find_our_registration(self, iss: str, client_id: str | None) -> Registration:
        """Our row for (issuer, client id); without a client id, the issuer's only registration."""
        if client_id:
            registration = registration_repo.find_registration(self._db, iss, client_id)
            if registration is not None:
                return registration
            if not registration_repo.registrations_of_issuer(self._db, iss):
                raise LtiRefusal("LTI-ISSUER-UNKNOWN", f"no registration for issuer {iss!r}")
            raise LtiRefusal(
                "LTI-CLIENT-UNKNOWN", f"issuer {iss!r} has no registration with client id {client_id!r}"
            )
        candidates = registration_repo.registrations_of_issuer(self._db, iss)
        if not candidates:
            raise LtiRefusal("LTI-ISSUER-UNKNOWN", f"no registration for issuer {iss!r}")
        if len(candidates) > 1:
            raise LtiRefusal(
                "LTI-LOGIN-MISSING-PARAM",
                f"issuer {iss!r} has {len(candidates)} registrations; the login must send client_id",
            )
        return candidates[0]

    def find_registration_by_issuer(self, iss: str, *args: Any, **kwargs: Any) -> LibraryRegistration:
        return library_registration(self._db, self.find_our_registration(iss, None))

    def find_registration_by_params(
        self, iss: str, client_id: str, *args: Any, **kwargs: Any
    ) -> LibraryRegistration:
        return library_registration(self._db, self.find_our_registration(iss, client_id))

    def find_deployment(self, iss: str, deployment_id: str) -> LibraryDeployment | None:
        return self.find_deployment_by_params(iss, deployment_id, "")

    def find_deployment_by_params(
        self, iss: str, deployment_id: str, client_id: str, *args: Any, **kwargs: Any
    ) -> LibraryDeployment | None:
        registration = self.find_our_registration(iss, client_id or None)
        if registration_repo.find_deployment(self._db, registration, deployment_id) is None:
            return None
        return LibraryDeployment().set_deployment_id(deployment_id)
