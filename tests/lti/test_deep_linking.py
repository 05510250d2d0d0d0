"""Deep linking: the picker, package upload, and the signed LtiDeepLinkingResponse."""

from __future__ import annotations

import re

import jwt
import pytest

from tests.lti.conftest import TOOL_BASE_URL, error_code, start_login
from tests.lti.platform import INSTRUCTOR, LEARNER

DL = "https://purl.imsglobal.org/spec/lti-dl/claim/"


def deep_link_launch(client, platform, roles=(INSTRUCTOR,)):
    login = start_login(client, platform)
    token = platform.id_token(login.nonce, message_type="LtiDeepLinkingRequest", roles=list(roles))
    response = client.post("/lti/launch", data={"id_token": token, "state": login.state})
    page = response.get_data(as_text=True)
    match = re.search(r'data-launch-token="([^"]+)"', page)
    return response, (match.group(1) if match else None)


def upload(client, launch_token, path):
    with open(path, "rb") as package:
        return client.post(
            "/lti/deep-link/upload",
            data={"lt": launch_token, "package": (package, path.name)},
            content_type="multipart/form-data",
        )


def test_instructor_deep_link_launch_shows_the_picker_with_upload(app, platform):
    response, token = deep_link_launch(app.test_client(), platform)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and token
    assert 'id="picker"' in page and 'name="package"' in page


def test_learner_deep_link_launch_cannot_add_or_upload(app, platform):
    client = app.test_client()
    response, token = deep_link_launch(client, platform, roles=(LEARNER,))
    page = response.get_data(as_text=True)
    assert 'name="package"' not in page and 'id="picker-not-allowed"' in page and 'id="add-unit"' not in page
    refused = client.post("/lti/deep-link/select", data={"lt": token, "unit": "package:1"})
    assert refused.status_code == 403 and error_code(refused) == "LTI-ROLE-FORBIDDEN"


@pytest.mark.parametrize(
    "header", [lambda token: {"Authorization": f"Bearer {token}"}, lambda token: {"X-Launch-Token": token}]
)
def test_the_launch_token_may_come_in_a_header(app, platform, header):
    client = app.test_client()
    _, token = deep_link_launch(client, platform, roles=(LEARNER,))
    refused = client.post("/lti/deep-link/select", data={"unit": "package:1"}, headers=header(token))
    assert refused.status_code == 403 and error_code(refused) == "LTI-ROLE-FORBIDDEN"  # the launch was found
    unknown = client.post("/lti/deep-link/select", data={"unit": "package:1"}, headers=header("x" + token))
    assert error_code(unknown) == "LTI-LAUNCH-TOKEN-INVALID"


def test_uploaded_package_appears_in_the_picker(app, platform, corpus):
    client = app.test_client()
    _, token = deep_link_launch(client, platform)
    response = upload(client, token, corpus / "packages" / "golf12_ContentPackagingSingleSCO.zip")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[:3000]
    assert re.search(r'name="unit" value="package:\d+"', page)


def test_refused_package_shows_its_problems_in_plain_language(app, platform, corpus):
    client = app.test_client()
    _, token = deep_link_launch(client, platform)
    response = upload(client, token, corpus / "malformed" / "moodle_invalid_no_manifest.zip")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "cannot be used" in page and 'class="problem' in page and "data-problem-code=" in page


def test_not_a_zip_upload_is_refused_cleanly(app, platform, tmp_path):
    client = app.test_client()
    _, token = deep_link_launch(client, platform)
    fake = tmp_path / "course.zip"
    fake.write_bytes(b"this is not a zip file")
    response = upload(client, token, fake)
    assert response.status_code == 422 and 'class="problem' in response.get_data(as_text=True)


