"""The catalogue out of the box: a fresh tool offers all 15 units in the picker of every LMS, deep links them
with a line item, and plays them to learners of each LMS from one shared package."""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import jwt
import pytest
from sqlalchemy import select

from lti_tool.app import create_app, services
from lti_tool.catalogue import provision
from lti_tool.catalogue.app_catalogue import catalogue_package
from lti_tool.config import ConfigError
from lti_tool.db.models import Package, Registration
from tests.lti.conftest import TOOL_BASE_URL, database_url, register, start_login  # noqa: F401 - fixture
from tests.lti.platform import DL, INSTRUCTOR, LTI, FakePlatform, RunningServer

UNIT_IDS = [f"u{number:02d}" for number in range(1, 16)]
CATALOGUE_RADIO = re.compile(r'name="unit" value="(catalogue:u\d\d)" data-source="catalogue"')
PLAYER_CONFIG = re.compile(r'<script type="application/json" id="player-config">(.*?)</script>', re.S)


def tool_config(data_dir: Path, database: str, **extra: object) -> dict:
    return {
        "BASE_URL": TOOL_BASE_URL,
        "DATABASE_URL": database,
        "DATA_DIR": str(data_dir),
        "SECRET_KEY": "test-secret",
        "COOKIE_SECURE": False,
        "LOG_LEVEL": "WARNING",
        **extra,
    }


@pytest.fixture(scope="module")
def data_dir(database_url, tmp_path_factory) -> Path:  # noqa: F811 - one empty folder per database
    return tmp_path_factory.mktemp("empty-data")


@pytest.fixture(scope="module")
def app(database_url, data_dir):  # noqa: F811 - the tests/lti fixture: SQLite, and PostgreSQL when reachable
    assert not any(data_dir.iterdir()), "the tool starts with an empty data folder"
    application = create_app(tool_config(data_dir, database_url))
    yield application
    application.extensions["carecert"].db.dispose()


@pytest.fixture(scope="module")
def lms_pair(app) -> Iterator[list[FakePlatform]]:
    """Two LMSs registered with the tool, each its own issuer, keys and deployment."""
    platforms, servers = [], []
    for _ in range(2):
        platform = FakePlatform(deployment_id="dep-" + uuid.uuid4().hex[:6])
        server = RunningServer(platform.flask_app())
        platform.issuer = server.url
        with app.app_context():
            register(platform, services())
        platforms.append(platform)
        servers.append(server)
    yield platforms
    for server in servers:
        server.stop()


def deep_link_picker(client, platform: FakePlatform) -> tuple[str, str]:
    login = start_login(client, platform)
    token = platform.id_token(login.nonce, message_type="LtiDeepLinkingRequest", roles=[INSTRUCTOR])
    page = client.post("/lti/launch", data={"id_token": token, "state": login.state}).get_data(as_text=True)
    return page, re.search(r'data-launch-token="([^"]+)"', page).group(1)


def learner_launch(client, platform: FakePlatform, unit_ref: str, sub: str = "learner-1"):
    login = start_login(client, platform)
    overrides = {
        LTI + "custom": {"unit": unit_ref},
        LTI + "resource_link": {"id": "link-" + unit_ref, "title": "Catalogue unit"},
    }
    token = platform.id_token(login.nonce, sub=sub, overrides=overrides)
    return client.post("/lti/launch", data={"id_token": token, "state": login.state})


def test_a_fresh_tool_offers_all_15_catalogue_units_to_every_registration(app, lms_pair):
    for platform in lms_pair:
        page, _ = deep_link_picker(app.test_client(), platform)
        assert CATALOGUE_RADIO.findall(page) == [f"catalogue:{unit_id}" for unit_id in UNIT_IDS]
        assert "Built-in catalogue: Level 2 Adult Social Care Certificate" in page


def test_an_upload_sits_beside_the_catalogue_only_in_its_own_lms(app, lms_pair, corpus):
    first, second = lms_pair
    client = app.test_client()
    _, token = deep_link_picker(client, first)
    golf = corpus / "packages" / "golf12_ContentPackagingSingleSCO.zip"
    with golf.open("rb") as package:
        page = client.post(
            "/lti/deep-link/upload",
            data={"lt": token, "package": (package, golf.name)},
            content_type="multipart/form-data",
        ).get_data(as_text=True)
    assert 'id="units-catalogue"' in page and 'id="units-package"' in page
    assert re.search(r'value="package:\d+" data-source="package"', page)
    assert len(CATALOGUE_RADIO.findall(page)) == 15
    other, _ = deep_link_picker(app.test_client(), second)
    assert 'id="units-package"' not in other and len(CATALOGUE_RADIO.findall(other)) == 15


