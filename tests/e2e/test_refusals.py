"""The 1EdTech tool certification suite's negative launches, and more: each is refused with a 4xx page that
names a stable error code, never a 500.

A test runs the real login (so the tool holds a real state and nonce), then posts an id_token that the
platform signs as it would for that launch, changed in one way."""

from __future__ import annotations

import time

import pytest

from demo_lms.keys import PlatformKey
from demo_lms.platform import RESOURCE_LINK
from tests.e2e.conftest import refusal_code

LTI = "https://purl.imsglobal.org/spec/lti/claim/"


def forged_launch(world, **forgery):
    driver = world.driver()
    auth = driver.begin("learner1", world.unit.id)
    token = world.platform.make_id_token(
        RESOURCE_LINK, "learner1", nonce=auth.nonce, resource_link_id=world.unit.id, **forgery
    )
    return driver.finish(auth, token)


def now() -> int:
    return int(time.time())


FORGERIES = {
    "wrong kid": ({"kid": "a-kid-the-platform-never-published"}, {"LTI-KID-UNKNOWN"}),
    "missing kid": ({"kid": None}, {"LTI-KID-MISSING"}),
    "signed by a key the platform does not publish": (
        {"sign_with": PlatformKey.generate()},
        {"LTI-KID-UNKNOWN", "LTI-SIGNATURE-INVALID"},
    ),
    "wrong LTI version": ({"overrides": {LTI + "version": "1.2.0"}}, {"LTI-VERSION"}),
    # Times are relative to the moment the test runs (a callable), not to when the module was imported.
    "expired token": (lambda: {"overrides": {"iat": now() - 600, "exp": now() - 300}}, {"LTI-TOKEN-EXPIRED"}),
    "token issued in the future": (
        lambda: {"overrides": {"iat": now() + 600, "exp": now() + 660}},
        {"LTI-TOKEN-FUTURE"},
    ),
    "missing deployment id": ({"remove": [LTI + "deployment_id"]}, {"LTI-DEPLOYMENT-MISSING"}),
    "missing message type": ({"remove": [LTI + "message_type"]}, {"LTI-MESSAGE-TYPE"}),
    "unknown message type": ({"overrides": {LTI + "message_type": "LtiSomethingElse"}}, {"LTI-MESSAGE-TYPE"}),
    "missing roles": ({"remove": [LTI + "roles"]}, {"LTI-ROLES-MISSING"}),
    "missing subject": ({"remove": ["sub"]}, {"LTI-SUBJECT-MISSING"}),
    "missing resource link id": ({"remove": [(LTI + "resource_link", "id")]}, {"LTI-RESOURCE-LINK-MISSING"}),
    "wrong audience": ({"overrides": {"aud": "another-tools-client-id"}}, {"LTI-AUDIENCE-MISMATCH"}),
    "unknown deployment": ({"overrides": {LTI + "deployment_id": "999"}}, {"LTI-DEPLOYMENT-UNKNOWN"}),
    "unknown issuer": (
        {"overrides": {"iss": "https://unknown-lms.example"}},
        {"LTI-ISSUER-UNKNOWN", "LTI-CLAIM-INVALID", "LTI-STATE-MISMATCH"},
    ),
    "nonce of another login": ({"overrides": {"nonce": "not-the-login-nonce"}}, {"LTI-NONCE-MISMATCH"}),
}


@pytest.mark.parametrize("forgery", FORGERIES, ids=list(FORGERIES))
def test_a_forged_id_token_is_refused_with_its_code(shared_world, forgery):
    changes, expected_codes = FORGERIES[forgery]
    changes = changes() if callable(changes) else changes
    assert refusal_code(forged_launch(shared_world, **changes)) in expected_codes


def test_an_id_token_that_is_not_a_jwt_is_refused(shared_world):
    driver = shared_world.driver()
    auth = driver.begin("learner1", shared_world.unit.id)
    assert refusal_code(driver.finish(auth, "this-is-not-a-jwt")) == "LTI-JWT-MALFORMED"


def test_a_replayed_launch_is_refused(shared_world):
    driver = shared_world.driver()
    assert driver.launch("learner1", shared_world.unit.id).status_code == 200
    assert refusal_code(driver.replay_last_launch()) in {"LTI-NONCE-REPLAYED", "LTI-STATE-UNKNOWN"}


def test_a_launch_without_id_token_is_refused(shared_world):
    driver = shared_world.driver()
    auth = driver.begin("learner1", shared_world.unit.id)
    answer = driver.request("POST", auth.redirect_uri, data={"state": auth.state})
    assert refusal_code(answer) == "LTI-MISSING-ID-TOKEN"


def test_a_login_from_an_unknown_issuer_is_refused(shared_world):
    answer = shared_world.driver().request(
        "GET",
        shared_world.tool_url + "/lti/login",
        params={
            "iss": "https://unknown-lms.example",
            "login_hint": "u1",
            "target_link_uri": shared_world.tool_url + "/lti/launch",
        },
        allow_redirects=False,
    )
    assert refusal_code(answer) == "LTI-ISSUER-UNKNOWN"


def test_a_login_without_login_hint_is_refused(shared_world):
    answer = shared_world.driver().request(
        "GET",
        shared_world.tool_url + "/lti/login",
        params={"iss": shared_world.lms.url, "target_link_uri": shared_world.tool_url + "/lti/launch"},
        allow_redirects=False,
    )
    assert refusal_code(answer) == "LTI-LOGIN-MISSING-PARAM"


def test_a_deep_linking_request_without_its_settings_is_refused(shared_world):
    driver = shared_world.driver()
    auth = driver.begin("instructor", deep_link=True)
    settings = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"
    token = shared_world.platform.make_id_token(
        "LtiDeepLinkingRequest", "instructor", nonce=auth.nonce, remove=[settings]
    )
    assert refusal_code(driver.finish(auth, token)) == "LTI-DEEP-LINKING-SETTINGS"