def test_choosing_a_unit_returns_a_signed_deep_linking_response(app, platform, corpus):
    client = app.test_client()
    _, token = deep_link_launch(client, platform)
    page = upload(client, token, corpus / "packages" / "golf12_ContentPackagingSingleSCO.zip").get_data(
        as_text=True
    )
    unit_ref = re.search(r'name="unit" value="(package:\d+)"', page).group(1)
    response = client.post("/lti/deep-link/select", data={"lt": token, "unit": unit_ref})
    page = response.get_data(as_text=True)
    assert f'action="{platform.issuer}/deep_link_return"' in page
    response_jwt = re.search(r'name="JWT" value="([^"]+)"', page).group(1)
    jwks = client.get("/lti/jwks").get_json()
    header = jwt.get_unverified_header(response_jwt)
    key = next(k for k in jwks["keys"] if k["kid"] == header["kid"])
    body = jwt.decode(
        response_jwt,
        jwt.PyJWK(key).key,
        algorithms=["RS256"],
        audience=platform.issuer,
        issuer=platform.client_id,
    )
    assert body["https://purl.imsglobal.org/spec/lti/claim/message_type"] == "LtiDeepLinkingResponse"
    assert body["https://purl.imsglobal.org/spec/lti/claim/deployment_id"] == platform.deployment_id
    assert body[DL + "data"] == "opaque-platform-data"
    (item,) = body[DL + "content_items"]
    assert item["type"] == "ltiResourceLink" and item["url"] == TOOL_BASE_URL + "/lti/launch"
    assert item["custom"] == {"unit": unit_ref}
    assert item["lineItem"]["scoreMaximum"] == 100 and item["lineItem"]["resourceId"] == unit_ref
    assert item["lineItem"]["tag"] and item["lineItem"]["label"] == item["title"]


def test_choosing_another_registrations_package_is_refused(app, platform, corpus):
    client = app.test_client()
    _, token = deep_link_launch(client, platform)
    response = client.post("/lti/deep-link/select", data={"lt": token, "unit": "package:999999"})
    assert response.status_code == 404


def test_catalogue_units_plugged_in_are_offered(app, platform):
    from lti_tool.units import UnitChoice, catalogue_source, set_catalogue_source

    installed = catalogue_source()
    set_catalogue_source(
        lambda: [UnitChoice("catalogue:unit-01", "Understand your role", source="catalogue")]
    )
    try:
        response, _ = deep_link_launch(app.test_client(), platform)
    finally:
        set_catalogue_source(installed)
    assert 'value="catalogue:unit-01"' in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/lti/deep-link/select", "/lti/deep-link/upload"])
def test_deep_link_actions_need_a_launch_token(app, path):
    response = app.test_client().post(path, data={"unit": "package:1"})
    assert response.status_code == 401 and error_code(response) == "LTI-LAUNCH-TOKEN-INVALID"


def test_a_resource_link_launch_token_cannot_deep_link(app, platform):
    from tests.lti.conftest import launch

    client = app.test_client()
    page = launch(client, platform, roles=[INSTRUCTOR]).get_data(as_text=True)
    token = re.search(r'data-launch-token="([^"]+)"', page).group(1)
    response = client.post("/lti/deep-link/select", data={"lt": token, "unit": "package:1"})
    assert response.status_code == 403


def test_an_importer_crash_is_shown_as_a_problem_not_a_server_error(app, platform, tmp_path, monkeypatch):
    import scorm.inspect

    def explode(path, *args, **kwargs):
        raise RuntimeError("bug in the importer")

    monkeypatch.setattr(scorm.inspect, "inspect_package", explode)
    client = app.test_client()
    _, token = deep_link_launch(client, platform)
    package = tmp_path / "p.zip"
    package.write_bytes(b"PK\x03\x04 broken")
    response = upload(client, token, package)
    assert response.status_code == 422 and 'data-problem-code="TOOL-IMPORT-FAILED"' in response.get_data(
        as_text=True
    )


def test_uploading_the_same_package_twice_keeps_one_copy_of_its_files(app, platform, corpus):
    client = app.test_client()
    _, token = deep_link_launch(client, platform)
    path = corpus / "packages" / "golf12_ContentPackagingSingleSCO.zip"
    assert upload(client, token, path).status_code == 200
    assert upload(client, token, path).status_code == 200
