"""The Flask adapter for lti1p3platform (it ships Django and FastAPI ones only) and our platform
configuration.

- FlaskRequest: the library's request metadata from a Flask request; paging parameters cast to int (the
  library computes `page + 1` on them).
- DemoRegistration: signs with the platform's current key, its `kid` and its (possibly skewed) clock.
- DemoPlatformConf: one registered tool seen through the library; verifies access tokens against every
  published key, and refetches the tool's JWKS once when a `kid` is unknown (the tool may have rotated).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode

import flask
import jwt
from lti1p3platform.exceptions import LtiException
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request, TRequest
from lti1p3platform.response import Response

if TYPE_CHECKING:
    from demo_lms.models import ToolRegistration
    from demo_lms.platform import DemoPlatform

PAGING_PARAMS = ("page", "limit")


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()  # "not given" where None means something (kid=None: no kid header)


class BadPagingParameter(ValueError):
    pass


class FlaskRequest(Request):
    def build_metadata(self, request: flask.Request) -> TRequest:
        query = request.args.to_dict()
        for name in PAGING_PARAMS:
            if name in query:
                try:
                    query[name] = int(query[name])
                except ValueError as exc:
                    raise BadPagingParameter(f"{name} must be a whole number") from exc
                if query[name] < 1:
                    raise BadPagingParameter(f"{name} must be 1 or more")
        return {
            "method": request.method,
            "form_data": request.form.to_dict(),
            "get_data": query,
            "headers": request.headers,
            "content_type": request.content_type,
            "path": request.path,
            "json": request.get_json(silent=True) if request.is_json else None,
        }


class FlaskOIDCLogin(OIDCLoginAbstract):
    def __init__(
        self,
        request: Any,
        platform_config: LTI1P3PlatformConfAbstract,
        message_hint: str,
        storage_target: str | None = None,
    ) -> None:
        super().__init__(request, platform_config)
        self._lti_message_hint = message_hint
        self._storage_target = storage_target
        self.form_post = False

    def set_lti_message_hint(self, **kwargs: Any) -> None:
        self._lti_message_hint = kwargs["hint"]

    def prepare_preflight_url(self, user_id: str) -> str:
        url = super().prepare_preflight_url(user_id)
        if self._storage_target:
            # LTI Platform Storage 1.0: the frame the tool may post lti.put_data / lti.get_data to.
            url += "&" + urlencode({"lti_storage_target": self._storage_target})
        return url

    def get_redirect(self, url: str) -> flask.Response:
        if self.form_post:
            # Moodle posts the login initiation as a self-submitting form instead of redirecting.
            action, _, query = url.partition("?")
            html = flask.render_template(
                "auto_post.html", action=action, fields=dict(parse_qsl(query)), title="Opening the tool…"
            )
            return flask.Response(html, mimetype="text/html")
        return flask.redirect(url, code=302)


@dataclass
class Tampering:
    """Changes applied to the next JWT a DemoRegistration signs (negative tests)."""

    overrides: dict[str, Any] = field(default_factory=dict)
    remove: list[str | tuple[str, str]] = field(default_factory=list)
    kid: Any = MISSING  # MISSING: the signing key's kid; None: no kid header; a str: that kid
    sign_with: Any = None  # a PlatformKey or PEM to sign with instead of the platform's current key


class DemoRegistration(Registration):
    def __init__(self, platform: DemoPlatform, tampering: Tampering | None = None) -> None:
        self._platform = platform
        self.tampering = tampering

    def platform_encode_and_sign(self, payload: dict[str, Any], expiration: int | None = None) -> str:
        if self.tampering is None:
            return self._platform.sign_jwt(payload, lifetime=expiration)
        stamped = self._platform.stamp_times(payload, expiration)
        return self._platform.sign_jwt(
            apply_tampering(stamped, self.tampering), kid=self.tampering.kid, key=self.tampering.sign_with
        )


def apply_tampering(payload: dict[str, Any], tampering: Tampering) -> dict[str, Any]:
    changed = dict(payload)
    for path in tampering.remove:
        if isinstance(path, tuple):
            claim, member = path
            if isinstance(changed.get(claim), dict):
                changed[claim] = {k: v for k, v in changed[claim].items() if k != member}
        else:
            changed.pop(path, None)
    changed.update(tampering.overrides)
    return changed


class DemoPlatformConf(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, **kwargs: Any) -> None:
        self.platform: DemoPlatform = kwargs["platform"]
        self.tool: ToolRegistration = kwargs["tool"]
        self.tampering: Tampering | None = kwargs.get("tampering")
        self.last_decoded: dict[str, Any] | None = None
        # Claims of an access token this request already verified (service_routes checks it to find the
        # tool), so the library's own check does not verify the same signature a second time.
        self.verified: tuple[str, dict[str, Any]] | None = None

    def get_registration_by_params(self, **kwargs: Any) -> Registration:
        key = self.platform.signing_key
        registration = DemoRegistration(self.platform, self.tampering)
        registration.set_iss(self.platform.issuer)
        registration.set_client_id(self.tool.client_id)
        registration.set_deployment_id(self.tool.deployment_id)
        registration.set_oidc_login_url(self.tool.login_url)
        registration.set_launch_url(self.tool.target_link_uri)
        registration.set_deeplink_launch_url(self.tool.deep_link_url or self.tool.target_link_uri)
        registration.set_tool_key_set_url(self.tool.jwks_url)
        registration.set_platform_private_key(key.private_pem)
        registration.set_platform_public_key(key.public_pem)
        if self.tool.key_set:
            registration.set_tool_key_set(self.tool.key_set)
        return registration

    def get_tool_key_set(self) -> Any:
        key_set = super().get_tool_key_set()
        self.tool.key_set = key_set  # cache per tool across requests, as Moodle does per client id
        return key_set

    def get_tool_public_key(self) -> bytes:
        try:
            return super().get_tool_public_key()
        except LtiException as exc:
            if "Unable to find public key" not in str(exc):
                raise
        # Unknown kid: the tool may have rotated its keys since we cached its JWKS. Refetch once.
        self.get_registration().set_tool_key_set(None)  # type: ignore[arg-type]
        self.tool.key_set = None
        return super().get_tool_public_key()

    def tool_validate_and_decode(self, jwt_token_string: str) -> dict[str, Any]:
        self.last_decoded = super().tool_validate_and_decode(jwt_token_string)
        return self.last_decoded

    def validate_token(
        self, token: str, allowed_scopes: list[str] | None = None, audience: str | None = None
    ) -> bool:
        """Verify one of our access tokens: signature by any published key, issuer, expiry, client, scopes."""
        if self.verified is not None and self.verified[0] == token:
            claims: dict[str, Any] | None = self.verified[1]
        else:
            claims = self.platform.verify_access_token(token)
        if claims is None or claims.get("sub") != self.tool.client_id:
            return False
        token_scopes = claims.get("scopes", "").split()
        return not allowed_scopes or any(scope in token_scopes for scope in allowed_scopes)


def new_id() -> str:
    return uuid.uuid4().hex[:12]


def unverified_claims(token: str) -> dict[str, Any]:
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as exc:
        raise LtiException(f"not a readable JWT: {exc}") from exc
    if not isinstance(claims, dict):
        raise LtiException("the JWT payload is not an object")
    return claims


def to_flask_response(response: Response) -> flask.Response:
    """The library's Response as Flask's: JSON body (content of a page), Link header for the next page."""
    if 200 <= response.code < 300:
        result = response.result
        next_url = result.get("next") if isinstance(result, dict) else None
        if isinstance(result, dict) and "content" in result:
            result = result["content"]
        elif isinstance(result, dict):
            result = {k: v for k, v in result.items() if k != "next"}
        body = "" if result is None else flask.json.dumps(result)
        answer = flask.Response(body, status=response.code, mimetype=response.media_type)
        if next_url:
            # RFC 8288 form with a quoted rel: pylti1p3's parser requires the quotes.
            answer.headers["Link"] = f'<{next_url}>; rel="next"'
        return answer
    if response.message == "":
        return flask.Response("", status=response.code)
    return flask.Response(
        flask.json.dumps({"error": response.message}), status=response.code, mimetype="application/json"
    )
