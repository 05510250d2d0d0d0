"""HTTP routes of the AGS and NRPS services (Moodle-shaped URLs: line item URLs carry `?type_id=`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flask
from lti1p3platform.response import Response

from demo_lms.lti_adapter import BadPagingParameter, DemoPlatformConf, FlaskRequest, to_flask_response
from demo_lms.models import (
    SCOPE_LINEITEM,
    SCOPE_LINEITEM_READONLY,
    SCOPE_RESULT_READONLY,
    SCOPE_SCORE,
)
from demo_lms.platform import DemoPlatform
from demo_lms.services import DemoAgsService, DemoNrpsService

blueprint = flask.Blueprint("services", __name__)

LINEITEMS = "/ags/<context_id>/lineitems"
LINEITEM = LINEITEMS + "/<line_item_id>/lineitem"


def _platform() -> DemoPlatform:
    return flask.current_app.extensions["demo_platform"]


def _json_error(status: int, message: str) -> flask.Response:
    return flask.make_response(flask.jsonify(error=message), status)


def _caller_config(platform: DemoPlatform) -> DemoPlatformConf | None:
    """The registration of the tool whose access token authorises this request, if any."""
    parts = flask.request.headers.get("Authorization", "").split()
    claims = platform.verify_access_token(parts[1]) if len(parts) == 2 else None
    tool = platform.tools.get(claims.get("sub", "")) if claims else None
    if tool is None:
        return None
    config = DemoPlatformConf(platform=platform, tool=tool)
    config.verified = (parts[1], claims)
    config.get_registration()
    return config


def _serve(
    context_id: str, make_service: Callable[..., Any], call: Callable[[Any], Response]
) -> flask.Response:
    platform = _platform()
    if context_id != platform.course.id:
        return _json_error(404, f"no course {context_id!r}")
    config = _caller_config(platform)
    if config is None:
        return _json_error(401, "a valid bearer access token from this platform is required")
    try:
        request = FlaskRequest(flask.request)
    except BadPagingParameter as exc:
        return _json_error(400, str(exc))
    service = make_service(request, config, platform)
    return to_flask_response(service.handle_resp(lambda: call(service)))


def _ags(*scopes: str) -> Callable[..., DemoAgsService]:
    return lambda request, config, platform: DemoAgsService(request, config, platform, list(scopes))


def _needs_json_object() -> flask.Response | None:
    if not isinstance(flask.request.get_json(silent=True), dict):
        return _json_error(400, "the body must be a JSON object (Content-Type application/json)")
    return None


@blueprint.get(LINEITEMS)
def list_line_items(context_id: str) -> flask.Response:
    return _serve(
        context_id, _ags(SCOPE_LINEITEM, SCOPE_LINEITEM_READONLY), lambda s: s.handle_get_lineitems()
    )


@blueprint.post(LINEITEMS)
def create_line_item(context_id: str) -> flask.Response:
    return _needs_json_object() or _serve(
        context_id, _ags(SCOPE_LINEITEM), lambda s: s.handle_create_lineitem()
    )


@blueprint.get(LINEITEM)
def get_line_item(context_id: str, line_item_id: str) -> flask.Response:
    return _serve(
        context_id,
        _ags(SCOPE_LINEITEM, SCOPE_LINEITEM_READONLY),
        lambda s: s.handle_get_lineitem(line_item_id),
    )


@blueprint.put(LINEITEM)
def update_line_item(context_id: str, line_item_id: str) -> flask.Response:
    return _needs_json_object() or _serve(
        context_id, _ags(SCOPE_LINEITEM), lambda s: s.handle_update_lineitem(line_item_id)
    )


@blueprint.delete(LINEITEM)
def delete_line_item(context_id: str, line_item_id: str) -> flask.Response:
    return _serve(context_id, _ags(SCOPE_LINEITEM), lambda s: s.handle_delete_lineitem(line_item_id))


@blueprint.post(LINEITEM + "/scores")
def post_score(context_id: str, line_item_id: str) -> flask.Response:
    return _serve(context_id, _ags(SCOPE_SCORE), lambda s: s.handle_update_score(line_item_id))


@blueprint.get(LINEITEM + "/results")
def get_results(context_id: str, line_item_id: str) -> flask.Response:
    def call(service: DemoAgsService) -> Response:
        # The library builds the next link from lineitem_url; ours carries a query string: give the path.
        service.ags.lineitem_url = flask.request.base_url.rsplit("/results", 1)[0]
        return service.handle_get_results(line_item_id)

    return _serve(context_id, _ags(SCOPE_RESULT_READONLY), call)


@blueprint.get("/nrps/<context_id>/memberships")
def memberships(context_id: str) -> flask.Response:
    return _serve(
        context_id,
        lambda request, config, platform: DemoNrpsService(request, config, platform),
        lambda s: s.handle_get_members(),
    )
