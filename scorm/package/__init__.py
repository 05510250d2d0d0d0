"""Open a SCORM package (.zip or folder) without trusting it.

CONTRACT (owned by the package module; others code against it):
    open_package(path, limits=Limits()) -> PackageSource   # raises PackageRefused
    PackageSource.names() -> list[str]     # regular files, normalised POSIX paths relative to the root
    PackageSource.read(name) -> bytes      # KeyError if absent
    PackageSource.size(name) -> int
    PackageSource.extract_to(dest) -> None # atomic: dest appears complete or not at all
    PackageSource.close()  / context manager
This first version is a placeholder with no safety checks; it is being replaced.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from scorm.problems import PackageRefused, Problem, Severity


@dataclass(frozen=True)
class Limits:
    max_total_bytes: int = 2 * 1024**3
    max_entries: int = 20_000


class PackageSource:
    def __init__(self, zf: zipfile.ZipFile):
        self._zf = zf
        self._names = [i.filename for i in zf.infolist() if not i.is_dir()]

    def names(self) -> list[str]:
        return list(self._names)

    def read(self, name: str) -> bytes:
        return self._zf.read(name)

    def size(self, name: str) -> int:
        return self._zf.getinfo(name).file_size

    def extract_to(self, dest: str | Path) -> None:
        self._zf.extractall(dest)

    def close(self) -> None:
        self._zf.close()

    def __enter__(self) -> PackageSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_package(path: str | Path, limits: Limits = Limits()) -> PackageSource:
    try:
        return PackageSource(zipfile.ZipFile(path))
    except (zipfile.BadZipFile, OSError) as exc:
        raise PackageRefused([Problem("PKG-001", Severity.ERROR, f"not a zip file: {exc}")]) from exc
