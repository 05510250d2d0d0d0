"""Building LTI messages with lti1p3platform: the claims of a resource-link or deep-linking launch."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import flask
from lti1p3platform.message_launch import LTIAdvantageMessageLaunchAbstract

from demo_lms.lti_adapter import DemoPlatformConf, Tampering
from demo_lms.models import SCOPE_LINEITEM, SCOPE_RESULT_READONLY, SCOPE_SCORE

if TYPE_CHECKING:
    from demo_lms.models import MessageHint
    from demo_lms.platform import DemoPlatform

DL_SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
BASIC_OUTCOME = "https://purl.imsglobal.org/spec/lti-bo/claim/basicoutcome"
CONTEXT_TYPE_COURSE_SECTION = "CourseSection"  # Moodle sends the short form


class DemoMessageLaunch(LTIAdvantageMessageLaunchAbstract):
    def __init__(
        self,
        request: Any,
        platform_config: DemoPlatformConf,
        platform: DemoPlatform,
        hint: MessageHint,
        preflight: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(request, platform_config)
        self.platform = platform
        self.hint = hint
        self._preflight = preflight
        self.set_id_token_expiration(platform.id_token_lifetime)

    def get_preflight_response(self) -> dict[str, Any]:
        if self._preflight is not None:
            return self._preflight
        return super().get_preflight_response()

    def prepare_launch(self, preflight_response: dict[str, Any]) -> None:
        self.add_platform_claims()

    def add_platform_claims(self) -> None:
        platform, hint = self.platform, self.hint
        user = platform.users[hint.user_id]
        course = platform.course
        tool = platform.tools[hint.client_id]
        self.set_user_data(user.id, user.role_uris, user.name, user.email or None, user.id)
        self.lti_claim_user_data.update({"given_name": user.given_name, "family_name": user.family_name})
        self.set_launch_context_claim(course.id, [CONTEXT_TYPE_COURSE_SECTION], course.title, course.label)
        self.set_launch_presentation_claim(hint.document_target, platform.url("/course"))
        self.set_nrps(platform.memberships_url())
        custom = {"context_memberships_url": platform.memberships_url()}  # Moodle always sends it
        line_item_url = None
        if hint.resource_link_id:
            link = platform.resource_links[hint.resource_link_id]
            self.set_resource_link_claim(link.id, link.text or None, link.title)
            custom.update(link.custom)
            if link.url:
                self.set_launch_url(link.url)
            if link.line_item_id:
                line_item_url = platform.lineitem_url(platform.line_items[link.line_item_id])
                # Moodle also sends the LTI 1.1 Basic Outcomes claim; a 1.3 tool must ignore it.
                self.set_extra_claims(
                    {
                        BASIC_OUTCOME: {
                            "lis_result_sourcedid": json.dumps({"link": link.id, "user": user.id}),
                            "lis_outcome_service_url": platform.url("/outcomes-1.1-not-offered"),
                        }
                    }
                )
        self.set_custom_parameters_claim(custom)
        self.set_ags(
            platform.lineitems_url(),
            line_item_url,
            allow_creating_lineitems=SCOPE_LINEITEM in tool.scopes,
            results_service_enabled=SCOPE_RESULT_READONLY in tool.scopes,
            scores_service_enabled=SCOPE_SCORE in tool.scopes,
        )
        if hint.message_type == "LtiDeepLinkingRequest":
            self.set_dl(
                platform.url("/deep_link_return"),
                title=f"Add an activity to {course.title}",
                accept_types={"ltiResourceLink"},
            )
            # The spec's `data` is an opaque string the tool echoes back; the library would send a dict.
            self._deep_linking_launch_data[DL_SETTINGS]["data"] = hint.deep_link_data
            self._deep_linking_launch_data[DL_SETTINGS]["accept_multiple"] = False

    def render_launch_form(self, launch_data: dict[str, Any], **kwargs: Any) -> flask.Response:
        # The OIDC form_post response: a self-submitting form takes id_token and state to the redirect URI.
        html = flask.render_template(
            "auto_post.html",
            action=launch_data["launch_url"],
            fields={"id_token": launch_data["id_token"], "state": launch_data["state"]},
            title="Opening the tool…",
        )
        return flask.Response(html, mimetype="text/html")


def build_id_token(platform: DemoPlatform, hint: MessageHint, nonce: str, tampering: Tampering) -> str:
    """The id_token /auth would send for `hint`, signed after `tampering` (negative tests)."""
    tool = platform.tools[hint.client_id]
    config = DemoPlatformConf(platform=platform, tool=tool, tampering=tampering)
    preflight = {
        "nonce": nonce,
        "state": "",
        "redirect_uri": tool.redirect_uris[0],
        "client_id": tool.client_id,
    }
    launch = DemoMessageLaunch(None, config, platform, hint, preflight)
    launch._registration = config.get_registration()
    launch.prepare_launch(preflight)
    return launch.generate_launch_request()["id_token"]
