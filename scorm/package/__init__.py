"""Open a SCORM package (.zip file or unpacked folder) without trusting it.

    open_package(path, limits=Limits()) -> PackageSource     # raises scorm.problems.PackageRefused
    PackageSource.names() -> list[str]      # regular files, normalised POSIX paths, junk excluded
    PackageSource.read(name) -> bytes       # KeyError if absent; limits enforced while reading
    PackageSource.open(name) -> BinaryIO    # the same, as a stream (large media)
    PackageSource.size(name) -> int
    PackageSource.extract_to(dest, on_progress=None) -> None  # atomic: dest complete or absent
    PackageSource.warnings() / ignored_names() / close() / context manager

Every entry is judged before any data is read, and every problem is reported at once (codes PKG-0NN,
see CODES.md). Sizes declared in zip headers are not trusted: bytes are counted as they are produced.
"""

from __future__ import annotations

from pathlib import Path

from scorm.package import refusals
from scorm.package.folder_source import FolderPackage, open_folder
from scorm.package.limits import Limits
from scorm.package.source import PackageSource
from scorm.package.zip_source import ZipPackage, open_zip

__all__ = ["FolderPackage", "Limits", "PackageSource", "ZipPackage", "open_package"]


def open_package(path: str | Path, limits: Limits = Limits()) -> PackageSource:
    """Check a package and return its files; raise PackageRefused listing every problem found.

    A folder is read in place; anything else is opened as a zip archive (whatever its extension).
    """
    path = Path(path)
    if path.is_dir():
        return open_folder(path, limits)
    if not path.exists():
        raise refusals.refuse(refusals.NOT_FOUND, "no file or folder at this path", str(path))
    if not path.is_file():  # a pipe or device would block or never end
        raise refusals.refuse(refusals.NOT_FOUND, "this path is neither a file nor a folder", str(path))
    return open_zip(path, limits)
