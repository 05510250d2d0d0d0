"""A minimal LTI platform for the tool's own tests: signs id_tokens (jwcrypto), serves its JWKS, issues access
tokens and runs the platform half of dynamic registration, on a loopback port.

The full independent platform (lti1p3platform) drives the e2e suite in tests/e2e/; this one exists so each
adapter behaviour can be tested with exactly the token it needs (a wrong kid, a clock 45 s ahead, ...).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

import jwt
from flask import Flask, jsonify, request
from jwcrypto import jwk
from werkzeug.serving import make_server

LTI = "https://purl.imsglobal.org/spec/lti/claim/"
DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"
MISSING = object()


def new_key() -> jwk.JWK:
    return jwk.JWK.generate(kty="RSA", size=2048, kid=uuid.uuid4().hex[:12])


@dataclass
class FakePlatform:
    issuer: str = ""
    client_id: str = field(default_factory=lambda: "client-" + uuid.uuid4().hex[:8])
    deployment_id: str = "1"
    clock_offset_seconds: int = 0
    keys: list = field(default_factory=lambda: [new_key()])
    jwks_requests: int = 0
    token_requests: int = 0
    registrations: list = field(default_factory=list)
    token_lifetime: int = 3600
    deep_link_responses: list = field(default_factory=list)

    @property
    def key(self) -> jwk.JWK:
        return self.keys[-1]

    def rotate_key(self) -> None:
        """A new signing key; the old one is no longer published (a platform that rotates hard)."""
        self.keys = [new_key()]

    def jwks(self) -> dict:
        return {"keys": [{**json.loads(k.export_public()), "alg": "RS256", "use": "sig"} for k in self.keys]}

    def id_token(
        self,
        nonce: str,
        sub: str = "user-1",
        message_type: str = "LtiResourceLinkRequest",
        roles: list[str] | None = None,
        overrides: dict | None = None,
        remove: tuple[str, ...] = (),
        kid: Any = None,
        sign_with: jwk.JWK | None = None,
        target_link_uri: str = "",
    ) -> str:
        now = int(time.time()) + self.clock_offset_seconds
        body: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.client_id,
            "sub": sub,
            "iat": now,
            "exp": now + 60,
            "nonce": nonce,
            "name": f"Name of {sub}",
            "email": f"{sub}@example.org",
            LTI + "message_type": message_type,
            LTI + "version": "1.3.0",
            LTI + "deployment_id": self.deployment_id,
            LTI + "roles": roles if roles is not None else [LEARNER],
            LTI + "context": {"id": "course-1", "label": "CC101", "title": "Care Certificate cohort"},
        }
        if target_link_uri:
            body[LTI + "target_link_uri"] = target_link_uri
        if message_type == "LtiResourceLinkRequest":
            body[LTI + "resource_link"] = {"id": "link-1", "title": "Unit 1: Understand your role"}
        else:
            body[DL + "deep_linking_settings"] = {
                "deep_link_return_url": self.issuer + "/deep_link_return",
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["iframe", "window"],
                "data": "opaque-platform-data",
            }
        body.update(overrides or {})
        for claim in remove:
            body.pop(claim, None)
        signer = sign_with or self.key
        headers = {} if kid is MISSING else {"kid": kid or signer["kid"]}
        return jwt.encode(
            body, signer.export_to_pem(private_key=True, password=None), "RS256", headers=headers
        )

    def flask_app(self) -> Flask:
        app = Flask("fake_platform")

        @app.get("/jwks")
        def serve_jwks():  # type: ignore[no-untyped-def]
            self.jwks_requests += 1
            return jsonify(self.jwks())

        @app.post("/token")
        def token():  # type: ignore[no-untyped-def]
            self.token_requests += 1
            if request.form.get("grant_type") != "client_credentials":
                return jsonify(error="unsupported_grant_type"), 400
            return jsonify(
                access_token="at-" + uuid.uuid4().hex,
                token_type="Bearer",
                expires_in=self.token_lifetime,
                scope=request.form.get("scope", ""),
            )

        @app.get("/members")
        def members():  # type: ignore[no-untyped-def]
            # Two pages; the second page's cursor is case-sensitive, like Canvas's.
            if request.headers.get("Authorization", "")[:10] != "Bearer at-":
                return jsonify(error="no token"), 401
            if request.args.get("cursor") == "SeCoNdPaGe":
                return jsonify(members=[{"user_id": "u2"}])
            response = jsonify(members=[{"user_id": "u1"}])
            response.headers["link"] = f'<{self.issuer}/members?cursor=SeCoNdPaGe>; rel="next"'
            return response

        @app.get("/.well-known/openid-configuration")
        def openid_configuration():  # type: ignore[no-untyped-def]
            return jsonify(
                issuer=self.issuer,
                authorization_endpoint=self.issuer + "/auth",
                token_endpoint=self.issuer + "/token",
                jwks_uri=self.issuer + "/jwks",
                registration_endpoint=self.issuer + "/registration",
                scopes_supported=["openid"],
                response_types_supported=["id_token"],
                id_token_signing_alg_values_supported=["RS256"],
                **{
                    "https://purl.imsglobal.org/spec/lti-platform-configuration": {
                        "product_family_code": "fake-platform",
                        "version": "1.0",
                        "messages_supported": [
                            {"type": "LtiResourceLinkRequest"},
                            {"type": "LtiDeepLinkingRequest"},
                        ],
                    }
                },
            )

        @app.post("/registration")
        def registration():  # type: ignore[no-untyped-def]
            if request.headers.get("Authorization") != "Bearer reg-token-1":
                return jsonify(error="invalid registration token"), 401
            body = request.get_json()
            self.registrations.append(body)
            answer = dict(body, client_id=self.client_id)
            tool_config = dict(body["https://purl.imsglobal.org/spec/lti-tool-configuration"])
            tool_config["deployment_id"] = self.deployment_id
            answer["https://purl.imsglobal.org/spec/lti-tool-configuration"] = tool_config
            return jsonify(answer)

        return app


class RunningServer:
    def __init__(self, app: Flask):
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.port = self._server.server_port
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
