"""An unpacked folder is judged like a zip: plain files and folders only, nothing pointing anywhere."""

from __future__ import annotations

import os

import pytest

from scorm.package import Limits, open_package
from scorm.problems import PackageRefused
from tests.scorm.package.opening import refusal_codes


@pytest.fixture
def course(tmp_path):
    root = tmp_path / "course"
    (root / "content").mkdir(parents=True)
    (root / "imsmanifest.xml").write_text("<manifest/>")
    (root / "content" / "index.html").write_text("<html></html>")
    return root


def test_folder_lists_its_files_as_posix_paths(course):
    with open_package(course) as package:
        assert sorted(package.names()) == ["content/index.html", "imsmanifest.xml"]
        assert package.read("imsmanifest.xml") == b"<manifest/>"
        assert package.size("content/index.html") == len("<html></html>")


def test_folder_extracts_atomically_like_a_zip(course, tmp_path):
    with open_package(course) as package:
        package.extract_to(tmp_path / "copy")
    assert (tmp_path / "copy" / "content" / "index.html").read_text() == "<html></html>"


def test_symlink_to_a_file_outside_is_refused(course):
    (course / "passwd").symlink_to("/etc/passwd")
    assert refusal_codes(course) == ["PKG-015"]


def test_symlink_to_a_file_inside_is_refused_too(course):
    (course / "alias.html").symlink_to(course / "content" / "index.html")
    assert refusal_codes(course) == ["PKG-015"]


def test_symlinked_folder_is_refused_and_not_walked(course, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret")
    (course / "more").symlink_to(outside)
    assert refusal_codes(course) == ["PKG-015"]


def test_dangling_symlink_is_refused(course):
    (course / "gone.html").symlink_to(course / "nowhere")
    assert refusal_codes(course) == ["PKG-015"]


def test_fifo_is_refused(course):
    os.mkfifo(course / "pipe")
    assert refusal_codes(course) == ["PKG-016"]


def test_literal_backslash_in_a_file_name_is_refused(course):
    (course / "content\\page.html").write_text("x")
    assert refusal_codes(course) == ["PKG-007"]


def test_junk_in_a_folder_is_skipped(course):
    (course / ".DS_Store").write_bytes(b"\0")
    (course / "__MACOSX").mkdir()
    (course / "__MACOSX" / "._imsmanifest.xml").write_bytes(b"\0")
    with open_package(course) as package:
        assert sorted(package.names()) == ["content/index.html", "imsmanifest.xml"]
        assert sorted(package.ignored_names()) == [".DS_Store", "__MACOSX"]


def test_folder_with_too_many_items_is_refused(course):
    for index in range(10):
        (course / f"f{index}.html").write_text("x")
    assert refusal_codes(course, Limits(max_entries=5)) == ["PKG-019"]


def test_folder_bigger_than_the_limit_is_refused(course):
    (course / "video.mp4").write_bytes(bytes(2000))
    assert refusal_codes(course, Limits(max_total_bytes=1000)) == ["PKG-020"]


def test_folder_too_deep_is_refused(course):
    deep = course.joinpath(*["d"] * 6)
    deep.mkdir(parents=True)
    (deep / "x.html").write_text("x")
    assert refusal_codes(course, Limits(max_depth=4)) == ["PKG-014"]


def test_file_growing_after_the_check_is_refused_when_read(course, tmp_path):
    with open_package(course) as package:
        (course / "imsmanifest.xml").write_text("<manifest/>" * 100)
        with pytest.raises(PackageRefused) as refused:
            package.extract_to(tmp_path / "copy")
    assert [problem.code for problem in refused.value.problems] == ["PKG-027"]
    assert not (tmp_path / "copy").exists()


def test_file_swapped_for_a_symlink_after_the_check_is_not_followed(course):
    with open_package(course) as package:
        (course / "imsmanifest.xml").unlink()
        (course / "imsmanifest.xml").symlink_to("/etc/passwd")
        with pytest.raises(PackageRefused) as refused:
            package.read("imsmanifest.xml")
    assert [problem.code for problem in refused.value.problems] == ["PKG-015"]


def test_folder_swapped_for_a_symlink_after_the_check_is_not_followed(course, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_text("secret")
    with open_package(course) as package:
        (course / "content" / "index.html").unlink()
        (course / "content").rmdir()
        (course / "content").symlink_to(outside)
        with pytest.raises(PackageRefused) as refused:
            package.read("content/index.html")
    assert [problem.code for problem in refused.value.problems] == ["PKG-015"]
