"""A minimal LTI tool written for these tests only (not our tool): enough to drive the platform end to end."""

from __future__ import annotations

import secrets
import time
from urllib.parse import urlencode

import flask
import jwt
import requests

from tests.demo_lms.conftest import FakeToolKeys

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"


def create_fake_tool(platform_url: str, keys: FakeToolKeys, client_id: str) -> flask.Flask:
    app = flask.Flask("fake_tool")

    @app.route("/lti/login", methods=["GET", "POST"])
    def login() -> flask.Response:
        state, nonce = secrets.token_urlsafe(8), secrets.token_urlsafe(8)
        params = {
            "scope": "openid",
            "response_type": "id_token",
            "response_mode": "form_post",
            "prompt": "none",
            "client_id": client_id,
            "redirect_uri": flask.request.url_root + "lti/launch",
            "login_hint": flask.request.values["login_hint"],
            "state": state,
            "nonce": nonce,
            "lti_message_hint": flask.request.values["lti_message_hint"],
        }
        answer = flask.redirect(platform_url + "/auth?" + urlencode(params))
        answer.set_cookie("state", state)
        return answer

    @app.post("/lti/launch")
    def launch() -> flask.Response | str:
        if flask.request.cookies.get("state") != flask.request.form["state"]:
            return flask.Response('<p id="lti-error">state</p>', status=400)
        token = flask.request.form["id_token"]
        jwks = requests.get(platform_url + "/jwks", timeout=10).json()
        key = jwt.PyJWK(next(k for k in jwks["keys"] if k["kid"] == jwt.get_unverified_header(token)["kid"]))
        claims = jwt.decode(token, key, algorithms=["RS256"], audience=client_id)
        if claims[LTI + "message_type"] == "LtiDeepLinkingRequest":
            settings = claims[DL + "deep_linking_settings"]
            return (
                f'<form method="post" action="/lti/pick"><input type="hidden" name="return" '
                f'value="{settings["deep_link_return_url"]}"><input type="hidden" name="data" '
                f'value="{settings["data"]}"><select name="unit"><option value="u01">Unit 1</option>'
                f'<option value="u02">Unit 2</option></select><button>Add</button></form>'
            )
        return (
            f'<body data-user="{claims["sub"]}" data-link="{claims[LTI + "resource_link"]["id"]}">ok</body>'
        )

    @app.post("/lti/pick")
    def pick() -> str:
        now = int(time.time())
        unit = flask.request.form["unit"]
        claims = {
            "iss": client_id,
            "aud": platform_url,
            "iat": now,
            "exp": now + 60,
            "nonce": secrets.token_hex(4),
            LTI + "message_type": "LtiDeepLinkingResponse",
            LTI + "version": "1.3.0",
            LTI + "deployment_id": "1",
            DL + "data": flask.request.form["data"],
            DL + "content_items": [
                {
                    "type": "ltiResourceLink",
                    "title": f"Unit {unit}",
                    "lineItem": {"scoreMaximum": 100, "label": unit},
                }
            ],
        }
        action = flask.request.form["return"]
        return (
            f'<form id="f" method="post" action="{action}"><input type="hidden" name="JWT" '
            f'value="{keys.sign(claims)}"></form><script>document.getElementById("f").submit()</script>'
        )

    return app
