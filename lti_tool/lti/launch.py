"""The launch (LTI 1.3 §5.1.2, Security Framework §5.1.3): every check, in order, each with its own
refusal.

`ToolMessageLaunch` is the library's MessageLaunch with the gaps closed: the state is one the tool signed
(lti_tool.lti.login_state), unexpired, and proven by a cookie or Platform Storage; the nonce is bound to that
state and used once (the launch session records the state's hash); exp/iat get a leeway; the platform's
keys are refetched once on an unknown kid; `aud`/`azp` are checked; claims are checked one by one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lti_tool.db import DriverWork
from lti_tool.lti import claims
from lti_tool.lti import id_token as id_token_parts
from lti_tool.lti.adapter import LaunchCookies, NoLibraryLookups, ParamsRequest, state_cookie_name
from lti_tool.lti.errors import LtiRefusal
from lti_tool.lti.launch_rows import LaunchStatements, statements_for
from lti_tool.lti.library import (
    LtiException,
    MessageLaunch,
    SessionService,
    get_validators,
)
from lti_tool.lti.login import origin_of
from lti_tool.lti.login_state import LoginState, read_state, same_text
from lti_tool.lti.platform_keys import PlatformKeys
from lti_tool.lti.registration_cache import registration_cache
from lti_tool.repo import registrations as registration_repo

MAX_ID_TOKEN_LENGTH = 64 * 1024


class _NoLibrarySession(SessionService):
    """The library's launch-data store: never used, launch data is kept by lti_tool.lti.launch_service."""

    def __init__(self) -> None:  # the base class wants a request only to reach a cookie session
        pass


