"""Admin pages: token sign-in, manual registration with plain-language errors, approving registrations."""

from __future__ import annotations

import re
import uuid

from lti_tool.admin_auth import create_admin_token
from lti_tool.repo import registrations as registration_repo
from tests.lti.conftest import error_code


def signed_in_client(app, tool):
    with tool.db.session() as session:
        token = create_admin_token(session, "test")
    client = app.test_client()
    assert client.post("/admin/login", data={"token": token}).status_code == 302
    return client


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def test_admin_pages_need_a_sign_in(app):
    response = app.test_client().get("/admin/")
    assert response.status_code == 401 and error_code(response) == "ADMIN-AUTH-REQUIRED"


def test_wrong_admin_token_is_refused(app):
    response = app.test_client().post("/admin/login", data={"token": "cca_wrong"})
    assert response.status_code == 401 and "not valid" in response.get_data(as_text=True)


def test_admin_token_works_as_a_bearer_header(app, tool):
    with tool.db.session() as session:
        token = create_admin_token(session)
    response = app.test_client().get("/admin/", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and 'id="registrations"' in response.get_data(as_text=True)


def test_manual_registration_form_registers_an_lms(app, tool):
    client = signed_in_client(app, tool)
    form_page = client.get("/admin/registrations/new").get_data(as_text=True)
    issuer = f"https://moodle-{uuid.uuid4().hex[:6]}.example"
    response = client.post(
        "/admin/registrations/new",
        data={
            "csrf": csrf_of(form_page),
            "issuer": issuer,
            "client_id": "abc123",
            "deployment_ids": "1 7",
            "auth_login_url": issuer + "/mod/lti/auth.php",
            "auth_token_url": issuer + "/mod/lti/token.php",
            "key_set_url": issuer + "/mod/lti/certs.php",
        },
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert issuer in page and "http://tool.test/lti/login" in page and "http://tool.test/lti/jwks" in page
    with tool.db.session() as session:
        registration = registration_repo.find_registration(session, issuer, "abc123")
        assert [d.deployment_id for d in registration_repo.list_deployments(session, registration)] == [
            "1",
            "7",
        ]


def test_manual_registration_with_bad_values_lists_each_problem(app, tool):
    client = signed_in_client(app, tool)
    csrf = csrf_of(client.get("/admin/registrations/new").get_data(as_text=True))
    response = client.post(
        "/admin/registrations/new", data={"csrf": csrf, "issuer": "moodle", "client_id": ""}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Issuer (platform ID) must be an http(s) URL" in page and "Client ID is required" in page
    assert "Access token URL is required" in page


def test_admin_form_without_csrf_token_is_refused(app, tool):
    client = signed_in_client(app, tool)
    response = client.post("/admin/registrations/new", data={"issuer": "https://x.example"})
    assert response.status_code == 400


def test_pending_registration_is_approved_from_the_list(app, tool):
    with tool.db.session() as session:
        registration = registration_repo.add_registration(
            session,
            issuer="https://pending.example",
            client_id=uuid.uuid4().hex,
            auth_login_url="https://p/a",
            auth_token_url="https://p/t",
            key_set_url="https://p/k",
            status="pending",
        )
    client = signed_in_client(app, tool)
    csrf = csrf_of(client.get("/admin/").get_data(as_text=True))
    client.post(f"/admin/registrations/{registration.id}/status", data={"csrf": csrf, "status": "active"})
    with tool.db.session() as session:
        assert registration_repo.get_registration(session, registration.id).status == "active"


def test_public_setup_page_lists_the_values_to_paste(app):
    page = app.test_client().get("/lti/setup").get_data(as_text=True)
    for value in (
        "http://tool.test/lti/register",
        "http://tool.test/lti/login",
        "http://tool.test/lti/launch",
        "http://tool.test/lti/jwks",
        "contextmembership.readonly",
    ):
        assert value in page


def test_admin_home_links_to_grade_sync_health_and_records(app, tool):
    client = signed_in_client(app, tool)
    page = client.get("/admin/").get_data(as_text=True)
    for linked in ("/admin/grades/", "/admin/records"):
        assert f'href="{linked}"' in page
        assert client.get(linked).status_code == 200
