"""The LtiDeepLinkingResponse (LTI Deep Linking 2.0 §4.2): one ltiResourceLink item per chosen unit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from lti_tool.db.models import Registration
from lti_tool.lti import claims
from lti_tool.lti.adapter import library_registration
from lti_tool.lti.library import DeepLink, DeepLinkResource, LineItem
from lti_tool.units import UnitChoice

UNIT_TAG = "carecert-unit"  # lets grades (issue 5) find our line items among the course's columns
SCORE_MAXIMUM = 100
DATA_CLAIM = "https://purl.imsglobal.org/spec/lti-dl/claim/data"


def content_item(unit: UnitChoice, base_url: str) -> DeepLinkResource:
    line_item = LineItem()
    line_item.set_score_maximum(SCORE_MAXIMUM).set_label(unit.title).set_resource_id(unit.ref).set_tag(
        UNIT_TAG
    )
    resource = DeepLinkResource()
    resource.set_title(unit.title).set_url(base_url + "/lti/launch").set_custom_params({"unit": unit.ref})
    resource.set_lineitem(line_item)
    return resource


def response_jwt(
    session: Session,
    registration: Registration,
    launch_claims: Mapping[str, Any],
    units: list[UnitChoice],
    base_url: str,
) -> tuple[str, str]:
    """The signed response and the platform URL to post it to."""
    settings = dict(launch_claims[claims.DEEP_LINKING_SETTINGS])
    deep_link = DeepLink(
        library_registration(session, registration), launch_claims[claims.DEPLOYMENT_ID], settings
    )
    message = deep_link.get_message_jwt([content_item(unit, base_url) for unit in units])
    if settings.get("data") is None:
        message.pop(DATA_CLAIM, None)  # §4.2.2: `data` is echoed only when the request carried it
    return deep_link.encode_jwt(message), settings["deep_link_return_url"]
