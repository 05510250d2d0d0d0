"""The bounds a package must stay within. Defaults accept real video-heavy courses."""

from __future__ import annotations

from dataclasses import dataclass

MiB = 1024**2
GiB = 1024**3


@dataclass(frozen=True)
class Limits:
    """Configurable bounds for opening a package; every one of them is checked on real bytes, not only on
    what the zip's headers declare.

    The defaults are sized for real exports: a 500 MB Storyline course with narrated video unpacks to well
    under 1 GiB in a few thousand files; Rise and Captivate exports with many small assets reach 10-20k files.
    """

    max_total_bytes: int = 2 * GiB  # sum of the files' uncompressed sizes
    max_entries: int = 50_000  # zip entries (files, folders and junk) or folder-tree items
    max_compression_ratio: float = 200.0  # uncompressed / compressed, per entry; deflate tops out near 1032
    ratio_applies_from_bytes: int = 8 * MiB  # small, very compressible text (JSON, SVG) is never a bomb
    max_path_bytes: int = 1024  # UTF-8 bytes of a whole relative path
    max_segment_bytes: int = 255  # UTF-8 bytes of one path segment (NAME_MAX on Linux file systems)
    max_depth: int = 32  # folders deep

    def __post_init__(self) -> None:
        for field_name, value in vars(self).items():
            if value <= 0:
                raise ValueError(f"Limits.{field_name} must be positive, got {value!r}")
