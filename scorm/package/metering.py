"""Count the bytes a package really yields, and stop at the limits.

Zip headers declare sizes, but an attacker writes the headers: the stream wrapper below counts what
decompression actually produces, so a lying header cannot push more bytes than the limits allow.
"""

from __future__ import annotations

import io
from typing import BinaryIO

from scorm.package import refusals as codes
from scorm.package.limits import Limits
from scorm.problems import PackageRefused


class ByteBudget:
    """Bytes produced so far across the entries of one extraction, against `max_total_bytes`."""

    def __init__(self, limit: int):
        self.limit = limit
        self.spent = 0

    def spend(self, count: int, location: str) -> None:
        self.spent += count
        if self.spent > self.limit:
            raise codes.refuse(
                codes.TOO_BIG,
                f"the files unpack to more than {self.limit:,} bytes (counted while unpacking)",
                location,
            )


class MeteredReader(io.RawIOBase):
    """A read-only stream over one entry that refuses the package as soon as the entry yields more
    bytes than declared, inflates beyond the compression ratio, or exhausts the shared budget.

    `translate_errors` lists the exception types of the underlying reader that mean corrupt data.
    """

    def __init__(
        self,
        source: BinaryIO,
        name: str,
        declared_size: int,
        compressed_size: int | None,
        limits: Limits,
        budget: ByteBudget,
        translate_errors: tuple[type[BaseException], ...] = (),
    ):
        super().__init__()
        self._source = source
        self._name = name
        self._declared_size = declared_size
        self._ratio_ceiling = _ratio_ceiling(compressed_size, limits)
        self._budget = budget
        self._translate_errors = translate_errors
        self.produced = 0

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:
            return self.readall()
        try:
            chunk = self._source.read(size)
        except self._translate_errors as exc:
            raise _refusal_for(exc, self._name) from exc
        self._account(len(chunk))
        return chunk

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        chunk = self.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def readall(self) -> bytes:
        parts = []
        while chunk := self.read(1024 * 1024):
            parts.append(chunk)
        return b"".join(parts)

    def close(self) -> None:
        if not self.closed:
            self._source.close()
        super().close()

    def _account(self, count: int) -> None:
        self.produced += count
        if self.produced > self._declared_size:
            raise codes.refuse(
                codes.SIZE_MISMATCH,
                f"the entry holds more data than the {self._declared_size:,} bytes its header declares",
                self._name,
            )
        if self.produced > self._ratio_ceiling:
            raise codes.refuse(
                codes.COMPRESSION_RATIO,
                "the entry inflates far more than real content does (a zip bomb)",
                self._name,
            )
        self._budget.spend(count, self._name)


def _ratio_ceiling(compressed_size: int | None, limits: Limits) -> float:
    if compressed_size is None:  # a plain file on disk: nothing is inflated
        return float("inf")
    return max(limits.ratio_applies_from_bytes, compressed_size * limits.max_compression_ratio)


def _refusal_for(exc: BaseException, name: str) -> PackageRefused:
    if "CRC" in str(exc):
        return codes.refuse(
            codes.CRC_MISMATCH,
            "the entry's data does not match its checksum (CRC-32): the package is damaged or was altered",
            name,
        )
    return codes.refuse(
        codes.CORRUPT_DATA,
        f"the entry's data cannot be read ({type(exc).__name__}: {exc}); the package is damaged",
        name,
    )
