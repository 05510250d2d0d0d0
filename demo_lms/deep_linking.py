"""The deep-linking return endpoint: verify the tool's LtiDeepLinkingResponse and add what it chose.

The library checks the signature against the tool's JWKS, the message type and the content item types; we add
the checks it leaves out (LTI-DL 2.0 section 4.5): iss is the client id, aud is us, the deployment, the `data`
echo of our request, and a fresh iat/exp.
"""

from __future__ import annotations

from typing import Any

import flask
from lti1p3platform.exceptions import LtiDeepLinkingResponseException, LtiException

from demo_lms.lti_adapter import DemoPlatformConf, unverified_claims
from demo_lms.models import ResourceLink
from demo_lms.platform import DEEP_LINKING, DemoPlatform

DEPLOYMENT_ID = "https://purl.imsglobal.org/spec/lti/claim/deployment_id"
DL_DATA = "https://purl.imsglobal.org/spec/lti-dl/claim/data"
DL_MESSAGE = "https://purl.imsglobal.org/spec/lti-dl/claim/msg"
DL_ERROR = "https://purl.imsglobal.org/spec/lti-dl/claim/errormsg"

blueprint = flask.Blueprint("deep_linking", __name__)


class DeepLinkRefused(ValueError):
    pass


def accept_deep_link_response(
    platform: DemoPlatform, token: str
) -> tuple[list[ResourceLink], dict[str, Any]]:
    try:
        client_id = unverified_claims(token).get("iss")
    except LtiException as exc:
        raise DeepLinkRefused(str(exc)) from exc
    tool = platform.tools.get(client_id) if isinstance(client_id, str) else None
    if tool is None:
        raise DeepLinkRefused(f"the response's iss {client_id!r} is not a registered client id")
    config = DemoPlatformConf(platform=platform, tool=tool)
    config.get_registration()
    try:
        items = config.validate_deeplinking_resp({"JWT": token})
    except (LtiException, LtiDeepLinkingResponseException, Exception) as exc:
        raise DeepLinkRefused(f"the response did not verify: {exc}") from exc
    claims = config.last_decoded or {}
    _check_claims(platform, tool.deployment_id, claims)
    links = [
        _add_link(platform, tool.client_id, item) for item in items if item.get("type") == "ltiResourceLink"
    ]
    with platform.lock:
        platform.deep_link_responses.append(claims)
    return links, claims


def _check_claims(platform: DemoPlatform, deployment_id: str, claims: dict[str, Any]) -> None:
    audience = claims.get("aud")
    if platform.issuer not in (audience if isinstance(audience, list) else [audience]):
        raise DeepLinkRefused(f"aud {audience!r} is not this platform ({platform.issuer})")
    if claims.get(DEPLOYMENT_ID) != deployment_id:
        raise DeepLinkRefused(f"deployment_id {claims.get(DEPLOYMENT_ID)!r} is not {deployment_id!r}")
    echoed = claims.get(DL_DATA)
    hints = [h for h in platform.message_hints.values() if h.message_type == DEEP_LINKING]
    if not any(h.deep_link_data == echoed for h in hints):
        raise DeepLinkRefused("the data claim does not echo a deep-linking request of this platform")
    if not isinstance(claims.get("nonce"), str) or not claims["nonce"]:
        raise DeepLinkRefused("the nonce claim is required")


def _add_link(platform: DemoPlatform, client_id: str, item: dict[str, Any]) -> ResourceLink:
    line_item = item.get("lineItem") if isinstance(item.get("lineItem"), dict) else None
    custom = item.get("custom") if isinstance(item.get("custom"), dict) else {}
    return platform.add_resource_link(
        str(item.get("title") or "Untitled activity"),
        client_id=client_id,
        url=item.get("url") if isinstance(item.get("url"), str) else None,
        custom={str(k): str(v) for k, v in custom.items()},
        line_item=line_item,
        text=str(item.get("text") or ""),
    )


@blueprint.post("/deep_link_return")
def deep_link_return() -> flask.Response:
    platform: DemoPlatform = flask.current_app.extensions["demo_platform"]
    token = flask.request.form.get("JWT", "")
    if not token:
        return _page(400, "No deep-linking response", "The tool sent no JWT form field.", [])
    try:
        links, claims = accept_deep_link_response(platform, token)
    except DeepLinkRefused as refusal:
        return _page(400, "The tool's deep-linking response was refused", str(refusal), [])
    detail = str(claims.get(DL_ERROR) or claims.get(DL_MESSAGE) or "")
    title = "Activity added" if links else "Nothing was added"
    return _page(200, title, detail, links)


def _page(status: int, title: str, detail: str, links: list[ResourceLink]) -> flask.Response:
    html = flask.render_template(
        "deep_link_result.html", title=title, detail=detail, links=links, status=status
    )
    return flask.Response(html, status=status, mimetype="text/html")
