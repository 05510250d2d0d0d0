"""Build hostile zip archives for the tests: raw entry names, forged attributes and lying headers.

zipfile writes the central directory from its ZipInfo objects when the archive closes, so changing an
entry's ZipInfo after its data is written forges the central directory, which is what readers trust.
"""

from __future__ import annotations

import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

MiB = 1024 * 1024


@dataclass
class Entry:
    name: str
    data: bytes = b"content"
    mode: int | None = None  # Unix mode including the file type bits, e.g. stat.S_IFLNK | 0o777
    compression: int = zipfile.ZIP_DEFLATED
    forge: dict[str, int] | None = None  # ZipInfo attributes to overwrite in the central directory only


def build_zip(path: Path, entries: list[Entry]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for entry in entries:
            info = zipfile.ZipInfo(entry.name, date_time=(2024, 1, 1, 0, 0, 0))
            info.filename = entry.name  # raw: ZipInfo() itself would cut the name at a NUL byte
            info.compress_type = entry.compression
            if entry.mode is not None:
                info.external_attr = entry.mode << 16
                info.create_system = 3
            archive.writestr(info, entry.data)
            for attribute, value in (entry.forge or {}).items():
                setattr(archive.filelist[-1], attribute, value)
    return path


def files(*names: str) -> list[Entry]:
    return [Entry(name, f"data of {name}".encode()) for name in names]


def symlink_entry(name: str, target: str) -> Entry:
    return Entry(name, target.encode(), mode=stat.S_IFLNK | 0o777, compression=zipfile.ZIP_STORED)


def deflated_zeros(total_bytes: int) -> bytes:
    """A raw deflate stream that inflates to `total_bytes` zeros, built from one compressed MiB.

    Each MiB is compressed with a full flush, so it refers to nothing before it and the same bytes can
    be repeated: a 1 GiB bomb costs about 1 MB and a few milliseconds to build.
    """
    assert total_bytes % MiB == 0
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    one_mib = compressor.compress(bytes(MiB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    final_block = zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    return one_mib * (total_bytes // MiB) + final_block


def zeros_crc(total_bytes: int) -> int:
    crc = 0
    one_mib = bytes(MiB)
    for _ in range(total_bytes // MiB):
        crc = zlib.crc32(one_mib, crc)
    return crc


def bomb_entry(name: str, inflated_bytes: int, declared_bytes: int | None = None) -> Entry:
    """An entry whose deflate stream inflates to `inflated_bytes` zeros. The central directory declares
    `declared_bytes` (default: the truth) with the CRC of the full stream."""
    stream = deflated_zeros(inflated_bytes)
    return Entry(
        name,
        stream,
        compression=zipfile.ZIP_STORED,  # written as is, then relabelled as deflated below
        forge={
            "compress_type": zipfile.ZIP_DEFLATED,
            "file_size": inflated_bytes if declared_bytes is None else declared_bytes,
            "CRC": zeros_crc(inflated_bytes),
        },
    )


def clear_utf8_flags(path: Path) -> Path:
    """Clear flag 0x800 in every local and central header, as tools that write UTF-8 silently do."""
    data = bytearray(path.read_bytes())
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at >= 0:
            flags = int.from_bytes(data[at + flag_offset : at + flag_offset + 2], "little")
            data[at + flag_offset : at + flag_offset + 2] = (flags & ~0x800).to_bytes(2, "little")
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    return path
