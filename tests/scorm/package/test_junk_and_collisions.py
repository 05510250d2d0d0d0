"""Operating-system junk is skipped silently; names that would clash on disk are reported."""

from __future__ import annotations

import pytest

from tests.scorm.package.opening import opened, refusal_codes
from tests.scorm.package.zip_builder import Entry, files, symlink_entry

JUNK = [
    "__MACOSX/",
    "__MACOSX/._imsmanifest.xml",
    "__MACOSX/content/._index.html",
    ".DS_Store",
    "content/.DS_Store",
    "Thumbs.db",
    "images/Thumbs.db",
    "content/._index.html",
]


def test_junk_is_not_listed_and_not_a_problem(make_zip):
    with opened(make_zip(files("imsmanifest.xml", "content/index.html", *JUNK))) as package:
        assert package.names() == ["imsmanifest.xml", "content/index.html"]
        assert package.warnings() == []


def test_junk_is_reported_as_ignored(make_zip):
    with opened(make_zip(files("imsmanifest.xml", *JUNK))) as package:
        assert package.ignored_names() == JUNK


def test_junk_cannot_be_read(make_zip):
    with opened(make_zip(files("imsmanifest.xml", ".DS_Store"))) as package, pytest.raises(KeyError):
        package.read(".DS_Store")


def test_junk_entry_that_is_a_link_is_skipped_not_followed(make_zip):
    path = make_zip([*files("imsmanifest.xml"), symlink_entry("__MACOSX/._x", "/etc/passwd")])
    with opened(path) as package:
        assert package.names() == ["imsmanifest.xml"]


def test_junk_folder_name_does_not_hide_a_traversal(make_zip):
    assert refusal_codes(make_zip(files("__MACOSX/../../evil.html"))) == ["PKG-003"]


@pytest.mark.filterwarnings("ignore:Duplicate name")  # zipfile warns while the test builds the zip
def test_duplicate_name_is_refused(make_zip):
    assert refusal_codes(make_zip(files("index.html", "index.html"))) == ["PKG-022"]


def test_names_equal_after_normalising_separators_are_duplicates(make_zip):
    assert refusal_codes(make_zip(files("content/index.html", "content\\index.html"))) == ["PKG-022"]


def test_names_differing_only_in_case_open_with_a_warning(make_zip):
    with opened(make_zip(files("Index.html", "index.html"))) as package:
        assert package.names() == ["Index.html", "index.html"]
        assert [warning.code for warning in package.warnings()] == ["PKG-023"]


def test_file_that_is_also_a_folder_is_refused(make_zip):
    assert refusal_codes(make_zip(files("content", "content/index.html"))) == ["PKG-024"]


def test_file_clashing_with_an_explicit_folder_entry_is_refused(make_zip):
    path = make_zip([Entry("a/b/", b""), *files("a")])
    assert refusal_codes(path) == ["PKG-024"]
