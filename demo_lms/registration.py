"""LTI Dynamic Registration 1.0, platform half: the OpenID configuration and the registration endpoint.

The admin hands the tool's registration URL our openid_configuration URL and a single-use
registration_token; the tool fetches the configuration and POSTs its client registration with
`Authorization: Bearer <token>`; we answer the registered client with its client_id and, in the LTI tool
configuration claim, the deployment_id.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import flask

from demo_lms.models import ALL_SCOPES
from demo_lms.platform import DemoPlatform

PLATFORM_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-platform-configuration"
TOOL_CONFIGURATION = "https://purl.imsglobal.org/spec/lti-tool-configuration"

blueprint = flask.Blueprint("registration", __name__)


class RegistrationRefused(ValueError):
    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error = error  # RFC 7591 3.2.2 error codes
        self.description = description


def openid_configuration(platform: DemoPlatform) -> dict[str, Any]:
    return {
        "issuer": platform.issuer,
        "authorization_endpoint": platform.url("/auth"),
        "registration_endpoint": platform.url("/registration"),
        "jwks_uri": platform.url("/jwks"),
        "token_endpoint": platform.url("/token"),
        "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", *ALL_SCOPES],
        "response_types_supported": ["id_token"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "claims_supported": ["sub", "iss", "name", "given_name", "family_name", "email"],
        "subject_types_supported": ["public", "pairwise"],
        PLATFORM_CONFIGURATION: {
            "product_family_code": "carecert-demo-lms",
            "version": "1.0",
            "messages_supported": [
                {"type": "LtiResourceLinkRequest"},
                {"type": "LtiDeepLinkingRequest", "placements": ["ContentArea"]},
            ],
            "variables": [],
        },
    }


def _host_port(url: str) -> str:
    return urlsplit(url).netloc.lower()


def _require_list_with(body: dict[str, Any], name: str, required: set[str]) -> None:
    value = body.get(name)
    if not isinstance(value, list) or not required <= set(value):
        raise RegistrationRefused("invalid_client_metadata", f"{name} must include {sorted(required)}")


def check_registration_request(body: Any) -> dict[str, Any]:
    """Validate a tool's client registration (LTI-DR 3.5); answer its LTI tool configuration."""
    if not isinstance(body, dict):
        raise RegistrationRefused("invalid_client_metadata", "the registration must be a JSON object")
    if body.get("application_type") != "web":
        raise RegistrationRefused("invalid_client_metadata", "application_type must be 'web'")
    _require_list_with(body, "grant_types", {"implicit", "client_credentials"})
    _require_list_with(body, "response_types", {"id_token"})
    if body.get("token_endpoint_auth_method") != "private_key_jwt":
        raise RegistrationRefused(
            "invalid_client_metadata", "token_endpoint_auth_method must be private_key_jwt"
        )
    for name in ("initiate_login_uri", "jwks_uri", "client_name"):
        if not isinstance(body.get(name), str) or not body[name]:
            raise RegistrationRefused("invalid_client_metadata", f"{name} is required")
    redirect_uris = body.get("redirect_uris")
    if (
        not isinstance(redirect_uris, list)
        or not redirect_uris
        or not all(isinstance(u, str) for u in redirect_uris)
    ):
        raise RegistrationRefused("invalid_redirect_uri", "redirect_uris must be a non-empty list of URLs")
    tool_config = body.get(TOOL_CONFIGURATION)
    if not isinstance(tool_config, dict):
        raise RegistrationRefused("invalid_client_metadata", f"the {TOOL_CONFIGURATION} claim is required")
    domain, target = tool_config.get("domain"), tool_config.get("target_link_uri")
    if not isinstance(domain, str) or not domain or not isinstance(target, str) or not target:
        raise RegistrationRefused(
            "invalid_client_metadata", "the tool configuration needs domain and target_link_uri"
        )
    # As Moodle: the domain must match host and port of the tool's URLs.
    for url in [target, body["initiate_login_uri"], *redirect_uris]:
        if _host_port(url) != domain.lower():
            raise RegistrationRefused("invalid_redirect_uri", f"{url} is not on the tool's domain {domain}")
    return tool_config


def register_from_request(platform: DemoPlatform, body: dict[str, Any], active: bool) -> dict[str, Any]:
    tool_config = check_registration_request(body)
    messages = tool_config.get("messages") if isinstance(tool_config.get("messages"), list) else []
    deep_link_url = next(
        (
            m.get("target_link_uri")
            for m in messages
            if isinstance(m, dict) and m.get("type") == "LtiDeepLinkingRequest"
        ),
        None,
    )
    requested_scopes = body.get("scope", "").split() if isinstance(body.get("scope"), str) else []
    tool = platform.register_tool(
        login_url=body["initiate_login_uri"],
        redirect_uris=body["redirect_uris"],
        target_link_uri=tool_config["target_link_uri"],
        jwks_url=body["jwks_uri"],
        deep_link_url=deep_link_url or tool_config["target_link_uri"],
        name=body["client_name"],
        scopes=[scope for scope in requested_scopes if scope in ALL_SCOPES],
        domain=tool_config["domain"],
        active=active,
        registration_request=body,
    )
    answer = dict(body)
    answer["client_id"] = tool.client_id
    answer["scope"] = " ".join(tool.scopes)
    answer[TOOL_CONFIGURATION] = {**tool_config, "deployment_id": tool.deployment_id}
    return answer


@blueprint.get("/.well-known/openid-configuration")
def configuration() -> flask.Response:
    return flask.jsonify(openid_configuration(flask.current_app.extensions["demo_platform"]))


@blueprint.post("/registration")
def register() -> flask.Response:
    platform: DemoPlatform = flask.current_app.extensions["demo_platform"]
    parts = flask.request.headers.get("Authorization", "").split()
    if len(parts) != 2 or parts[0].lower() != "bearer" or not platform.consume_registration_token(parts[1]):
        return flask.make_response(
            flask.jsonify(
                error="invalid_token", error_description="a valid, unused registration token is required"
            ),
            401,
        )
    try:
        answer = register_from_request(
            platform, flask.request.get_json(silent=True), platform.auto_activate_registrations
        )
    except RegistrationRefused as refusal:
        return flask.make_response(
            flask.jsonify(error=refusal.error, error_description=refusal.description), 400
        )
    return flask.jsonify(answer)
