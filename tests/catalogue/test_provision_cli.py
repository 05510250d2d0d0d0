"""`carecert catalogue install`: provide every unit's package in the tool's data folder, a line for each."""

from __future__ import annotations

from click.testing import CliRunner

from lti_tool.catalogue.provision import find_provisioned
from lti_tool.cli import main


def install(data_dir, *args: str, **env: str):
    environment = {"CARECERT_DATA_DIR": str(data_dir), "CARECERT_CONFIG_FILE": "", **env}
    return CliRunner().invoke(main, ["catalogue", "install", *args], env=environment)


def test_install_builds_every_unit_into_an_empty_data_folder(tmp_path):
    result = install(tmp_path)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [line.split()[:4] for line in lines[:2]] == [["u01", "SCORM", "2004", "built"]] + [
        ["u02", "SCORM", "2004", "built"]
    ]
    assert lines[-1] == f"15 unit(s) ready in {tmp_path.resolve()} (15 built, 0 found)"
    assert find_provisioned(tmp_path, "u15") is not None


def test_a_second_install_finds_every_package(tmp_path):
    install(tmp_path)
    result = install(tmp_path)
    assert result.exit_code == 0 and result.output.splitlines()[-1].endswith("(0 built, 15 found)")
    assert all(" found " in line for line in result.output.splitlines()[:15])


def test_the_scorm_option_overrides_the_setting(tmp_path):
    result = install(tmp_path, "--scorm", "1.2", CARECERT_CATALOGUE_SCORM_VERSION="2004")
    assert result.exit_code == 0 and result.output.splitlines()[0].split()[:3] == ["u01", "SCORM", "1.2"]
    assert find_provisioned(tmp_path, "u01", "1.2") is not None
    assert find_provisioned(tmp_path, "u01", "2004") is None


def test_the_setting_chooses_the_version_without_the_option(tmp_path):
    result = install(tmp_path, CARECERT_CATALOGUE_SCORM_VERSION="1.2")
    assert result.exit_code == 0 and " SCORM 1.2 " in result.output.splitlines()[0]


def test_a_version_the_catalogue_cannot_serve_is_refused_plainly(tmp_path):
    result = install(tmp_path, CARECERT_CATALOGUE_SCORM_VERSION="3")
    assert result.exit_code == 1
    assert "CATALOGUE_SCORM_VERSION must be 2004 or 1.2, not '3'" in result.output
