"""inspect_package: one call from a path to a report; bad packages are reports, never exceptions."""

from __future__ import annotations

import json
import zipfile

from scorm.inspect import inspect_package
from tests.scorm.manifest.builders import manifest_xml, write_zip
from tests.scorm.manifest.test_safe_xml import BILLION_LAUGHS

GOOD_FILES = {"imsmanifest.xml": manifest_xml(), "index.html": "<html>unit</html>"}


def test_a_sound_package_is_importable_with_its_scos(tmp_path):
    report = inspect_package(write_zip(tmp_path / "p.zip", GOOD_FILES))
    assert report.importable and report.problems == []
    assert (report.version, report.edition, report.title) == ("2004", 4, "Course")
    assert [(s.identifier, s.title, s.launch) for s in report.scos] == [("item1", "Unit 1", "index.html")]
    assert report.counts["files"] == 2 and report.counts["scos"] == 1


def test_an_unpacked_folder_is_inspected_the_same_way(tmp_path):
    folder = tmp_path / "course"
    folder.mkdir()
    for name, content in GOOD_FILES.items():
        (folder / name).write_bytes(content if isinstance(content, bytes) else content.encode())
    report = inspect_package(folder)
    assert report.importable and [s.launch for s in report.scos] == ["index.html"]


def test_a_missing_path_is_a_refused_report(tmp_path):
    report = inspect_package(tmp_path / "nothing.zip")
    assert report.importable is False and report.problems
    assert report.manifest is None and report.to_dict()["version"] is None


def test_a_file_that_is_not_a_zip_is_a_refused_report(tmp_path):
    path = tmp_path / "fake.zip"
    path.write_bytes(b"this is not a zip archive")
    report = inspect_package(path)
    assert report.importable is False
    assert all(p.code.startswith(("PKG-", "CP-")) for p in report.problems)


def test_path_traversal_is_refused_by_opening(tmp_path):
    report = inspect_package(write_zip(tmp_path / "evil.zip", {**GOOD_FILES, "../escape.html": "x"}))
    assert report.importable is False
    assert any(p.code.startswith("PKG-") for p in report.problems)


def test_a_billion_laughs_manifest_in_a_package_is_cp011(tmp_path):
    report = inspect_package(write_zip(tmp_path / "bomb.zip", {"imsmanifest.xml": BILLION_LAUGHS}))
    assert [p.code for p in report.problems] == ["CP-011"]
    assert report.importable is False


def test_checking_files_reports_progress_up_to_the_total(tmp_path):
    files = {**GOOD_FILES, "media/big.bin": bytes(range(256)) * 8000}
    seen: list[tuple[int, int]] = []
    report = inspect_package(
        write_zip(tmp_path / "p.zip", files), check_files=True, on_progress=lambda d, t: seen.append((d, t))
    )
    assert report.importable
    total = report.counts["bytes"]
    assert seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_a_damaged_entry_is_found_when_files_are_checked(tmp_path):
    path = tmp_path / "damaged.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, content in GOOD_FILES.items():
            archive.writestr(name, content)
        archive.writestr("media/clip.bin", b"A" * 5000)
    data = bytearray(path.read_bytes())
    at = data.index(b"A" * 5000)
    data[at + 100 : at + 104] = b"BBBB"  # the stored CRC no longer matches
    path.write_bytes(bytes(data))
    assert inspect_package(path).importable  # names and manifest alone look fine
    report = inspect_package(path, check_files=True)
    assert report.importable is False
    assert any(p.location == "media/clip.bin" for p in report.problems)


def test_strict_mode_adds_schema_problems(tmp_path, corpus):
    bad = manifest_xml().replace(b"<title>Course</title>", b"<title>Course</title><extra/>")
    report = inspect_package(write_zip(tmp_path / "p.zip", {**GOOD_FILES, "imsmanifest.xml": bad}))
    assert report.importable
    strict = inspect_package(tmp_path / "p.zip", strict=True, xsd_dir=corpus / "xsd")
    assert [p.code for p in strict.problems] == ["CP-050"] and not strict.importable


def test_to_dict_is_one_json_object_with_the_agreed_keys(tmp_path):
    report = inspect_package(write_zip(tmp_path / "p.zip", GOOD_FILES))
    data = json.loads(json.dumps(report.to_dict(include_manifest=True)))
    assert {
        "version",
        "edition",
        "title",
        "scos",
        "problems",
        "importable",
        "organizations",
        "counts",
    } <= set(data)
    assert data["scos"] == [{"identifier": "item1", "title": "Unit 1", "launch": "index.html"}]
    assert data["organizations"][0]["items"][0]["launch"] == "index.html"
    assert data["manifest"]["resources"][0]["identifier"] == "res1"
