"""`carecert package inspect`: text for people, one JSON object for machines, exit 1 when refused."""

from __future__ import annotations

import json

from click.testing import CliRunner

from lti_tool.cli import main, package_commands
from tests.scorm.manifest.builders import manifest_xml, write_zip


def run(*args: str):
    return CliRunner().invoke(main, ["package", "inspect", *map(str, args)])


def test_json_has_the_agreed_keys_and_values(corpus):
    result = run(corpus / "packages" / "golf2004e3_SequencingForcedSequential.zip", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert {"version", "edition", "title", "scos", "problems", "importable"} <= set(data)
    assert (data["version"], data["edition"], data["importable"]) == ("2004", 3, True)
    assert data["title"] == "Golf Explained - Sequencing Forced Order"
    assert len(data["scos"]) == 5
    assert data["scos"][0] == {
        "identifier": "playing_item",
        "title": "Playing the Game",
        "launch": "shared/launchpage.html?content=playing",
    }
    assert data["problems"] == []


def test_a_refused_package_exits_1_with_its_problems_in_json(corpus):
    result = run(corpus / "malformed" / "adlcts_CM-01-broken-default-org.zip", "--json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["importable"] is False
    problem = next(p for p in data["problems"] if p["code"] == "CP-031")
    assert problem == {
        "code": "CP-031",
        "severity": "error",
        "message": problem["message"],
        "location": "imsmanifest.xml:20",
    }


def test_json_for_a_12_package_has_a_null_edition(corpus):
    data = json.loads(run(corpus / "packages" / "golf12_RuntimeBasicCalls.zip", "--json").stdout)
    assert (data["version"], data["edition"]) == ("1.2", None)


def test_text_shows_version_tree_launches_counts_and_verdict(corpus):
    result = run(corpus / "packages" / "golf2004e2_ContentPackagingSingleSCO.zip")
    assert result.exit_code == 0
    text = result.stdout
    assert "Version: SCORM 2004 2nd Edition" in text
    assert "Title: Golf Explained - CP Single SCO" in text
    assert "- item_1: Golf Explained  [sco] shared/launchpage.html" in text
    assert "1 SCO(s)" in text and "Problems: none" in text
    assert text.rstrip().endswith("Result: importable")


def test_text_lists_every_problem_with_code_severity_and_place(corpus):
    result = run(corpus / "malformed" / "parser_ItemWithNonExistentResourceId_SCORM12.zip")
    assert result.exit_code == 1
    assert "error   CP-040 at imsmanifest.xml:20:" in result.stdout
    assert "Result: REFUSED (1 error(s))" in result.stdout


def test_a_package_without_a_manifest_is_explained(corpus):
    result = run(corpus / "malformed" / "moodle_validaicc_stub.zip")
    assert result.exit_code == 1
    assert "CP-003" in result.stdout and "AICC" in result.stdout


def test_strict_uses_the_schema_folder(tmp_path, corpus):
    bad = manifest_xml().replace(b"<title>Course</title>", b"<title>Course</title><extra/>")
    package = write_zip(tmp_path / "p.zip", {"imsmanifest.xml": bad, "index.html": "x"})
    assert run(package, "--json").exit_code == 0
    strict = run(package, "--json", "--strict", "--xsd-dir", corpus / "xsd")
    assert strict.exit_code == 1
    assert [p["code"] for p in json.loads(strict.stdout)["problems"]] == ["CP-050"]


def test_no_progress_output_for_a_small_package_off_a_terminal(tmp_path):
    package = write_zip(tmp_path / "p.zip", {"imsmanifest.xml": manifest_xml(), "index.html": "x"})
    result = run(package, "--json")
    assert result.stderr == ""


def test_large_packages_show_progress_on_stderr_only(tmp_path, monkeypatch):
    monkeypatch.setattr(package_commands, "LARGE_PACKAGE_BYTES", 1)
    package = write_zip(tmp_path / "p.zip", {"imsmanifest.xml": manifest_xml(), "index.html": "x" * 10000})
    result = run(package, "--json")
    assert "checked 100%" in result.stderr
    assert json.loads(result.stdout)["importable"] is True


def test_quick_skips_reading_files_back(tmp_path, monkeypatch):
    monkeypatch.setattr(package_commands, "LARGE_PACKAGE_BYTES", 1)
    package = write_zip(tmp_path / "p.zip", {"imsmanifest.xml": manifest_xml(), "index.html": "x"})
    result = run(package, "--json", "--quick")
    assert result.exit_code == 0 and result.stderr == ""


def test_a_missing_path_is_a_usage_error():
    assert run("/no/such/package.zip").exit_code == 2
