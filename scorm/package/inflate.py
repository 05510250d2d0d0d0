"""Bounded inflation of bzip2 and LZMA entries.

zipfile inflates Deflate with an output bound, but hands bzip2 and LZMA input to the decompressor
without one: 177 bytes of bzip2 declaring 1 KB inflate to 200 MB in a single call, before any size
check can run. Here the raw compressed bytes come from zipfile (which still checks the local header)
and are inflated at most `size` bytes per read, with the CRC-32 checked at the end.
"""

from __future__ import annotations

import bz2
import copy
import io
import lzma
import struct
import zipfile
import zlib
from typing import BinaryIO, Protocol

_INPUT_CHUNK_BYTES = 64 * 1024
_DEFAULT_READ_BYTES = 1024 * 1024
BOUNDED_METHODS = frozenset({zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA})


class _Decompressor(Protocol):
    eof: bool
    needs_input: bool

    def decompress(self, data: bytes, max_length: int = -1) -> bytes: ...


def open_bounded(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> BinaryIO:
    """A stream over a bzip2 or LZMA entry that never inflates more than one read's worth at a time."""
    raw_view = copy.copy(info)
    raw_view.compress_type = zipfile.ZIP_STORED
    raw_view.file_size = info.compress_size
    del raw_view.CRC  # the CRC is of the inflated data; it is checked below, not on the raw bytes
    return BoundedInflater(archive.open(raw_view), info.compress_type, info.CRC, info.filename)  # type: ignore[return-value]


class BoundedInflater(io.RawIOBase):
    def __init__(self, raw: BinaryIO, method: int, expected_crc: int, name: str):
        super().__init__()
        self._raw = raw
        self._method = method
        self._expected_crc = expected_crc
        self._name = name
        self._decompressor: _Decompressor | None = None
        self._crc = 0
        self._finished = False

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        limit = _DEFAULT_READ_BYTES if size is None or size < 0 else size
        decompressor = self._decompressor or self._start()
        while not self._finished and limit > 0:
            if decompressor.eof:
                self._finish()
                break
            data = b""
            if decompressor.needs_input:
                data = self._raw.read(_INPUT_CHUNK_BYTES)
                if not data:  # LZMA entries may end without an end marker (zip flag bit 1 clear)
                    self._finish()
                    break
            output = decompressor.decompress(data, limit)
            if output:
                self._crc = zlib.crc32(output, self._crc)
                return output
            if not data and not decompressor.eof:  # nothing in, nothing out: the data has ended
                self._finish()
        return b""

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()

    def _start(self) -> _Decompressor:
        if self._method == zipfile.ZIP_BZIP2:
            self._decompressor = bz2.BZ2Decompressor()
        else:
            self._decompressor = lzma.LZMADecompressor(lzma.FORMAT_RAW, filters=[self._lzma_filter()])
        return self._decompressor

    def _lzma_filter(self) -> dict[str, int]:
        # APPNOTE 5.8.8: LZMA SDK version (2 bytes), properties size (2 bytes), then the properties:
        # one byte packing lc/lp/pb and the dictionary size (4 bytes).
        header = self._raw.read(4)
        if len(header) < 4:
            raise zipfile.BadZipFile("truncated LZMA header")
        (properties_size,) = struct.unpack("<H", header[2:4])
        properties = self._raw.read(properties_size)
        if properties_size < 5 or len(properties) < properties_size:
            raise zipfile.BadZipFile("truncated LZMA properties")
        packed, dict_size = properties[0], int.from_bytes(properties[1:5], "little")
        if packed >= 9 * 5 * 5:
            raise zipfile.BadZipFile("invalid LZMA properties")
        return {
            "id": lzma.FILTER_LZMA1,
            "lc": packed % 9,
            "lp": (packed // 9) % 5,
            "pb": packed // 45,
            "dict_size": dict_size,
        }

    def _finish(self) -> None:
        self._finished = True
        if self._crc != self._expected_crc:
            raise zipfile.BadZipFile(f"Bad CRC-32 for file {self._name!r}")
