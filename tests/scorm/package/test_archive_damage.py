"""Things that are not zips, or damaged zips, are refused clearly."""

from __future__ import annotations

import os
import zipfile

import pytest

from scorm.package import open_package
from scorm.problems import PackageRefused
from tests.scorm.package.opening import opened, refusal_codes
from tests.scorm.package.zip_builder import Entry, files


def test_text_file_is_not_a_zip(tmp_path):
    path = tmp_path / "course.zip"
    path.write_text("<html>not a zip</html>")
    assert refusal_codes(path) == ["PKG-001"]


def test_empty_file_is_not_a_zip(tmp_path):
    path = tmp_path / "course.zip"
    path.write_bytes(b"")
    assert refusal_codes(path) == ["PKG-001"]


def test_truncated_zip_is_refused(make_zip):
    path = make_zip(files(*[f"page{i}.html" for i in range(20)]))
    path.write_bytes(path.read_bytes()[:-60])
    assert refusal_codes(path) == ["PKG-001"]


def test_zip_with_damaged_central_directory_is_refused(make_zip):
    path = make_zip(files("a.html", "b.html"))
    data = bytearray(path.read_bytes())
    data[data.find(b"PK\x01\x02") : data.find(b"PK\x01\x02") + 4] = b"XXXX"
    path.write_bytes(bytes(data))
    assert refusal_codes(path) == ["PKG-001"]


def test_refusal_message_says_what_to_do(tmp_path):
    path = tmp_path / "course.zip"
    path.write_text("nope")
    with pytest.raises(PackageRefused) as refused:
        open_package(path)
    assert "upload the .zip again" in refused.value.problems[0].message


def test_missing_path_is_refused(tmp_path):
    assert refusal_codes(tmp_path / "absent.zip") == ["PKG-002"]


def test_path_that_is_a_pipe_is_refused_without_blocking(tmp_path):
    os.mkfifo(tmp_path / "course.zip")
    assert refusal_codes(tmp_path / "course.zip") == ["PKG-002"]


def test_corrupted_entry_data_fails_its_crc_when_read(make_zip):
    path = make_zip([Entry("a.txt", b"hello world", compression=zipfile.ZIP_STORED)])
    data = path.read_bytes().replace(b"hello world", b"hellO world")
    path.write_bytes(data)
    with opened(path) as package, pytest.raises(PackageRefused) as refused:
        package.read("a.txt")
    assert [problem.code for problem in refused.value.problems] == ["PKG-025"]


def test_corrupted_deflate_stream_is_refused_when_read(make_zip):
    path = make_zip([Entry("a.txt", b"some text " * 1000)])
    data = bytearray(path.read_bytes())
    start = data.find(b"a.txt") + len("a.txt")
    data[start + 5 : start + 40] = bytes(35)
    path.write_bytes(bytes(data))
    with opened(path) as package, pytest.raises(PackageRefused) as refused:
        package.read("a.txt")
    assert refused.value.problems[0].code in ("PKG-025", "PKG-026")


def test_local_header_name_differing_from_directory_is_refused_when_read(make_zip):
    path = make_zip(files("good.html"))
    data = path.read_bytes()
    local_name_at = data.find(b"good.html")  # the first copy is the local header's
    path.write_bytes(data[:local_name_at] + b"evil.html" + data[local_name_at + 9 :])
    with opened(path) as package, pytest.raises(PackageRefused) as refused:
        package.read("good.html")
    assert [problem.code for problem in refused.value.problems] == ["PKG-026"]


@pytest.mark.parametrize("method", ["read", "size", "open"])
def test_absent_name_raises_key_error(make_zip, method):
    with opened(make_zip(files("a.html"))) as package, pytest.raises(KeyError):
        getattr(package, method)("b.html")


def test_reading_a_closed_package_is_a_programming_error_not_damage(make_zip):
    package = opened(make_zip(files("a.html")))
    package.close()
    package.close()
    with pytest.raises(ValueError, match="closed"):
        package.read("a.html")
