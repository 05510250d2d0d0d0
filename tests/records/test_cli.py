"""`carecert records export` in every format and `carecert records verify` on what it wrote."""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from lti_tool.cli import main
from tests.databases import throwaway_database
from tests.records.ascwds_rules import read_training_file
from tests.records.world import make_world


@pytest.fixture
def setup(tmp_path, monkeypatch):
    with throwaway_database("sqlite", tmp_path, "cli.sqlite3") as url:
        monkeypatch.setenv("CARECERT_DATABASE_URL", url)
        monkeypatch.setenv("CARECERT_DATA_DIR", str(tmp_path))
        monkeypatch.setenv("CARECERT_BASE_URL", "https://tool.example.org")
        monkeypatch.setenv(
            "CARECERT_RECORDS_ASCWDS_CATEGORIES", json.dumps({f"u{n:02d}": 30 + n for n in range(1, 16)})
        )
        world = make_world(url)
        world.add_learner("Ann Smith")
        world.achieve("Ann Smith", "u01")
        world.achieve("Ann Smith", "u02")
        yield world, tmp_path
        world.db.dispose()


def run(*args: str):
    return CliRunner().invoke(main, ["records", *args], catch_exceptions=False)


def test_ob3_export_writes_credentials_that_verify(setup):
    world, tmp_path = setup
    result = run("export", "--format", "ob3", "--course", "C1", "--out", str(tmp_path / "ob3"))
    assert result.exit_code == 0, result.output
    files = sorted((tmp_path / "ob3" / "lms-ann-smith").iterdir())
    assert [f.name for f in files] == ["u01.json", "u01.jwt", "u02.json", "u02.jwt"]
    for file in files:
        verified = run("verify", str(file))
        assert verified.exit_code == 0 and "genuine" in verified.output


def test_clr_export_writes_a_passport_that_verifies_unit_by_unit(setup):
    _, tmp_path = setup
    assert run("export", "--format", "clr", "--course", "C1", "--out", str(tmp_path / "clr")).exit_code == 0
    report = json.loads(
        run("verify", "--json", str(tmp_path / "clr" / "lms-ann-smith" / "passport.json")).output
    )
    assert report["valid"] and len(report["units"]) == 2


def test_a_revoked_credential_fails_verify_with_exit_code_1(setup):
    _, tmp_path = setup
    run("export", "--format", "ob3", "--course", "C1", "--out", str(tmp_path / "ob3"))
    document = json.loads((tmp_path / "ob3" / "lms-ann-smith" / "u01.json").read_text())
    assert run("revoke", document["id"].removeprefix("urn:uuid:"), "--reason", "test").exit_code == 0
    result = CliRunner().invoke(
        main, ["records", "verify", str(tmp_path / "ob3" / "lms-ann-smith" / "u01.json")]
    )
    assert result.exit_code == 1 and "revoked" in result.output


def test_xapi_export_is_json_lines(setup):
    _, tmp_path = setup
    assert (
        run("export", "--format", "xapi", "--course", "C1", "--out", str(tmp_path / "x.jsonl")).exit_code == 0
    )
    lines = (tmp_path / "x.jsonl").read_text().splitlines()
    assert len(lines) == 8 and all(json.loads(line)["verb"]["id"] for line in lines)


def test_ascwds_export_writes_the_training_file_for_mapped_learners(setup):
    _, tmp_path = setup
    mapping = tmp_path / "ids.csv"
    mapping.write_text("lms_user_id,LOCALESTID,UNIQUEWORKERID\nlms-ann-smith,WP1,W1\n")
    assert run("workforce-ids", str(mapping), "--registration", "1").exit_code == 0
    assert (
        run("export", "--format", "ascwds", "--course", "C1", "--out", str(tmp_path / "t.csv")).exit_code == 0
    )
    rows, problems = read_training_file(
        (tmp_path / "t.csv").read_text(), set(range(31, 46)), date(2026, 12, 31)
    )
    assert problems == [] and len(rows) == 2
    assert (tmp_path / "t-staff.csv").exists()


def test_an_unknown_course_is_a_clear_error(setup):
    _, tmp_path = setup
    result = CliRunner().invoke(
        main, ["records", "export", "--format", "ob3", "--course", "nope", "--out", str(tmp_path)]
    )
    assert result.exit_code != 0 and "no course 'nope'" in result.output


def test_the_categories_command_lists_codes_and_the_units_mapping(setup):
    result = run("ascwds-categories")
    assert result.exit_code == 0, result.output
    assert "  u01   31  Mental health" in result.output  # the setting of this test overrides the bundled 21
    assert "   34  Duty of care" in result.output
