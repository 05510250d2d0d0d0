"""Only plain files and folders: links, devices, encrypted or exotically compressed entries are refused."""

from __future__ import annotations

import random
import stat
import zipfile

import pytest

from tests.scorm.package.opening import opened, refusal_codes
from tests.scorm.package.zip_builder import Entry, clear_utf8_flags, files, symlink_entry


def test_symlink_entry_is_refused(make_zip):
    path = make_zip([*files("imsmanifest.xml"), symlink_entry("secrets.txt", "/etc/passwd")])
    assert refusal_codes(path) == ["PKG-015"]


def test_symlink_folder_entry_is_refused(make_zip):
    path = make_zip([symlink_entry("escape/", "../../.."), *files("escape/x.html")])
    assert "PKG-015" in refusal_codes(path)


def test_symlink_bits_count_even_when_entry_claims_a_windows_origin(make_zip):
    entry = symlink_entry("link.html", "/etc/passwd")
    entry.forge = {"create_system": 0}
    assert refusal_codes(make_zip([entry])) == ["PKG-015"]


@pytest.mark.parametrize("file_type", [stat.S_IFIFO, stat.S_IFCHR, stat.S_IFBLK, stat.S_IFSOCK])
def test_device_pipe_and_socket_entries_are_refused(make_zip, file_type):
    assert refusal_codes(make_zip([Entry("dev.bin", b"", mode=file_type | 0o644)])) == ["PKG-016"]


def test_unix_permissions_on_plain_files_are_accepted(make_zip):
    path = make_zip([Entry("run.sh", b"#!/bin/sh", mode=stat.S_IFREG | 0o4755)])
    with opened(path) as package:
        assert package.names() == ["run.sh"]


def test_folder_entries_are_not_listed_as_files(make_zip):
    path = make_zip([Entry("content/", b"", mode=stat.S_IFDIR | 0o755), *files("content/a.html")])
    with opened(path) as package:
        assert package.names() == ["content/a.html"]


def test_encrypted_entry_is_refused(make_zip):
    entry = Entry("index.html", b"secret", forge={"flag_bits": 0x1})
    assert refusal_codes(make_zip([entry])) == ["PKG-017"]


@pytest.mark.parametrize("method", [9, 99])  # Deflate64 (Windows Explorer, large files), AES
def test_unsupported_compression_method_is_refused(make_zip, method):
    entry = Entry("video.mp4", b"x" * 100, compression=zipfile.ZIP_STORED, forge={"compress_type": method})
    assert refusal_codes(make_zip([entry])) == ["PKG-018"]


@pytest.mark.parametrize(
    "method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA]
)
def test_standard_compression_methods_are_read(make_zip, method):
    with opened(make_zip([Entry("a.txt", b"hello " * 100, compression=method)])) as package:
        assert package.read("a.txt") == b"hello " * 100


def test_names_written_in_utf8_without_the_utf8_flag_are_decoded_as_utf8(make_zip):
    # Info-ZIP on Linux writes UTF-8 bytes without flag 0x800; zipfile would read them as CP437.
    path = clear_utf8_flags(make_zip([Entry("café.html", b"x")]))
    with opened(path) as package:
        assert package.names() == ["café.html"]
        assert package.read("café.html") == b"x"


@pytest.mark.parametrize("method", [zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA])
def test_large_bzip2_and_lzma_entries_are_read_whole_across_many_chunks(make_zip, tmp_path, method):
    rng = random.Random(7)
    words = ["care", "duty", "dignity", "privacy", "safeguarding", "communication"]
    text = " ".join(rng.choice(words) for _ in range(250_000))
    data = text.encode()  # about 2 MB: three 900 kB bzip2 blocks, many bounded reads
    with opened(make_zip([Entry("data.js", data, compression=method)])) as package:
        assert package.read("data.js") == data
        package.extract_to(tmp_path / "course")
    assert (tmp_path / "course" / "data.js").read_bytes() == data
