"""Every real package of the shared corpus opens, lists its files and extracts them intact."""

from __future__ import annotations

import zipfile

import pytest

from scorm.package import open_package
from tests.conftest import CORPUS

PACKAGES = sorted((CORPUS / "packages").glob("*.zip")) + sorted((CORPUS / "malformed").glob("*.zip"))
# The malformed packages have bad manifests, not bad zips: opening them is the validator's business.
WITHOUT_MANIFEST = {
    "moodle_invalid_no_manifest.zip",
    "moodle_badscorm_manifest_in_subdir.zip",
    "moodle_validaicc_stub.zip",
}


@pytest.mark.parametrize("package_path", PACKAGES, ids=lambda path: path.name)
def test_corpus_package_opens_and_lists_its_files(corpus, package_path):
    with open_package(package_path) as package:
        names = package.names()
    assert names
    assert all(not name.startswith("/") and ".." not in name.split("/") for name in names)
    assert ("imsmanifest.xml" in names) is (package_path.name not in WITHOUT_MANIFEST)


@pytest.mark.parametrize("package_path", PACKAGES, ids=lambda path: path.name)
def test_corpus_package_extracts_the_same_bytes_zipfile_reads(corpus, package_path, tmp_path):
    with open_package(package_path) as package:
        package.extract_to(tmp_path / "course")
        names = package.names()
    with zipfile.ZipFile(package_path) as reference:
        for name in names:
            assert (tmp_path / "course" / name).read_bytes() == reference.read(name), name


def test_macosx_junk_of_the_moodle_package_is_ignored(corpus):
    with open_package(corpus / "packages" / "moodle_complexscorm_12.zip") as package:
        assert not any(name.startswith("__MACOSX") for name in package.names())
        assert any(name.startswith("__MACOSX/") for name in package.ignored_names())


def test_corpus_is_present(corpus):
    assert PACKAGES, f"no packages found in {CORPUS}"
