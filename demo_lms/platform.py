"""DemoPlatform: the demo LMS's state and the knobs tests turn (clock, keys, forged id_tokens, faults)."""

from __future__ import annotations

import json
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import jwt

from demo_lms.gradebook import Gradebook
from demo_lms.keys import PlatformKey
from demo_lms.lti_adapter import MISSING, Tampering
from demo_lms.models import (
    ALL_SCOPES,
    Course,
    Fault,
    LineItem,
    MessageHint,
    ResourceLink,
    TokenRequestRecord,
    ToolRegistration,
    User,
    default_users,
)

RESOURCE_LINK = "LtiResourceLinkRequest"
DEEP_LINKING = "LtiDeepLinkingRequest"
ACCESS_TOKEN_LIFETIME = 3600  # seconds, as Moodle and the IMS Security Framework's example


class DemoPlatform:
    def __init__(
        self,
        issuer: str = "",
        *,
        strict_scores: bool = False,
        course: Course | None = None,
        users: list[User] | None = None,
        key: PlatformKey | None = None,
        id_token_lifetime: int = 60,
    ) -> None:
        self.issuer = issuer.rstrip("/")  # set by the server helper when the port is known
        self.keys: list[PlatformKey] = [key or PlatformKey.generate()]
        self.clock_offset_seconds = 0.0
        self.id_token_lifetime = id_token_lifetime  # Moodle: 60 s
        self.course = course or Course()
        self.users: dict[str, User] = {user.id: user for user in (users or default_users())}
        self.tools: dict[str, ToolRegistration] = {}
        self.resource_links: dict[str, ResourceLink] = {}
        self.line_items: dict[str, LineItem] = {}
        self.gradebook = Gradebook(strict=strict_scores)
        self.token_requests: list[TokenRequestRecord] = []
        self.registration_tokens: dict[str, float] = {}  # token -> expiry (epoch seconds)
        self.auto_activate_registrations = True  # Moodle leaves them pending; the demo activates at once
        # LTI Platform Storage for embedded launches (Canvas, Brightspace, Sakai have it; Moodle 4.5 not).
        self.platform_storage = False
        self.login_method = "GET"  # "POST": login initiation as an auto-submitted form, as Moodle does
        self.message_hints: dict[str, MessageHint] = {}
        self.deep_link_responses: list[dict[str, Any]] = []  # verified claims of every accepted response
        self.faults: list[Fault] = []
        self.lock = threading.RLock()
        self.last_number = 0  # ids of deployments, links and line items come from one counter
        self.on_change: Callable[[], None] | None = None  # called after each change made over HTTP

    def _next_number(self) -> int:
        with self.lock:
            self.last_number += 1
            return self.last_number

    # -- clock and keys ----------------------------------------------------------------------------------
    def now(self) -> float:
        return time.time() + self.clock_offset_seconds

    @property
    def signing_key(self) -> PlatformKey:
        return self.keys[-1]

    def jwks(self) -> dict[str, Any]:
        return {"keys": [key.public_jwk for key in self.keys]}

    def rotate_key(self, keep_previous: bool = True) -> PlatformKey:
        """Sign with a new key from now on; keep the old one published (or retire it at once)."""
        new_key = PlatformKey.generate()
        with self.lock:
            self.keys = [*self.keys, new_key] if keep_previous else [new_key]
        return new_key

    def stamp_times(self, payload: dict[str, Any], lifetime: int | None) -> dict[str, Any]:
        stamped = dict(payload)
        if lifetime:
            issued_at = int(self.now())
            stamped.update({"iat": issued_at, "exp": issued_at + lifetime})
        return stamped

    def sign_jwt(
        self, payload: dict[str, Any], lifetime: int | None = None, kid: Any = MISSING, key: Any = None
    ) -> str:
        signing_key = key if key is not None else self.signing_key
        pem = signing_key.private_key if isinstance(signing_key, PlatformKey) else signing_key
        if kid is MISSING:
            kid = signing_key.kid if isinstance(signing_key, PlatformKey) else None
        headers = {"kid": kid} if kid is not None else {}
        return jwt.encode(self.stamp_times(payload, lifetime), pem, algorithm="RS256", headers=headers)

    # -- access tokens ----------------------------------------------------------------------------------
    def issue_access_token(self, client_id: str, scopes: list[str]) -> dict[str, Any]:
        claims = {
            "iss": self.issuer,
            "sub": client_id,
            "aud": self.url("/token"),
            "scopes": " ".join(scopes),
            "jti": uuid.uuid4().hex,
        }
        token = self.sign_jwt(claims, lifetime=ACCESS_TOKEN_LIFETIME)
        return {
            "access_token": token,
            "token_type": "bearer",
            "expires_in": ACCESS_TOKEN_LIFETIME,
            "scope": " ".join(scopes),
        }

    def verify_access_token(self, token: str) -> dict[str, Any] | None:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            key = next(k for k in self.keys if k.kid == kid)
            claims = jwt.decode(
                token,
                key.public_key,
                algorithms=["RS256"],
                audience=self.url("/token"),
                options={"verify_exp": False, "verify_iat": False},
            )
        except (jwt.PyJWTError, StopIteration):
            return None
        if claims.get("iss") != self.issuer or claims.get("exp", 0) < self.now():
            return None
        return claims

    def record_token_request(
        self, client_id: str | None, scopes: list[str], status: int, error: str | None
    ) -> None:
        with self.lock:
            self.token_requests.append(
                TokenRequestRecord(client_id, scopes, status, error, datetime.now(UTC))
            )

    @property
    def tokens_issued(self) -> int:
        return sum(1 for record in self.token_requests if record.status == 200)

    # -- URLs -------------------------------------------------------------------------------------------
    def url(self, path: str) -> str:
        return self.issuer + path

    def lineitems_url(self) -> str:
        return self.url(f"/ags/{self.course.id}/lineitems")

    def lineitem_url(self, line_item: LineItem) -> str:
        # Moodle-shaped: a query string after the path, so tools must insert /scores before the `?`.
        return f"{self.lineitems_url()}/{line_item.id}/lineitem?type_id={self._deployment_of(line_item)}"

    def memberships_url(self) -> str:
        return self.url(f"/nrps/{self.course.id}/memberships")

    def _deployment_of(self, line_item: LineItem) -> str:
        tool = self.tools.get(line_item.client_id or "")
        return tool.deployment_id if tool else "1"

    # -- tools ------------------------------------------------------------------------------------------
    def register_tool(
        self,
        *,
        login_url: str,
        redirect_uris: list[str],
        target_link_uri: str,
        jwks_url: str,
        deep_link_url: str | None = None,
        name: str = "carecert-lti",
        client_id: str | None = None,
        deployment_id: str | None = None,
        scopes: list[str] | None = None,
        domain: str = "",
        active: bool = True,
        registration_request: dict[str, Any] | None = None,
    ) -> ToolRegistration:
        with self.lock:
            # Moodle: the deployment id is the tool type id, a small integer as a string.
            number = self._next_number()
            tool = ToolRegistration(
                client_id=client_id or secrets.token_urlsafe(10),
                deployment_id=deployment_id or str(number),
                name=name,
                login_url=login_url,
                redirect_uris=list(redirect_uris),
                target_link_uri=target_link_uri,
                jwks_url=jwks_url,
                deep_link_url=deep_link_url,
                domain=domain,
                scopes=list(scopes) if scopes is not None else list(ALL_SCOPES),
                active=active,
                registration_request=registration_request,
            )
            self.tools[tool.client_id] = tool
        return tool

    def register_tool_at(self, tool_base_url: str, **kwargs: Any) -> ToolRegistration:
        """Manual registration of a tool laid out as LTI_CONTRACT.md says (/lti/login, /lti/launch,
        /lti/jwks)."""
        base = tool_base_url.rstrip("/")
        return self.register_tool(
            login_url=base + "/lti/login",
            redirect_uris=[base + "/lti/launch"],
            target_link_uri=base + "/lti/launch",
            jwks_url=base + "/lti/jwks",
            **kwargs,
        )

    @property
    def tool(self) -> ToolRegistration:
        """The most recently registered tool (the demo has one)."""
        if not self.tools:
            raise LookupError("no tool is registered with this platform yet")
        return list(self.tools.values())[-1]

    def new_registration_token(self, lifetime: int = 3600) -> str:
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.registration_tokens[token] = time.time() + lifetime
        return token

    def registration_start_url(self, tool_registration_url: str, lifetime: int = 3600) -> str:
        """The URL an admin opens to start dynamic registration: the tool's URL with our two parameters."""
        query = urlencode(
            {
                "openid_configuration": self.url("/.well-known/openid-configuration"),
                "registration_token": self.new_registration_token(lifetime),
            }
        )
        separator = "&" if "?" in tool_registration_url else "?"
        return f"{tool_registration_url}{separator}{query}"

    def consume_registration_token(self, token: str) -> bool:
        """Registration tokens are single use and expire."""
        with self.lock:
            expiry = self.registration_tokens.pop(token, None)
        return expiry is not None and expiry > time.time()

    # -- people, links, line items ------------------------------------------------------------------------
    def add_user(self, user_id: str, name: str, role: str = "Learner", email: str = "") -> User:
        user = User(user_id, name, role, email)
        with self.lock:
            self.users[user_id] = user
        return user

    def add_resource_link(
        self,
        title: str,
        *,
        client_id: str | None = None,
        url: str | None = None,
        custom: dict[str, str] | None = None,
        line_item: dict[str, Any] | None = None,
        text: str = "",
    ) -> ResourceLink:
        with self.lock:
            link = ResourceLink(
                id=f"rl-{self._next_number()}",
                title=title,
                client_id=client_id or self.tool.client_id,
                url=url,
                text=text,
                custom=dict(custom or {}),
            )
            self.resource_links[link.id] = link
            if line_item is not None:
                item = self.add_line_item(
                    label=line_item.get("label") or title,
                    score_maximum=float(line_item.get("scoreMaximum", 100)),
                    resource_link_id=link.id,
                    resource_id=line_item.get("resourceId"),
                    tag=line_item.get("tag"),
                    client_id=link.client_id,
                )
                link.line_item_id = item.id
        return link

    def add_line_item(
        self,
        label: str,
        score_maximum: float,
        *,
        resource_link_id: str | None = None,
        resource_id: str | None = None,
        tag: str | None = None,
        client_id: str | None = None,
    ) -> LineItem:
        with self.lock:
            item = LineItem(
                id=str(self._next_number()),
                label=label,
                score_maximum=score_maximum,
                resource_link_id=resource_link_id,
                resource_id=resource_id,
                tag=tag,
                client_id=client_id or (self.tool.client_id if self.tools else None),
            )
            self.line_items[item.id] = item
        return item

    # -- messages ---------------------------------------------------------------------------------------
    def new_message_hint(
        self,
        user_id: str,
        message_type: str = RESOURCE_LINK,
        *,
        resource_link_id: str | None = None,
        client_id: str | None = None,
        document_target: str = "iframe",
    ) -> MessageHint:
        if user_id not in self.users:
            raise KeyError(f"unknown user {user_id!r}")
        if message_type == RESOURCE_LINK and resource_link_id not in self.resource_links:
            raise KeyError(f"unknown resource link {resource_link_id!r}")
        if client_id is None:
            link = self.resource_links.get(resource_link_id or "")
            client_id = link.client_id if link else self.tool.client_id
        hint = MessageHint(
            # A JSON string, as Moodle sends: tools must pass it back unchanged, quotes and braces included.
            id=json.dumps({"launchid": secrets.token_urlsafe(12), "cmid": resource_link_id}),
            user_id=user_id,
            message_type=message_type,
            client_id=client_id,
            resource_link_id=resource_link_id,
            document_target=document_target,
        )
        with self.lock:
            self.message_hints[hint.id] = hint
        return hint

    def make_id_token(
        self,
        message_type: str,
        user: str | User,
        overrides: dict[str, Any] | None = None,
        remove: list[str | tuple[str, str]] | None = None,
        kid: Any = MISSING,
        sign_with: Any = None,
        *,
        nonce: str | None = None,
        resource_link_id: str | None = None,
    ) -> str:
        """A complete id_token as /auth would sign it, then changed for a negative test.

        overrides: claims to set (top level); remove: claims to drop, or (claim, member) pairs to drop a
        member of an object claim; kid: MISSING = the signing key's, None = no kid header, or any string;
        sign_with: another PlatformKey (or PEM) to sign with.
        """
        from demo_lms.launch import build_id_token

        user_id = user.id if isinstance(user, User) else user
        if message_type == RESOURCE_LINK and resource_link_id is None:
            resource_link_id = next(iter(self.resource_links), None)
        hint = self.new_message_hint(user_id, message_type, resource_link_id=resource_link_id)
        tampering = Tampering(dict(overrides or {}), list(remove or []), kid, sign_with)
        return build_id_token(self, hint, nonce or secrets.token_urlsafe(16), tampering)

    # -- faults -----------------------------------------------------------------------------------------
    def inject_fault(
        self,
        path_contains: str,
        status: int,
        times: int = 1,
        headers: dict[str, str] | None = None,
        body: str = "",
        delay_seconds: float = 0.0,
    ) -> None:
        """Answer the next `times` requests whose path contains `path_contains` with `status` (fault tests),
        after `delay_seconds`; status 0 only delays, then the request is served as usual (a slow platform)."""
        with self.lock:
            self.faults.append(Fault(path_contains, status, times, dict(headers or {}), body, delay_seconds))

    def take_fault(self, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.path_contains in path and fault.times > 0:
                    fault.times -= 1
                    return fault
        return None
