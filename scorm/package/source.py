"""PackageSource: the files of a package that passed every check, whatever it is stored in."""

from __future__ import annotations

import os
import posixpath
import shutil
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from scorm.package.limits import Limits
from scorm.package.metering import ByteBudget
from scorm.package.staging import staged_directory
from scorm.problems import Problem

# Measured with bench/import_package.py: 256 KiB keeps each chunk in the CPU cache between inflating,
# CRC and writing; 1 MiB chunks cost about 20% more CPU, 64 KiB means 4x the Python-level calls.
COPY_CHUNK_BYTES = 256 * 1024


class PackageSource(ABC):
    """A checked package. `names()` lists regular files only, as normalised POSIX paths relative to the
    package root, junk excluded. Reading re-checks the limits on the bytes really produced and raises
    `PackageRefused` when the data turns out bad (CRC error, inflation beyond the ratio, lying sizes).
    """

    def __init__(
        self, path: Path, limits: Limits, sizes: dict[str, int], ignored: list[str], warnings: list[Problem]
    ):
        self.path = path
        self.limits = limits
        self._sizes = sizes
        self._ignored = ignored
        self._warnings = warnings
        self._closed = False

    def names(self) -> list[str]:
        return list(self._sizes)

    def size(self, name: str) -> int:
        """The declared size of a file in bytes; KeyError when the package has no such file."""
        return self._sizes[name]

    def read(self, name: str) -> bytes:
        """The whole content of a file; KeyError when absent. Meant for small files such as manifests."""
        with self.open(name) as stream:
            return stream.read()

    def open(self, name: str) -> BinaryIO:
        """A binary stream over one file, checked while it is read; KeyError when absent."""
        if name not in self._sizes:
            raise KeyError(name)
        self._require_open()
        return self._open_checked(name, ByteBudget(self.limits.max_total_bytes))

    def ignored_names(self) -> list[str]:
        """Junk entries skipped silently (`__MACOSX/…`, `.DS_Store`, `Thumbs.db`), named as in the package."""
        return list(self._ignored)

    def warnings(self) -> list[Problem]:
        """Problems that did not refuse the package (backslash separators, names differing only in case)."""
        return list(self._warnings)

    def extract_to(self, dest: str | Path, on_progress: Callable[[int, int], None] | None = None) -> None:
        """Write every file under `dest`, which must not exist yet (FileExistsError).

        Atomic: `dest` appears complete or not at all; when the data proves bad on the way (PackageRefused)
        or writing fails (OSError), nothing is left behind. Files get mode 0644 and folders 0755 whatever
        the package says: no executable, setuid or world-writable bits come from outside.
        `on_progress(bytes_written, bytes_expected)` is called after each file (for a progress bar).
        """
        self._require_open()
        budget = ByteBudget(self.limits.max_total_bytes)
        expected = sum(self._sizes.values())
        with staged_directory(dest) as staging_path:
            staging = str(staging_path)
            made_folders = {""}
            for name in self._sizes:
                folder = posixpath.dirname(name)
                if folder not in made_folders:
                    os.makedirs(os.path.join(staging, folder), mode=0o755, exist_ok=True)
                    made_folders.add(folder)
                target_path = os.path.join(staging, name)
                # "xb" is O_CREAT|O_EXCL: it never follows a link and never overwrites a file.
                with self._open_checked(name, budget) as source, open(target_path, "xb") as target:
                    shutil.copyfileobj(source, target, COPY_CHUNK_BYTES)
                if on_progress is not None:
                    on_progress(budget.spent, expected)

    @abstractmethod
    def _open_checked(self, name: str, budget: ByteBudget) -> BinaryIO:
        """A metered stream over a listed file, spending from `budget`."""

    def close(self) -> None:
        """Release the archive; reading afterwards raises ValueError. Closing twice is harmless."""
        if not self._closed:
            self._closed = True
            self._release()

    def _require_open(self) -> None:
        # Without this, zipfile's "closed archive" ValueError would be reported as a damaged package.
        if self._closed:
            raise ValueError("the package has been closed")

    @abstractmethod
    def _release(self) -> None:
        """Close what the package holds open."""

    def __enter__(self) -> PackageSource:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
