"""A provider's issuer documents over HTTP: its profile at its issuer id, its verification methods (the
installation's keys, controlled by the provider), its achievements; the admin page and command that set it."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from lti_tool.admin_auth import create_admin_token
from lti_tool.cli import main
from lti_tool.records import providers
from tests.records.test_web import BASE, launch_token, site  # noqa: F401 - `site` is a fixture


@pytest.fixture
def provider_site(site):  # noqa: F811 - the fixture imported above
    app, world = site
    with world.db.session() as session:
        providers.save_profile(
            session, world.registration_id, name="Alpha Care Training", url="https://alpha.example"
        )
    world.achieve("Ann Smith", "u01")
    return app, world


def _credential(app, world) -> dict:  # type: ignore[no-untyped-def]
    client = app.test_client()
    page = client.get(f"/records/mine?lt={launch_token(world, 'Ann Smith')}").get_data(as_text=True)
    assert "issued by Alpha Care Training" in page
    uuid = page.split("credential=", 1)[1][:36]
    return client.get(f"/records/mine/{uuid}.json?lt={launch_token(world, 'Ann Smith')}").json


def test_the_issuer_id_serves_the_providers_profile(provider_site):
    app, world = provider_site
    issuer_id = _credential(app, world)["issuer"]["id"]
    assert issuer_id == f"{BASE}/records/providers/{world.registration_id}/issuer"
    profile = app.test_client().get(issuer_id.removeprefix(BASE)).json
    assert (profile["id"], profile["name"], profile["url"]) == (
        issuer_id,
        "Alpha Care Training",
        "https://alpha.example",
    )


def test_the_proof_key_is_a_method_the_provider_controls(provider_site):
    app, world = provider_site
    credential = _credential(app, world)
    method = credential["proof"]["verificationMethod"]
    client = app.test_client()
    key = client.get(method.removeprefix(BASE)).json
    assert key["id"] == method and key["controller"] == credential["issuer"]["id"]
    controller = client.get(f"/records/providers/{world.registration_id}/keys").json
    assert controller["id"] == credential["issuer"]["id"] and method in controller["assertionMethod"]
    achievement = credential["credentialSubject"]["achievement"]
    published = client.get(achievement["id"].removeprefix(BASE)).json
    assert published["creator"]["id"] == credential["issuer"]["id"]


def test_the_verify_page_accepts_the_providers_credential(provider_site):
    app, world = provider_site
    answer = app.test_client().post("/verify/api", json=_credential(app, world))
    assert answer.json["valid"] is True


def test_a_registration_without_a_profile_publishes_nothing_under_providers(site):  # noqa: F811
    app, world = site
    client = app.test_client()
    assert client.get(f"/records/providers/{world.registration_id}/issuer").status_code == 404
    assert client.get(f"/records/providers/{world.registration_id}/keys").status_code == 404
    assert client.get("/records/providers/99999999999999999999/issuer").status_code == 404


def test_an_admin_sets_an_lms_issuer_and_is_told_plainly_when_it_is_wrong(site):  # noqa: F811
    app, world = site
    with world.db.session() as session:
        admin = create_admin_token(session)
    headers = {"Authorization": f"Bearer {admin}"}
    client = app.test_client()
    form = {"registration": str(world.registration_id), "name": "Alpha Care Training", "url": "", "email": ""}
    saved = client.post("/admin/records/issuers", data=form, headers=headers)
    assert saved.status_code == 200 and "names this provider as issuer" in saved.get_data(as_text=True)
    assert f"/records/providers/{world.registration_id}/issuer" in saved.get_data(as_text=True)
    bad = client.post("/admin/records/issuers", data=form | {"email": "nope"}, headers=headers)
    assert bad.status_code == 400 and "does not look like" in bad.get_data(as_text=True)
    assert client.get("/admin/records/issuers").status_code in (302, 401, 403)  # admins only


def test_the_command_shows_and_sets_an_lms_issuer(tmp_path, monkeypatch):
    from tests.records.world import make_world

    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("CARECERT_DATABASE_URL", url)
    monkeypatch.setenv("CARECERT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CARECERT_BASE_URL", BASE)
    world = make_world(url)
    try:
        run = CliRunner().invoke
        shown = run(main, ["records", "issuer", "--registration", str(world.registration_id)])
        assert shown.exit_code == 0 and "(the installation's)" in shown.output
        set_ = run(
            main, ["records", "issuer", "--registration", str(world.registration_id), "--name", "Alpha"]
        )
        assert set_.exit_code == 0 and f"providers/{world.registration_id}/issuer" in set_.output
        bad = run(main, ["records", "issuer", "--registration", "424242", "--name", "Alpha"])
        assert bad.exit_code != 0 and "no registration 424242" in bad.output
    finally:
        world.db.dispose()
