"""Service calls: one access token per registration and scopes, shared by every connector; Link paging."""

from __future__ import annotations

import threading

import jwt
import pytest

from lti_tool.db import Database
from lti_tool.lti.services import SharedTokenConnector, next_page_url
from lti_tool.repo import registrations as registration_repo

SCORE = ["https://purl.imsglobal.org/spec/lti-ags/scope/score"]
NRPS = ["https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly"]


def connector(tool, platform, db=None):
    with tool.db.session() as session:
        registration = registration_repo.get_registration(session, platform.registration_id)
    return SharedTokenConnector(db or tool.db, registration, tool.http)


def test_token_is_fetched_once_and_reused(tool, platform):
    before = platform.token_requests
    first = connector(tool, platform)
    tokens = {first.get_access_token(SCORE) for _ in range(5)}
    assert len(tokens) == 1 and platform.token_requests - before == 1


def test_token_is_shared_by_connectors_on_another_engine(app, tool, platform):
    before = platform.token_requests
    token = connector(tool, platform).get_access_token(SCORE)
    other_process_db = Database(app.config["DATABASE_URL"])
    try:
        assert connector(tool, platform, other_process_db).get_access_token(SCORE) == token
    finally:
        other_process_db.dispose()
    assert platform.token_requests - before == 1


def test_concurrent_first_requests_fetch_one_token(tool, platform):
    before = platform.token_requests
    results, errors = [], []

    def fetch():
        try:
            results.append(connector(tool, platform).get_access_token(NRPS))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=fetch) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors and len(set(results)) == 1
    assert platform.token_requests - before == 1


def test_different_scopes_get_different_tokens(tool, platform):
    shared = connector(tool, platform)
    assert shared.get_access_token(SCORE) != shared.get_access_token(NRPS)


def test_token_close_to_expiry_is_replaced(tool, platform):
    platform.token_lifetime = 30  # inside the safety margin: never reused
    try:
        shared = connector(tool, platform)
        before = platform.token_requests
        shared.get_access_token(SCORE + ["x"])
        shared.get_access_token(SCORE + ["x"])
    finally:
        platform.token_lifetime = 3600
    assert platform.token_requests - before == 2


def test_invalidated_token_is_fetched_again(tool, platform):
    shared = connector(tool, platform)
    first = shared.get_access_token(SCORE)
    shared.invalidate_token(SCORE)
    assert shared.get_access_token(SCORE) != first


def test_client_assertion_is_signed_with_a_published_tool_key(app, tool, platform, monkeypatch):
    sent = {}
    shared = connector(tool, platform)
    original = shared._requests_session.post

    def capture(url, data=None, **kwargs):
        sent.update(data)
        return original(url, data=data, **kwargs)

    monkeypatch.setattr(shared._requests_session, "post", capture)
    shared.get_access_token(["scope-for-assertion-test"])
    header = jwt.get_unverified_header(sent["client_assertion"])
    jwks = app.test_client().get("/lti/jwks").get_json()
    key = next(k for k in jwks["keys"] if k["kid"] == header["kid"])
    claims = jwt.decode(
        sent["client_assertion"],
        jwt.PyJWK(key).key,
        algorithms=["RS256"],
        audience=platform.issuer + "/token",
    )
    assert claims["iss"] == claims["sub"] == platform.client_id


@pytest.mark.parametrize(
    "header,expected",
    [
        (
            '<https://canvas.example/api/lti/courses/1/names_and_roles?page=AbCdEf>; rel="next"',
            "https://canvas.example/api/lti/courses/1/names_and_roles?page=AbCdEf",
        ),
        (
            '<https://x/a?p=1>; rel="prev", <https://x/a?Cursor=QwErTy>; REL="Next"',
            "https://x/a?Cursor=QwErTy",
        ),
        ('<https://x/a?p=3>; rel="last next"', "https://x/a?p=3"),
        ("<https://x/a?p=3>; rel=next", "https://x/a?p=3"),
        ('<https://x/a?p=1>; rel="prev"', None),
        ("", None),
        ("garbage without brackets", None),
    ],
)
def test_link_header_next_url_keeps_its_case(header, expected):
    assert next_page_url(header) == expected


def test_paged_service_results_follow_the_case_sensitive_next_link(tool, platform):
    shared = connector(tool, platform)
    first = shared.make_service_request(NRPS, platform.issuer + "/members")
    assert first["next_page_url"].endswith("cursor=SeCoNdPaGe")
    second = shared.make_service_request(NRPS, first["next_page_url"])
    assert second["body"] == {"members": [{"user_id": "u2"}]} and second["next_page_url"] is None


def test_restored_launch_reads_the_roster_through_the_library_with_the_shared_token(app, tool, platform):
    import re

    from lti_tool.lti.restore import restored_launch
    from lti_tool.repo import launches as launch_repo
    from tests.lti.conftest import launch

    nrps = {"context_memberships_url": platform.issuer + "/members", "service_versions": ["2.0"]}
    claim = {"https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice": nrps}
    page = launch(app.test_client(), platform, overrides=claim).get_data(as_text=True)
    token = re.search(r'data-launch-token="([^"]+)"', page).group(1)
    with tool.db.session() as session:
        launch_session = launch_repo.find_launch_session(session, token)
        registration = registration_repo.get_registration(session, launch_session.registration_id)
    restored = restored_launch(tool.db, tool.settings, tool.http, launch_session, registration)
    assert restored.has_nrps()
    members = list(restored.get_nrps().get_members())
    assert [m["user_id"] for m in members] == ["u1", "u2"]
