"""Bounds: entry count, total size, compression ratio (zip bombs), and sizes counted, not believed."""

from __future__ import annotations

import bz2
import lzma
import struct
import tracemalloc
import zipfile

import pytest

from scorm.package import Limits
from scorm.problems import PackageRefused
from tests.scorm.package.opening import opened, refusal_codes
from tests.scorm.package.zip_builder import Entry, MiB, bomb_entry, files

GiB = 1024 * MiB


def test_defaults_accept_a_large_video_course():
    limits = Limits()
    assert limits.max_total_bytes >= 2 * GiB
    assert limits.max_entries >= 20_000


def test_limits_must_be_positive():
    with pytest.raises(ValueError, match="max_entries"):
        Limits(max_entries=0)


def test_more_entries_than_the_limit_is_refused(make_zip):
    path = make_zip(files(*[f"f{i}.html" for i in range(11)]))
    assert refusal_codes(path, Limits(max_entries=10)) == ["PKG-019"]


def test_entry_count_is_checked_from_the_end_record_before_parsing(make_zip):
    path = make_zip(files("a.html"))
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", data, end + 8, 60_000, 60_000)  # declare 60,000 entries
    path.write_bytes(bytes(data))
    assert refusal_codes(path) == ["PKG-019"]


def test_declared_total_beyond_the_limit_is_refused(make_zip):
    path = make_zip([Entry("a.bin", bytes(600)), Entry("b.bin", bytes(600))])
    assert refusal_codes(path, Limits(max_total_bytes=1000)) == ["PKG-020"]


def test_junk_does_not_count_towards_the_total(make_zip):
    path = make_zip([Entry("a.bin", bytes(600)), Entry("__MACOSX/._a.bin", bytes(600))])
    with opened(path, Limits(max_total_bytes=1000)) as package:
        assert package.names() == ["a.bin"]


def test_zip_bomb_of_one_gibibyte_of_zeros_is_refused_by_its_ratio(make_zip):
    path = make_zip([*files("imsmanifest.xml"), bomb_entry("bomb.bin", inflated_bytes=1 * GiB)])
    assert path.stat().st_size < 5 * MiB
    assert refusal_codes(path) == ["PKG-021"]


def test_highly_compressible_small_text_is_not_taken_for_a_bomb(make_zip):
    path = make_zip([Entry("data.json", b" " * (4 * MiB))])  # inflates ~1000 times, but is small
    with opened(path) as package:
        assert package.size("data.json") == 4 * MiB


def test_bomb_whose_header_claims_a_small_size_is_refused_when_read(make_zip, tmp_path):
    path = make_zip([bomb_entry("bomb.bin", inflated_bytes=64 * MiB, declared_bytes=1024)])
    with opened(path) as package:
        assert package.size("bomb.bin") == 1024
        with pytest.raises(PackageRefused) as refused:
            package.extract_to(tmp_path / "out")
    assert [problem.code for problem in refused.value.problems] == ["PKG-025"]
    assert not (tmp_path / "out").exists()


def test_reading_never_yields_more_than_the_declared_size(make_zip):
    path = make_zip([bomb_entry("bomb.bin", inflated_bytes=64 * MiB, declared_bytes=1024)])
    received = 0
    with opened(path) as package, package.open("bomb.bin") as stream, pytest.raises(PackageRefused):
        while chunk := stream.read(4096):
            received += len(chunk)
    assert received <= 1024


def test_every_limit_problem_is_reported_together(make_zip):
    path = make_zip([bomb_entry("bomb.bin", inflated_bytes=64 * MiB), *files("../x", "/y")])
    assert sorted(refusal_codes(path, Limits(max_total_bytes=MiB))) == [
        "PKG-003",
        "PKG-004",
        "PKG-020",
        "PKG-021",
    ]


def test_zip64_archive_is_read(make_zip, tmp_path):
    path = tmp_path / "zip64.zip"
    with zipfile.ZipFile(path, "w") as archive, archive.open("big.bin", "w", force_zip64=True) as stream:
        stream.write(b"x" * 1000)
    with opened(path) as package:
        assert package.read("big.bin") == b"x" * 1000


def bzip2_bomb(inflated_bytes: int, declared_bytes: int) -> Entry:
    # bzip2 squeezes 64 MiB of zeros into about 100 bytes: a million-to-one ratio.
    return Entry(
        "bomb.bin",
        bz2.compress(bytes(inflated_bytes), 9),
        compression=zipfile.ZIP_STORED,
        forge={"compress_type": zipfile.ZIP_BZIP2, "file_size": declared_bytes, "CRC": 0},
    )


def peak_allocation_while(action) -> int:
    tracemalloc.start()
    try:
        action()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def test_bzip2_bomb_with_lying_header_is_refused_without_inflating_it(make_zip):
    path = make_zip([bzip2_bomb(inflated_bytes=64 * MiB, declared_bytes=1024)])
    with opened(path) as package:

        def read_bomb():
            with pytest.raises(PackageRefused):
                package.read("bomb.bin")

        assert peak_allocation_while(read_bomb) < 8 * MiB  # zipfile alone would allocate 64 MiB at once


def test_lzma_bomb_with_lying_header_is_refused_without_inflating_it(make_zip):
    inflated = 16 * MiB
    properties = lzma._encode_filter_properties({"id": lzma.FILTER_LZMA1, "preset": 1})
    stream = lzma.compress(bytes(inflated), lzma.FORMAT_RAW, filters=[{"id": lzma.FILTER_LZMA1, "preset": 1}])
    zip_lzma = struct.pack("<BBH", 9, 20, len(properties)) + properties + stream  # APPNOTE 5.8.8 framing
    entry = Entry(
        "bomb.bin",
        zip_lzma,
        compression=zipfile.ZIP_STORED,
        forge={"compress_type": zipfile.ZIP_LZMA, "file_size": 1024, "CRC": 0},
    )
    with opened(make_zip([entry])) as package:

        def read_bomb():
            with pytest.raises(PackageRefused):
                package.read("bomb.bin")

        assert peak_allocation_while(read_bomb) < 4 * MiB


def test_oversized_table_of_contents_is_refused_before_parsing(make_zip):
    path = make_zip(files("a.html"))
    data = bytearray(path.read_bytes())
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<L", data, end + 12, 0xFFFFFFF0)  # declare a 4 GB central directory
    path.write_bytes(bytes(data))
    assert refusal_codes(path, Limits(max_entries=100)) == ["PKG-019"]


def zip64_end_record_zip(path, count: int):
    """A zip whose end record defers to a ZIP64 end record, as archives with over 65,535 entries do."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(zipfile, "ZIP_FILECOUNT_LIMIT", 2)  # makes zipfile write the ZIP64 records
        with zipfile.ZipFile(path, "w") as archive:
            for index in range(count):
                archive.writestr(f"f{index}.html", b"x")
    return path


def test_entry_count_declared_in_a_zip64_end_record_is_checked_before_parsing(tmp_path):
    path = zip64_end_record_zip(tmp_path / "zip64.zip", count=3)
    data = bytearray(path.read_bytes())
    record = data.rfind(b"PK\x06\x06")
    struct.pack_into("<QQ", data, record + 24, 10**9, 10**9)  # entries on this disk, entries in total
    path.write_bytes(bytes(data))
    assert refusal_codes(path) == ["PKG-019"]


def test_archive_with_a_zip64_end_record_opens(tmp_path):
    path = zip64_end_record_zip(tmp_path / "zip64.zip", count=5)
    with opened(path) as package:
        assert len(package.names()) == 5
