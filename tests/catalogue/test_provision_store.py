"""Provisioning the catalogue's packages in a data folder: build once, find afterwards, rebuild on change,
survive a crash halfway, refuse what our importer would not accept."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import scorm.inspect
from lti_tool.catalogue import provision
from lti_tool.catalogue.loader import UNITS_DIR
from lti_tool.catalogue.provision import (
    ProvisionError,
    find_provisioned,
    provision_catalogue,
    scorm_version_setting,
)
from scorm.inspect import inspect_package
from scorm.problems import Problem, Severity


@pytest.fixture
def units_dir(tmp_path) -> Path:
    """A small catalogue: copies of two real unit files, free to change."""
    folder = tmp_path / "units"
    folder.mkdir()
    for unit_id in ("u01", "u02"):
        shutil.copy(UNITS_DIR / f"{unit_id}.yaml", folder / f"{unit_id}.yaml")
    return folder


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


def change_wording(units_dir: Path, unit_id: str) -> None:
    file = units_dir / f"{unit_id}.yaml"
    text = file.read_text(encoding="utf-8")
    changed = text.replace("Know what your job is for", "Know what your work is for", 1)
    assert changed != text
    file.write_text(changed, encoding="utf-8")


def stamps(folder: Path) -> dict[str, int]:
    return {str(path): path.stat().st_mtime_ns for path in folder.rglob("*")}


def test_an_empty_data_folder_gets_every_real_unit_imported_cleanly(data_dir):
    outcome = provision_catalogue(data_dir)
    unit_ids = [f"u{number:02d}" for number in range(1, 16)]
    assert sorted(outcome.imported) == unit_ids and outcome.failed == {}
    assert [package.unit_id for package in outcome.packages] == unit_ids
    for package in outcome.packages:
        report = inspect_package(package.folder(data_dir))
        assert report.importable and report.problems == [], (package.unit_id, report.problems)
        assert report.version == "2004" and package.scorm_version == "2004"
        assert package.storage_path.startswith("catalogue/packages/") and package.sco_count == 1


def test_a_second_run_finds_the_packages_and_builds_nothing(data_dir, units_dir):
    provision_catalogue(data_dir, units_dir=units_dir)
    before, builds = stamps(data_dir / "catalogue"), provision.build_count
    outcome = provision_catalogue(data_dir, units_dir=units_dir)
    assert outcome.found == ["u01", "u02"] and outcome.imported == []
    assert provision.build_count == builds
    assert stamps(data_dir / "catalogue") == before


def test_a_changed_unit_gets_a_new_package_and_the_others_are_kept(data_dir, units_dir):
    first = {p.unit_id: p for p in provision_catalogue(data_dir, units_dir=units_dir).packages}
    change_wording(units_dir, "u01")
    outcome = provision_catalogue(data_dir, units_dir=units_dir)
    second = {p.unit_id: p for p in outcome.packages}
    assert outcome.imported == ["u01"] and outcome.found == ["u02"]
    assert second["u01"].content_id != first["u01"].content_id
    assert second["u01"].storage_path != first["u01"].storage_path
    assert second["u02"] == first["u02"]
    # Attempts begun on the old package keep their files.
    assert (first["u01"].folder(data_dir) / "imsmanifest.xml").is_file()


def test_a_builder_change_that_builds_the_same_bytes_keeps_the_package_folder(
    data_dir, units_dir, monkeypatch
):
    first = provision_catalogue(data_dir, units_dir=units_dir).packages[0]
    monkeypatch.setattr(provision, "builder_fingerprint", lambda: "a-reformatted-builder")
    outcome = provision_catalogue(data_dir, units_dir=units_dir)
    again = outcome.packages[0]
    assert outcome.imported == ["u01", "u02"]  # looked at again: the builder may have changed its output
    assert again.source_key != first.source_key
    assert again.storage_path == first.storage_path and again.content_id == first.content_id


def test_the_scorm_12_setting_provisions_scorm_12_packages_beside_the_2004_ones(data_dir, units_dir):
    in_2004 = provision_catalogue(data_dir, "2004", units_dir=units_dir).packages[0]
    in_12 = provision_catalogue(data_dir, "1.2", units_dir=units_dir).packages[0]
    assert in_12.scorm_version == "1.2" and inspect_package(in_12.folder(data_dir)).version == "1.2"
    assert in_12.storage_path != in_2004.storage_path
    assert (in_2004.folder(data_dir) / "imsmanifest.xml").is_file()


@pytest.mark.parametrize("setting", ["2004 4th Edition", "1.3", "scorm", "12"])
def test_an_unknown_scorm_version_setting_is_refused_naming_the_choices(setting):
    with pytest.raises(ProvisionError, match="CATALOGUE_SCORM_VERSION must be 2004 or 1.2"):
        scorm_version_setting(setting)


def test_an_empty_scorm_version_setting_means_2004():
    assert scorm_version_setting("") == "2004" and scorm_version_setting(None) == "2004"


def test_find_provisioned_builds_nothing_and_sees_what_provisioning_made(data_dir, units_dir):
    assert find_provisioned(data_dir, "u02", units_dir=units_dir) is None
    assert not (data_dir / "catalogue").exists()
    (built,) = provision_catalogue(data_dir, units_dir=units_dir, only=["u02"]).packages
    assert find_provisioned(data_dir, "u02", units_dir=units_dir) == built
    assert find_provisioned(data_dir, "u01", units_dir=units_dir) is None
    assert find_provisioned(data_dir, "u99", units_dir=units_dir) is None


def test_a_crash_after_extracting_leaves_no_index_entry_and_the_next_run_completes(
    data_dir, units_dir, monkeypatch
):
    def crash(path, text):
        raise KeyboardInterrupt("the process is killed before the index entry is written")

    with monkeypatch.context() as patched:
        patched.setattr(provision, "_write_atomically", crash)
        with pytest.raises(KeyboardInterrupt):
            provision_catalogue(data_dir, units_dir=units_dir, only=["u01"])
    assert find_provisioned(data_dir, "u01", units_dir=units_dir) is None
    outcome = provision_catalogue(data_dir, units_dir=units_dir, only=["u01"])
    (package,) = outcome.packages
    assert outcome.imported == ["u01"]
    assert inspect_package(package.folder(data_dir)).problems == []


def test_leftovers_of_a_crash_are_removed_by_the_next_build(data_dir, units_dir):
    store = data_dir / "catalogue"
    for folder in ("work", "packages/.abc.x1.partial", "index"):
        (store / folder).mkdir(parents=True)
    (store / "work" / "half.zip").write_bytes(b"PK half a zip")
    (store / "packages" / ".abc.x1.partial" / "index.html").write_text("half")
    (store / "index" / "tmpx.part").write_text("{")
    provision_catalogue(data_dir, units_dir=units_dir)
    assert not (store / "work").exists()
    assert list(store.glob("packages/*.partial")) == [] and list(store.glob("index/*.part")) == []


def test_a_damaged_index_entry_or_a_removed_folder_is_built_again(data_dir, units_dir):
    u01, u02 = provision_catalogue(data_dir, units_dir=units_dir).packages
    next((data_dir / "catalogue" / "index").glob("u01-*.json")).write_text("{not json")
    shutil.rmtree(u02.folder(data_dir))
    outcome = provision_catalogue(data_dir, units_dir=units_dir)
    assert outcome.imported == ["u01", "u02"] and outcome.packages == [u01, u02]
    assert (u02.folder(data_dir) / "imsmanifest.xml").is_file()


def test_a_unit_that_cannot_be_read_is_reported_and_the_others_are_provided(data_dir, units_dir):
    (units_dir / "u03.yaml").write_text("id: u03\ntitle: [unclosed", encoding="utf-8")
    outcome = provision_catalogue(data_dir, units_dir=units_dir)
    assert [p.unit_id for p in outcome.packages] == ["u01", "u02"]
    assert list(outcome.failed) == ["u03"] and "not valid YAML" in outcome.failed["u03"]


def test_a_package_our_importer_has_anything_to_say_about_is_not_offered(data_dir, units_dir, monkeypatch):
    real_inspect = scorm.inspect.inspect_package

    def inspect_with_a_warning(path, *args, **kwargs):
        report = real_inspect(path, *args, **kwargs)
        report.problems.append(Problem("CP-999", Severity.WARNING, "a warning about the manifest"))
        return report

    monkeypatch.setattr(scorm.inspect, "inspect_package", inspect_with_a_warning)
    outcome = provision_catalogue(data_dir, units_dir=units_dir, only=["u01"])
    assert outcome.packages == [] and "CP-999 a warning about the manifest" in outcome.failed["u01"]
    assert not (data_dir / "catalogue" / "packages").exists() or not any(
        (data_dir / "catalogue" / "packages").iterdir()
    )


def test_the_index_entry_records_what_the_player_and_the_picker_need(data_dir, units_dir):
    (package,) = provision_catalogue(data_dir, units_dir=units_dir, only=["u01"]).packages
    entry = json.loads(next((data_dir / "catalogue" / "index").glob("u01-scorm2004-*.json")).read_text())
    assert entry["unit_id"] == "u01" and entry["title"] == "Understand your role"
    assert entry["identifier"] == "carecert-u01-v1" and entry["standards"] == [1]
    assert entry["observation_required"] is True and entry["content_id"] == package.content_id
    assert package.ref == "catalogue:u01"


def test_the_picker_hides_catalogue_rows_by_the_prefix_provisioning_stores_them_under():
    from lti_tool import units

    assert units.CATALOGUE_STORAGE_PREFIX == provision.STORAGE_PREFIX
