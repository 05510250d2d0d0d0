"""`carecert catalogue build`: one package per unit and SCORM version, a line for each, clear errors."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from lti_tool import catalogue
from lti_tool.cli import main
from tests.scorm.builder.unit_fixture import make_unit


@pytest.fixture
def two_units(monkeypatch):
    units = [make_unit(id="u97", title="First"), make_unit(id="u98", title="Second")]
    monkeypatch.setattr(catalogue, "load_catalogue", lambda: units)
    return units


def run(*args: str):
    return CliRunner().invoke(main, ["catalogue", "build", *args])


def test_builds_one_scorm_2004_package_per_unit_by_default(two_units, tmp_path):
    result = run("--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "carecert-u97-v3-scorm2004.zip",
        "carecert-u98-v3-scorm2004.zip",
    ]


def test_prints_a_line_per_package_naming_unit_version_and_path(two_units, tmp_path):
    lines = run("--out", str(tmp_path), "--scorm", "1.2").output.splitlines()
    assert [line.split()[:3] for line in lines[:2]] == [["u97", "SCORM", "1.2"], ["u98", "SCORM", "1.2"]]
    assert str(tmp_path / "carecert-u97-v3-scorm12.zip") in lines[0]
    assert lines[-1] == f"2 package(s) in {tmp_path}"


def test_both_builds_each_unit_in_both_versions(two_units, tmp_path):
    assert run("--out", str(tmp_path), "--scorm", "both").exit_code == 0
    assert len(list(tmp_path.glob("*.zip"))) == 4


def test_unit_option_builds_only_the_units_named(two_units, tmp_path):
    assert run("--out", str(tmp_path), "--unit", "u98").exit_code == 0
    assert [p.name for p in tmp_path.iterdir()] == ["carecert-u98-v3-scorm2004.zip"]


def test_an_unknown_unit_is_a_usage_error_listing_the_known_ones(two_units, tmp_path):
    result = run("--out", str(tmp_path), "--unit", "u42")
    assert result.exit_code == 2
    assert "no unit u42 in the catalogue (it has u97, u98)" in result.output
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_scorm_version_is_a_usage_error(two_units, tmp_path):
    assert run("--out", str(tmp_path), "--scorm", "1.3").exit_code == 2


def test_a_unit_that_cannot_be_built_is_reported_without_a_traceback(monkeypatch, tmp_path):
    monkeypatch.setattr(catalogue, "load_catalogue", lambda: [make_unit(title="")])
    result = run("--out", str(tmp_path))
    assert result.exit_code == 1
    assert "Error: unit u99 cannot be built: title: must be non-empty text" in result.output


def test_an_unreadable_catalogue_is_reported_plainly(monkeypatch, tmp_path):
    def broken():
        raise catalogue.CatalogueError("u03.yaml: not valid YAML")

    monkeypatch.setattr(catalogue, "load_catalogue", broken)
    result = run("--out", str(tmp_path))
    assert result.exit_code == 1
    assert "the catalogue cannot be read: u03.yaml: not valid YAML" in result.output


def test_an_output_path_that_is_a_file_is_reported_plainly(two_units, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = run("--out", str(blocker / "sub"))
    assert result.exit_code == 1
    assert "cannot write to" in result.output


def test_rebuilding_gives_byte_identical_packages(two_units, tmp_path):
    run("--out", str(tmp_path / "a"))
    run("--out", str(tmp_path / "b"))
    for first in (tmp_path / "a").iterdir():
        assert first.read_bytes() == (tmp_path / "b" / first.name).read_bytes()


def test_every_catalogue_unit_builds_into_packages_the_importer_accepts(tmp_path, corpus):
    inspect = pytest.importorskip("scorm.inspect", reason="scorm.inspect is not available")
    result = run("--out", str(tmp_path), "--scorm", "both")
    assert result.exit_code == 0, result.output
    packages = sorted(tmp_path.glob("*.zip"))
    assert len(packages) == 2 * len(catalogue.load_catalogue())
    for package in packages:
        report = inspect.inspect_package(package, strict=True, xsd_dir=corpus / "xsd", check_files=True)
        problems = [str(p) for p in report.problems if "strict check skipped" not in p.message]
        assert (package.name, report.importable, problems) == (package.name, True, [])