class ToolMessageLaunch(MessageLaunch):
    """One launch being checked. After `validate()`: `login`, `our_registration`, `deployment`, `body`."""

    def __init__(
        self,
        request: ParamsRequest,
        work: DriverWork,
        settings: Mapping[str, Any],
        platform_keys: PlatformKeys,
    ):
        super().__init__(
            request,
            NoLibraryLookups(),
            session_service=_NoLibrarySession(),
            cookie_service=LaunchCookies(request, bool(settings["COOKIE_SECURE"])),
            requests_session=platform_keys.http,  # the library would build a new HTTP session per launch
        )
        self._work = work
        self._settings = settings
        self._platform_keys = platform_keys
        self._rows: LaunchStatements = statements_for(work.engine)
        # What the signed state holds, and read-only snapshots of the registration and deployment rows.
        self.login: LoginState | None = None
        self.our_registration: Any = None
        self.deployment = None
        self._login_registration: Any = None
        self._prefetched_deployment = None

    def _claimed_deployment_id(self) -> str | None:
        value = self.body.get(claims.DEPLOYMENT_ID)
        return value if isinstance(value, str) and value else None

    def _get_request_param(self, key: str) -> str:
        return self._request.get_param(key)

    @property
    def body(self) -> dict:
        return self._jwt.get("body", {})

    def validate(self) -> ToolMessageLaunch:
        """Every check, in the launch's one transaction: format, state and its proof, registration,
        signature and times (nothing written yet), then the nonce used, the deployment and the claims."""
        self._validated = True
        return (
            self.validate_jwt_format()
            .validate_state()
            .validate_registration()
            .validate_jwt_signature()
            .validate_nonce()
            .validate_deployment()
            .validate_message()
        )

    @property
    def rows(self) -> LaunchStatements:
        return self._rows

    @property
    def engine(self) -> Any:
        """The engine of this launch's unit of work: what rows kept per process are kept under."""
        return self._work.engine

    def cursor(self) -> Any:
        """The DBAPI cursor of this launch's unit of work (lti_tool.lti.launch_rows runs on it)."""
        return self._work.cursor()

    def restart(self) -> None:
        """Roll back what this launch's unit of work wrote; the next `cursor()` begins it again."""
        self._work.restart()

    def validate_jwt_format(self) -> ToolMessageLaunch:
        id_token = self._get_request_param("id_token")
        if not id_token:
            raise LtiRefusal("LTI-MISSING-ID-TOKEN", "the launch POST has no id_token field")
        if not self._get_request_param("state"):
            raise LtiRefusal("LTI-MISSING-STATE", "the launch POST has no state field")
        if len(id_token) > MAX_ID_TOKEN_LENGTH:
            raise LtiRefusal(
                "LTI-JWT-MALFORMED", f"the id_token is longer than {MAX_ID_TOKEN_LENGTH} characters"
            )
        self._split_token = id_token_parts.split_token(id_token)
        self._jwt = {"header": self._split_token.header, "body": self._split_token.body}
        return self

    def validate_state(self) -> ToolMessageLaunch:
        state = self._get_request_param("state")
        login = read_state(self._settings["SECRET_KEY"], state)
        if login.expired():
            raise LtiRefusal("LTI-STATE-UNKNOWN", "the login of this state has expired")
        # The login's registration and the deployment the token names. Nothing read here is trusted before
        # the signature check: the registration is checked against `iss` next, the deployment only after the
        # signature (validate_deployment).
        registration, self._prefetched_deployment = self._launch_registration(login.registration_id)
        if registration is None:
            raise LtiRefusal("LTI-STATE-UNKNOWN", f"registration {login.registration_id} no longer exists")
        self._login_registration = registration
        cookie_value = self._cookie_service.get_cookie(state_cookie_name(state)) or ""
        stored_value = self._get_request_param("platform_storage_state")
        proven = same_text(login.signature, cookie_value) or (
            bool(login.storage_target) and same_text(state, stored_value)
        )
        if not proven:
            self._refuse_unproven(state, login, registration, cookie_value or stored_value)
        self.login = login
        return self

    def _launch_registration(self, registration_id: int) -> tuple[Any, Any]:
        """(registration or None, deployment or None), kept a few seconds (lti_tool.lti.registration_cache)
        once both are found."""
        deployment_id = self._claimed_deployment_id() or ""
        key = ("launch", self._work.engine, registration_id, deployment_id)
        kept = registration_cache.kept(key)
        if kept is not None:
            return kept
        status_changes = registration_repo.status_changes()
        found = self._rows.find_launch_registration(self.cursor(), registration_id, deployment_id)
        if found[0] is not None and found[1] is not None:
            registration_cache.keep(key, found, status_changes)
        return found

    def _refuse_unproven(self, state: str, login: LoginState, registration: Any, proof: str) -> None:
        # A launch already made has had its cookie expired: say so, rather than ask for the cookie again.
        used_at = self._rows.login_used_at(self.cursor(), state)
        if used_at is not None:
            raise LtiRefusal("LTI-NONCE-REPLAYED", f"the login of this state was already used at {used_at}")
        if proof:
            raise LtiRefusal("LTI-STATE-MISMATCH", "the state cookie holds another login's state")
        raise LtiRefusal(
            "LTI-STATE-COOKIE-MISSING",
            "the state cookie did not come back (third-party cookies blocked?)",
            context={
                "state": state,
                "storage_target": login.storage_target,
                "platform_origin": origin_of(registration.auth_login_url),
            },
        )

    def validate_registration(self) -> ToolMessageLaunch:
        assert self.login is not None
        registration = self._login_registration
        iss = self.body.get("iss")
        if iss != registration.issuer:
            raise LtiRefusal(
                "LTI-ISSUER-UNKNOWN", f"iss is {iss!r}; the login was for {registration.issuer!r}"
            )
        if registration.status != "active":
            code = (
                "LTI-REGISTRATION-PENDING"
                if registration.status == "pending"
                else "LTI-REGISTRATION-DISABLED"
            )
            raise LtiRefusal(code, f"registration {registration.id} is {registration.status}")
        self.our_registration = registration
        return self

    def validate_jwt_signature(self) -> ToolMessageLaunch:
        assert self.our_registration is not None
        kid = self._jwt["header"].get("kid")
        if not isinstance(kid, str) or not kid:
            raise LtiRefusal("LTI-KID-MISSING", "the id_token header has no kid")
        public_key = self._platform_keys.known_public_key(self.our_registration.id, kid)
        if public_key is None:
            # Only a fetch can tell: end the transaction first (nothing is written yet), so the key set's
            # own short write never waits behind this launch's lock (SQLite has one writer at a time).
            self._work.restart()
            public_key = self._platform_keys.public_key(self.our_registration.id, kid)
        id_token_parts.verify_signature(self._split_token, public_key, kid)
        id_token_parts.check_registered_claims(
            self.body, self.our_registration.client_id, int(self._settings["CLOCK_LEEWAY_SECONDS"])
        )
        return self

    def validate_nonce(self) -> ToolMessageLaunch:
        assert self.login is not None
        nonce = self.body.get("nonce")
        if not isinstance(nonce, str) or not same_text(self.login.nonce, nonce):
            raise LtiRefusal("LTI-NONCE-MISMATCH", "the nonce is not the one sent with this login")
        # Single use: the launch session records the state's hash (unique) in this launch's transaction, and
        # a replay's insert finds it there (lti_tool.lti.launch_service refuses it, everything rolled back).
        return self

    @property
    def state(self) -> str:
        return self._get_request_param("state")

    def validate_deployment(self) -> ToolMessageLaunch:
        assert self.our_registration is not None
        deployment_id = claims.deployment_id(self.body)
        # Read with the login (validate_state), by the id the token names: claims.deployment_id has just
        # checked that id is the same non-empty string.
        deployment = self._prefetched_deployment
        if deployment is None:
            if not self._settings["ALLOW_UNKNOWN_DEPLOYMENTS"]:
                raise LtiRefusal(
                    "LTI-DEPLOYMENT-UNKNOWN",
                    f"deployment id {deployment_id!r} is not registered for {self.our_registration.issuer}",
                )
            deployment = self._rows.add_deployment(self.cursor(), self.our_registration.id, deployment_id)
        self.deployment = deployment
        return self

    def validate_message(self) -> ToolMessageLaunch:
        message_type = claims.check_common(self.body)
        if message_type == claims.RESOURCE_LINK_REQUEST:
            claims.check_resource_link(self.body)
        else:
            claims.check_deep_linking(self.body)
        claims.check_target_link(self.body, self._settings["BASE_URL"])
        # The library's own validators as a second opinion (they know the other message types' rules too).
        for validator in get_validators():
            if validator.can_validate(self.body):
                try:
                    validator.validate(self.body)
                except LtiException as exc:
                    raise LtiRefusal("LTI-CLAIM-INVALID", str(exc)) from exc
        return self
