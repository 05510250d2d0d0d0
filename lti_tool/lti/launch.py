"""The launch (LTI 1.3 §5.1.2, Security Framework §5.1.3): every check, in order, each with its own
refusal.

`ToolMessageLaunch` is the library's MessageLaunch with the gaps closed: the state is looked up server-side
and proven by a cookie or Platform Storage; the nonce is bound to that state and used once; exp/iat get a
leeway; the platform's keys are refetched once on an unknown kid; `aud`/`azp` are checked; claims are checked
one by one.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from typing import Any

from lti_tool.db import DriverWork
from lti_tool.db.models import utcnow
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
from lti_tool.lti.platform_keys import PlatformKeys
from lti_tool.repo import launches as launch_repo

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
        # Read-only snapshots of the login and registration rows (repo.launches.find_login_for_launch).
        self.login: Any = None
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
        """Every check, in the session's one transaction: format, state and its proof, registration,
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

    def cursor(self) -> Any:
        """The DBAPI cursor of this launch's unit of work (lti_tool.lti.launch_rows runs on it)."""
        return self._work.cursor()

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
        # The login, its registration and the deployment the token names, in one query. Nothing read here is
        # trusted before the signature check: the registration is checked against `iss` next, the deployment
        # only after the signature (validate_deployment).
        found = self._rows.find_login_for_launch(
            self.cursor(), launch_repo.token_hash(state), self._claimed_deployment_id() or ""
        )
        login = found[0] if found is not None else None
        if login is None or login.expires_at <= utcnow():
            raise LtiRefusal("LTI-STATE-UNKNOWN", "no unexpired login with this state")
        assert found is not None
        self._login_registration, self._prefetched_deployment = found[1], found[2]
        if login.used_at is not None:
            raise LtiRefusal(
                "LTI-NONCE-REPLAYED", f"the login of this state was already used at {login.used_at}"
            )
        self.login = login
        cookie_value = self._cookie_service.get_cookie(state_cookie_name(state)) or ""
        stored_value = self._get_request_param("platform_storage_state")
        proven = hmac.compare_digest(cookie_value, state) or (
            bool(login.storage_target) and hmac.compare_digest(stored_value, state)
        )
        if not proven:
            if cookie_value or stored_value:
                raise LtiRefusal("LTI-STATE-MISMATCH", "the state cookie holds another login's state")
            raise LtiRefusal(
                "LTI-STATE-COOKIE-MISSING",
                "the state cookie did not come back (third-party cookies blocked?)",
                context={
                    "state": state,
                    "storage_target": login.storage_target,
                    "platform_origin": login.login_params.get("platform_origin", ""),
                },
            )
        return self

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
        if not isinstance(nonce, str) or not hmac.compare_digest(nonce, self.login.nonce):
            raise LtiRefusal("LTI-NONCE-MISMATCH", "the nonce is not the one sent with this login")
        consumed = self._rows.consume_login.execute(
            self.cursor(), {"login_id": self.login.id, "now": utcnow()}
        )
        if consumed.rowcount != 1:
            raise LtiRefusal("LTI-NONCE-REPLAYED", "this login's nonce has already been used")
        return self

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
