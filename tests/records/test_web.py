"""The records pages through the Flask test client: My records (by launch), downloads, /verify and its API,
the published documents, and the admin's revoke."""

from __future__ import annotations

import base64
import gzip
import io
import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from openbadgeslib.ob3.ldp import verify_data_integrity_proof
from sqlalchemy import select

from lti_tool.admin_auth import create_admin_token
from lti_tool.app import create_app
from lti_tool.db.models import Deployment, Registration
from lti_tool.records import store
from lti_tool.records.keys import ed25519_from_multikey
from lti_tool.repo.launches import create_launch_session
from tests.databases import throwaway_database
from tests.records.world import make_world

BASE = "https://tool.example.org"


@pytest.fixture
def site(tmp_path):
    with throwaway_database("sqlite", tmp_path, "web.sqlite3") as url:
        app = create_app(
            {
                "DATA_DIR": str(tmp_path),
                "DATABASE_URL": url,
                "BASE_URL": BASE,
                "RECORDS_ISSUER_NAME": "Example Care Training",
            }
        )
        world = make_world(url)
        world.add_learner("Ann Smith")
        world.add_learner("Ben Jones")
        yield app, world
        world.db.dispose()


def launch_token(world, learner: str) -> str:
    with world.db.session() as session:
        registration = session.get(Registration, world.registration_id)
        deployment = session.scalars(
            select(Deployment).where(Deployment.registration_id == registration.id)
        ).first()
        token, _ = create_launch_session(
            session,
            registration,
            lifetime_seconds=3600,
            deployment_pk=deployment.id,
            user_pk=world.learners[learner],
            context_pk=world.context_pk,
            resource_link_pk=world.links["u01"],
            message_type="LtiResourceLinkRequest",
            role="learner",
            claims={},
        )
        return token


def test_my_records_lists_achieved_and_missing_units(site):
    app, world = site
    world.achieve("Ann Smith", "u01")
    world.attempt("Ann Smith", "u03")  # passed, but u03 needs an observed sign-off
    page = app.test_client().get(f"/records/mine?lt={launch_token(world, 'Ann Smith')}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'data-unit="u01" data-achieved="yes"' in text
    assert 'data-unit="u03" data-achieved="no"' in text and "assessor has not yet signed off" in text
    assert "<svg" in text  # the QR code of the verification link


def test_my_records_without_a_launch_is_refused(site):
    app, _ = site
    assert app.test_client().get("/records/mine").status_code in (401, 403)


def _first_credential_uuid(app, world, token):
    app.test_client().get(f"/records/mine?lt={token}")
    from lti_tool.records.models import IssuedRecord

    with world.db.session() as session:
        return session.scalars(select(IssuedRecord.credential_uuid)).first()


def test_the_downloaded_credential_verifies_on_the_verify_page(site):
    app, world = site
    world.achieve("Ann Smith", "u01")
    token = launch_token(world, "Ann Smith")
    client = app.test_client()
    credential_uuid = _first_credential_uuid(app, world, token)
    document = client.get(f"/records/mine/{credential_uuid}.json?lt={token}").get_data(as_text=True)
    page = client.post("/verify", data={"credential": document})
    assert page.status_code == 200 and 'data-valid="yes"' in page.get_data(as_text=True)
    jwt_text = client.get(f"/records/mine/{credential_uuid}.jwt?lt={token}").get_data(as_text=True)
    answer = client.post("/verify/api", data=jwt_text, content_type="text/plain").json
    assert answer["valid"] and answer["proof_format"] == "VC-JWT"


def test_the_jwt_verifies_with_the_published_key(site):
    app, world = site
    world.achieve("Ann Smith", "u01")
    token = launch_token(world, "Ann Smith")
    client = app.test_client()
    credential_uuid = _first_credential_uuid(app, world, token)
    jwt_text = client.get(f"/records/mine/{credential_uuid}.jwt?lt={token}").get_data(as_text=True)
    kid = jwt.get_unverified_header(jwt_text)["kid"]
    jwk = client.get(kid.removeprefix(BASE)).json
    payload = jwt.decode(jwt_text, jwt.PyJWK(jwk).key, algorithms=["RS256"])
    assert payload["iss"] == f"{BASE}/records/issuer"


def test_a_learner_cannot_download_another_learners_credential(site):
    app, world = site
    world.achieve("Ann Smith", "u01")
    credential_uuid = _first_credential_uuid(app, world, launch_token(world, "Ann Smith"))
    answer = app.test_client().get(
        f"/records/mine/{credential_uuid}.json?lt={launch_token(world, 'Ben Jones')}"
    )
    assert answer.status_code == 404


def test_the_shareable_link_verifies_the_stored_credential(site):
    app, world = site
    world.achieve("Ann Smith", "u01")
    credential_uuid = _first_credential_uuid(app, world, launch_token(world, "Ann Smith"))
    page = app.test_client().get(f"/verify?credential={credential_uuid}")
    assert 'data-valid="yes"' in page.get_data(as_text=True)
    assert app.test_client().get("/verify?credential=nope").status_code == 404


def test_an_admin_revokes_and_verification_then_says_revoked(site):
    app, world = site
    world.achieve("Ann Smith", "u01")
    credential_uuid = _first_credential_uuid(app, world, launch_token(world, "Ann Smith"))
    with world.db.session() as session:
        admin = create_admin_token(session)
    client = app.test_client()
    answer = client.post(
        "/admin/records",
        data={"credential": credential_uuid, "reason": "issued in error"},
        headers={"Authorization": f"Bearer {admin}"},
    )
    assert answer.status_code == 200 and "Revoked." in answer.get_data(as_text=True)
    report = client.get(f"/verify/api?credential={credential_uuid}").json
    assert report["revoked"] and not report["valid"]
    status_list = client.get("/records/status/1").json
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]


