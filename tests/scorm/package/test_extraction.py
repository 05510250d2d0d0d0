"""Extraction writes every file and is atomic: a refused package leaves nothing behind."""

from __future__ import annotations

import stat
import zipfile

import pytest

from scorm.problems import PackageRefused
from tests.scorm.package.opening import opened
from tests.scorm.package.zip_builder import Entry, MiB, bomb_entry, files


def leftovers(folder) -> list[str]:
    return sorted(path.name for path in folder.iterdir() if not path.name.endswith(".zip"))


def test_extraction_writes_every_file_with_its_content(make_zip, tmp_path):
    names = ["imsmanifest.xml", "content/index.html", "content/media/clip.mp4", "a/b/c/d.js"]
    with opened(make_zip(files(*names))) as package:
        package.extract_to(tmp_path / "course")
    for name in names:
        assert (tmp_path / "course" / name).read_bytes() == f"data of {name}".encode()


def test_extraction_skips_junk(make_zip, tmp_path):
    with opened(make_zip(files("index.html", "__MACOSX/._index.html", ".DS_Store"))) as package:
        package.extract_to(tmp_path / "course")
    assert sorted(path.name for path in (tmp_path / "course").iterdir()) == ["index.html"]


def test_extraction_uses_backslash_names_as_folders(make_zip, tmp_path):
    with opened(make_zip(files("content\\index.html"))) as package:
        package.extract_to(tmp_path / "course")
    assert (tmp_path / "course" / "content" / "index.html").is_file()


def test_extraction_streams_large_entries(make_zip, tmp_path):
    big = bytes(range(256)) * (12 * MiB // 256)
    with opened(make_zip([Entry("video.mp4", big, compression=zipfile.ZIP_STORED)])) as package:
        package.extract_to(tmp_path / "course")
    assert (tmp_path / "course" / "video.mp4").read_bytes() == big


def test_extracted_files_get_no_permission_bits_from_the_package(make_zip, tmp_path):
    path = make_zip([Entry("run.sh", b"#!/bin/sh", mode=stat.S_IFREG | 0o6777)])
    with opened(path) as package:
        package.extract_to(tmp_path / "course")
    mode = (tmp_path / "course" / "run.sh").stat().st_mode
    assert not mode & (stat.S_ISUID | stat.S_ISGID | stat.S_IXUSR | stat.S_IWOTH)


def test_extraction_refuses_an_existing_destination(make_zip, tmp_path):
    (tmp_path / "course").mkdir()
    (tmp_path / "course" / "keep.txt").write_text("mine")
    with opened(make_zip(files("index.html"))) as package, pytest.raises(FileExistsError):
        package.extract_to(tmp_path / "course")
    assert [path.name for path in (tmp_path / "course").iterdir()] == ["keep.txt"]


def test_extraction_creates_missing_parent_folders(make_zip, tmp_path):
    with opened(make_zip(files("index.html"))) as package:
        package.extract_to(tmp_path / "store" / "tenant" / "course")
    assert (tmp_path / "store" / "tenant" / "course" / "index.html").is_file()


def test_package_refused_halfway_through_extraction_leaves_nothing(make_zip, tmp_path):
    entries = [*files(*[f"page{i}.html" for i in range(5)]), bomb_entry("z.bin", 8 * MiB, declared_bytes=100)]
    with opened(make_zip(entries)) as package, pytest.raises(PackageRefused):
        package.extract_to(tmp_path / "course")
    assert leftovers(tmp_path) == []


def test_write_failure_halfway_through_extraction_leaves_nothing(make_zip, tmp_path, monkeypatch):
    with opened(make_zip(files("a.html", "b.html", "c.html"))) as package:
        real_open = package._open_checked
        calls = iter(range(10))

        def failing_open(name, budget):
            if next(calls) == 2:
                raise OSError(28, "No space left on device")
            return real_open(name, budget)

        monkeypatch.setattr(package, "_open_checked", failing_open)
        with pytest.raises(OSError, match="No space"):
            package.extract_to(tmp_path / "course")
    assert leftovers(tmp_path) == []


def test_the_same_package_extracts_twice_to_different_places(make_zip, tmp_path):
    with opened(make_zip(files("index.html"))) as package:
        package.extract_to(tmp_path / "one")
        package.extract_to(tmp_path / "two")
    assert (tmp_path / "two" / "index.html").read_bytes() == (tmp_path / "one" / "index.html").read_bytes()


def test_extracted_folders_are_readable_by_the_web_server(make_zip, tmp_path):
    with opened(make_zip(files("content/index.html"))) as package:
        package.extract_to(tmp_path / "course")
    assert (tmp_path / "course").stat().st_mode & 0o005 == 0o005


def test_destination_created_during_extraction_is_kept_and_reported(make_zip, tmp_path, monkeypatch):
    dest = tmp_path / "course"
    with opened(make_zip(files("a.html", "b.html"))) as package:
        real_open = package._open_checked

        def rival_import_wins(name, budget):
            if name == "b.html":  # another worker finishes the same import meanwhile
                dest.mkdir()
                (dest / "a.html").write_text("rival")
            return real_open(name, budget)

        monkeypatch.setattr(package, "_open_checked", rival_import_wins)
        with pytest.raises(FileExistsError):
            package.extract_to(dest)
    assert (dest / "a.html").read_text() == "rival"
    assert leftovers(tmp_path) == ["course"]


def test_extraction_reports_progress_in_bytes(make_zip, tmp_path):
    progress = []
    with opened(make_zip([Entry("a.bin", bytes(100)), Entry("b.bin", bytes(300))])) as package:
        package.extract_to(
            tmp_path / "course", on_progress=lambda done, total: progress.append((done, total))
        )
    assert progress == [(100, 400), (400, 400)]
