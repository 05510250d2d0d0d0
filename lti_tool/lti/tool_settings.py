"""What the tool tells an LMS about itself: URLs, scopes, claims, messages (manual setup and dynamic
registration).
"""

from __future__ import annotations

from urllib.parse import urlsplit

TOOL_NAME = "Care Certificate (carecert-lti)"
TOOL_DESCRIPTION = "Level 2 Adult Social Care Certificate units as SCORM, with grades and assessor sign-off."
AGS = "https://purl.imsglobal.org/spec/lti-ags/scope/"
SCOPES = [
    AGS + "lineitem",
    AGS + "lineitem.readonly",
    AGS + "result.readonly",
    AGS + "score",
    "https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly",
]
CLAIMS = ["iss", "sub", "name", "given_name", "family_name", "email"]


def tool_urls(base_url: str) -> dict[str, str]:
    return {
        "tool_url": base_url + "/lti/launch",
        "login_url": base_url + "/lti/login",
        "redirect_url": base_url + "/lti/launch",
        "jwks_url": base_url + "/lti/jwks",
        "deep_linking_url": base_url + "/lti/launch",
        "registration_url": base_url + "/lti/register",
        "domain": urlsplit(base_url).netloc,
    }


def client_registration_request(base_url: str) -> dict:
    """The client registration the tool POSTs (LTI Dynamic Registration 1.0 §3.4)."""
    urls = tool_urls(base_url)
    return {
        "application_type": "web",
        "response_types": ["id_token"],
        "grant_types": ["implicit", "client_credentials"],
        "initiate_login_uri": urls["login_url"],
        "redirect_uris": [urls["redirect_url"]],
        "client_name": TOOL_NAME,
        "jwks_uri": urls["jwks_url"],
        "token_endpoint_auth_method": "private_key_jwt",
        "scope": " ".join(SCOPES),
        "https://purl.imsglobal.org/spec/lti-tool-configuration": {
            "domain": urls["domain"],
            "target_link_uri": urls["tool_url"],
            "description": TOOL_DESCRIPTION,
            "claims": CLAIMS,
            "messages": [
                {
                    "type": "LtiDeepLinkingRequest",
                    "target_link_uri": urls["deep_linking_url"],
                    "label": "Add a Care Certificate unit",
                },
                {"type": "LtiResourceLinkRequest", "target_link_uri": urls["tool_url"]},
            ],
        },
    }