def test_deep_linking_a_catalogue_unit_returns_its_reference_and_a_line_item(app, lms_pair):
    platform = lms_pair[0]
    client = app.test_client()
    _, token = deep_link_picker(client, platform)
    page = client.post("/lti/deep-link/select", data={"lt": token, "unit": "catalogue:u05"})
    response_jwt = re.search(r'name="JWT" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    kid = jwt.get_unverified_header(response_jwt)["kid"]
    key = next(k for k in client.get("/lti/jwks").get_json()["keys"] if k["kid"] == kid)
    body = jwt.decode(
        response_jwt,
        jwt.PyJWK(key).key,
        algorithms=["RS256"],
        audience=platform.issuer,
        issuer=platform.client_id,
    )
    (item,) = body[DL + "content_items"]
    assert item["type"] == "ltiResourceLink" and item["title"] == "Work in a person-centred way"
    assert item["custom"] == {"unit": "catalogue:u05"}
    assert item["lineItem"]["scoreMaximum"] == 100 and item["lineItem"]["resourceId"] == "catalogue:u05"
    assert item["lineItem"]["label"] == item["title"] and item["lineItem"]["tag"]


def test_a_learner_launch_of_a_catalogue_unit_reaches_the_player_and_its_files(app, lms_pair):
    client = app.test_client()
    launched = learner_launch(client, lms_pair[0], "catalogue:u07")
    assert launched.status_code == 303 and "/player?" in launched.headers["Location"]
    player = client.get(launched.headers["Location"])
    assert player.status_code == 200, player.get_data(as_text=True)[:2000]
    config = json.loads(PLAYER_CONFIG.search(player.get_data(as_text=True)).group(1))
    assert config["version"] == "2004" and config["attempt"]
    launch_page = client.get(config["contentBase"] + "index.html")
    assert launch_page.status_code == 200 and launch_page.mimetype == "text/html"
    assert "Privacy and dignity" in launch_page.get_data(as_text=True)


def test_each_lms_plays_the_shared_package_through_its_own_package_row(app, lms_pair):
    client = app.test_client()
    for platform in lms_pair:
        for learner in ("learner-a", "learner-b"):
            launched = learner_launch(client, platform, "catalogue:u09", sub=learner)
            assert launched.status_code == 303
            assert client.get(launched.headers["Location"]).status_code == 200
    with app.app_context(), services().db.session(readonly=True) as session:
        rows = session.scalars(select(Package).where(Package.original_filename == "catalogue:u09")).all()
    assert sorted(row.registration_id for row in rows) == sorted(p.registration_id for p in lms_pair)
    assert len({row.storage_path for row in rows}) == 1
    page, _ = deep_link_picker(app.test_client(), lms_pair[1])
    assert 'id="units-package"' not in page, "a catalogue unit's row is not listed as an upload"


def test_an_unknown_catalogue_unit_is_not_played(app, lms_pair):
    client = app.test_client()
    launched = learner_launch(client, lms_pair[0], "catalogue:../../secret_key")
    assert launched.status_code == 200 and 'id="unit"' in launched.get_data(as_text=True)


def test_a_second_start_on_the_same_data_folder_builds_nothing(app, database_url, data_dir):  # noqa: F811
    store = data_dir / "catalogue"
    before = {str(path): path.stat().st_mtime_ns for path in store.rglob("*")}
    builds = provision.build_count
    again = create_app(tool_config(data_dir, database_url))
    try:
        assert {str(path): path.stat().st_mtime_ns for path in store.rglob("*")} == before
        assert provision.build_count == builds
        outcome = again.extensions["carecert_catalogue"].provision()
        assert outcome.found == UNIT_IDS and outcome.imported == []
    finally:
        again.extensions["carecert"].db.dispose()


def test_the_catalogue_scorm_version_setting_offers_scorm_12_packages(tmp_path):
    tool = create_app(
        tool_config(tmp_path, f"sqlite:///{tmp_path / 'tool.sqlite3'}", CATALOGUE_SCORM_VERSION="1.2")
    )
    try:
        with tool.app_context():
            from lti_tool.units import catalogue_units

            choices = catalogue_units()
        assert len(choices) == 15 and all("SCORM 1.2" in choice.description for choice in choices)
    finally:
        tool.extensions["carecert"].db.dispose()


def test_a_scorm_version_the_catalogue_cannot_serve_stops_the_start_with_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="CATALOGUE_SCORM_VERSION must be 2004 or 1.2"):
        create_app(
            tool_config(tmp_path, f"sqlite:///{tmp_path / 'tool.sqlite3'}", CATALOGUE_SCORM_VERSION="3")
        )


def test_with_provisioning_on_start_off_the_first_picker_provisions(tmp_path):
    tool = create_app(
        tool_config(tmp_path, f"sqlite:///{tmp_path / 'tool.sqlite3'}", CATALOGUE_PROVISION_ON_START="false")
    )
    try:
        assert not (tmp_path / "catalogue").exists()
        with tool.app_context():
            from lti_tool.units import catalogue_units

            assert [choice.ref for choice in catalogue_units()] == [f"catalogue:{u}" for u in UNIT_IDS]
        assert len(list((tmp_path / "catalogue" / "index").glob("*.json"))) == 15
    finally:
        tool.extensions["carecert"].db.dispose()


def test_two_first_launches_at_once_share_one_package_row(app, lms_pair):
    """The second transaction waits for the first (row lock on PostgreSQL, BEGIN IMMEDIATE on SQLite) and
    finds its row: attempts of both learners name the same package."""
    registration_id = lms_pair[1].registration_id
    inserted, made = threading.Event(), {}

    def first_launch() -> None:
        with app.app_context(), services().db.session() as session:
            made["first"] = catalogue_package(session, session.get(Registration, registration_id), "u11").id
            inserted.set()
            time.sleep(0.5)  # still uncommitted while the second launch looks

    worker = threading.Thread(target=first_launch)
    worker.start()
    assert inserted.wait(30)
    with app.app_context(), services().db.session() as session:
        second = catalogue_package(session, session.get(Registration, registration_id), "u11").id
    worker.join(30)
    assert second == made["first"]


def test_an_instructor_launch_of_a_catalogue_unit_names_the_unit(app, lms_pair):
    client = app.test_client()
    login = start_login(client, lms_pair[0])
    overrides = {LTI + "custom": {"unit": "catalogue:u08"}, LTI + "resource_link": {"id": "link-u08"}}
    token = lms_pair[0].id_token(login.nonce, roles=[INSTRUCTOR], overrides=overrides)
    page = client.post("/lti/launch", data={"id_token": token, "state": login.state}).get_data(as_text=True)
    assert 'data-unit="catalogue:u08"' in page and "Unit: Nutrition and hydration (SCORM 2004)" in page
