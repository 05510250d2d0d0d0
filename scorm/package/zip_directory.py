"""Read what a zip's end record declares (entry count, central-directory size) before parsing it.

`zipfile.ZipFile` parses the whole central directory into memory at once; checking the declared
figures first means a crafted archive with millions of entries is refused before that happens.
Layout from PKWARE APPNOTE.TXT 4.3.14-4.3.16 (end of central directory, ZIP64 record and locator).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import BinaryIO

_END_RECORD = struct.Struct("<4s4H2LH")  # signature, disk numbers, entries here/total, size, offset, comment
_END_SIGNATURE = b"PK\x05\x06"
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_LOCATOR_SIGNATURE = b"PK\x06\x07"
_ZIP64_END_RECORD = struct.Struct("<4sQ2H2L4Q")
_ZIP64_END_SIGNATURE = b"PK\x06\x06"
_MAX_COMMENT = 0xFFFF


@dataclass(frozen=True)
class DeclaredDirectory:
    entries: int
    directory_bytes: int


def read_declared_directory(stream: BinaryIO) -> DeclaredDirectory | None:
    """The entry count and central-directory size the archive declares; None when there is no end record
    (not a zip, or truncated)."""
    stream.seek(0, 2)
    file_size = stream.tell()
    tail_size = min(file_size, _END_RECORD.size + _MAX_COMMENT)
    stream.seek(file_size - tail_size)
    tail = stream.read(tail_size)
    at = tail.rfind(_END_SIGNATURE)
    if at < 0 or len(tail) - at < _END_RECORD.size:
        return None
    fields = _END_RECORD.unpack_from(tail, at)
    # Like zipfile, believe a ZIP64 record whenever its locator is there, not only when the
    # classic fields hold their 0xFFFF "see ZIP64" markers: zipfile parses by the ZIP64 figures.
    zip64 = _read_zip64_record(stream, file_size - tail_size + at)
    if zip64 is not None:
        return zip64
    return DeclaredDirectory(entries=fields[4], directory_bytes=fields[5])


def _read_zip64_record(stream: BinaryIO, end_record_offset: int) -> DeclaredDirectory | None:
    # The ZIP64 end record sits right before its locator, which sits right before the end record.
    record_offset = end_record_offset - _ZIP64_LOCATOR.size - _ZIP64_END_RECORD.size
    if record_offset < 0:
        return None
    stream.seek(record_offset)
    data = stream.read(_ZIP64_END_RECORD.size + _ZIP64_LOCATOR.size)
    if len(data) < _ZIP64_END_RECORD.size + _ZIP64_LOCATOR.size:
        return None
    record = _ZIP64_END_RECORD.unpack_from(data, 0)
    locator = _ZIP64_LOCATOR.unpack_from(data, _ZIP64_END_RECORD.size)
    if record[0] != _ZIP64_END_SIGNATURE or locator[0] != _ZIP64_LOCATOR_SIGNATURE:
        return None
    return DeclaredDirectory(entries=record[7], directory_bytes=record[8])