def test_revoking_needs_an_admin(site):
    app, world = site
    assert app.test_client().post("/admin/records", data={"credential": "x", "reason": "y"}).status_code in (
        401,
        403,
    )


def test_passport_and_pdf_certificate_download(site):
    app, world = site
    world.achieve("Ann Smith", "u01")
    world.achieve("Ann Smith", "u02")
    token = launch_token(world, "Ann Smith")
    client = app.test_client()
    passport = client.get(f"/records/mine/passport.json?lt={token}")
    assert passport.status_code == 200
    report = client.post("/verify/api", json={"credential": json.loads(passport.data)}).json
    assert report["valid"] and report["kind"] == "ClrCredential" and len(report["units"]) == 2
    pdf = client.get(f"/records/mine/certificate.pdf?lt={token}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_a_learner_with_nothing_achieved_has_no_passport_yet(site):
    app, world = site
    assert (
        app.test_client()
        .get(f"/records/mine/passport.json?lt={launch_token(world, 'Ben Jones')}")
        .status_code
        == 404
    )


def test_published_achievement_and_unknown_ones(site):
    app, _ = site
    client = app.test_client()
    assert (
        client.get("/records/achievements/u12").json["alignment"][1]["targetName"]
        == "Care Certificate standard 13"
    )
    assert client.get("/records/achievements/u99").status_code == 404
    assert client.get("/records/keys/nope").status_code == 404
    assert client.get("/records/status/999").status_code == 404


@pytest.mark.parametrize("body", [b"", b"{", b"\xff\xfe\x00", b"[1]", b'{"credential": 5}'])
def test_the_api_answers_rubbish_plainly(site, body):
    app, _ = site
    answer = app.test_client().post("/verify/api", data=body, content_type="application/json")
    assert answer.status_code in (200, 400)
    assert answer.json.get("valid") is False or "error" in answer.json


def test_an_admin_uploads_the_workforce_id_mapping(site):
    app, world = site
    with world.db.session() as session:
        admin = create_admin_token(session)
    csv_text = b"lms_user_id,LOCALESTID,UNIQUEWORKERID\nlms-ann-smith,WP1,W1\n"
    answer = app.test_client().post(
        "/admin/records/workforce-ids",
        data={"registration": str(world.registration_id), "file": (io.BytesIO(csv_text), "ids.csv")},
        headers={"Authorization": f"Bearer {admin}"},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 200 and "Stored the ASC-WDS ids of 1" in answer.get_data(as_text=True)
    bad = app.test_client().post(
        "/admin/records/workforce-ids",
        data={"registration": str(world.registration_id), "file": (io.BytesIO(b"name\nx\n"), "ids.csv")},
        headers={"Authorization": f"Bearer {admin}"},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 400 and "needs columns" in bad.get_data(as_text=True)


def test_the_workforce_page_shows_each_units_asc_wds_category(site):
    app, world = site
    with world.db.session() as session:
        admin = create_admin_token(session)
    page = (
        app.test_client()
        .get("/admin/records/workforce-ids", headers={"Authorization": f"Bearer {admin}"})
        .get_data(as_text=True)
    )
    assert "<td>u10</td><td>20</td><td>Safeguarding adults</td>" in page
    assert "RECORDS_ASCWDS_CATEGORIES" in page


def test_the_published_status_list_is_signed_and_carries_the_revoked_bit(site):
    app, world = site
    world.achieve("Ann Smith", "u01")
    credential_uuid = _first_credential_uuid(app, world, launch_token(world, "Ann Smith"))
    with world.db.session() as session:
        record = store.find_record(session, credential_uuid)
        store.revoke(session, record, "test", "test")
        index = record.status_index
    client = app.test_client()
    status_list = client.get("/records/status/1").json
    method = status_list["proof"]["verificationMethod"]
    multikey = client.get(method.removeprefix(BASE)).json["publicKeyMultibase"]
    public_pem = ed25519_from_multikey(multikey).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    verify_data_integrity_proof(status_list, public_pem)  # openbadgeslib, not our code
    encoded = status_list["credentialSubject"]["encodedList"][1:]
    bits = gzip.decompress(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
    assert len(bits) * 8 == 131_072
    assert bits[index // 8] & (0x80 >> (index % 8))


def test_the_passport_share_page_gives_a_link_that_verifies(site):
    app, world = site
    world.achieve("Ann Smith", "u01")
    client = app.test_client()
    page = client.get(f"/records/mine/passport?lt={launch_token(world, 'Ann Smith')}").get_data(as_text=True)
    link = page.split('id="share-link"><a href="')[1].split('"')[0]
    assert "<svg" in page and link.startswith(f"{BASE}/verify?credential=")
    report = client.get(link.removeprefix(BASE)).get_data(as_text=True)
    assert 'data-valid="yes"' in report and "Units in this passport" in report
