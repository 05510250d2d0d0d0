"""Open an unpacked package folder: every item must be a plain file or folder inside it.

Links are refused wherever they point (even inside the folder: a link is how a later swap escapes),
and files are opened one path segment at a time with O_NOFOLLOW, so a link planted after the scan is
refused rather than followed.
"""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from scorm.package import refusals as codes
from scorm.package.collisions import find_collisions
from scorm.package.limits import Limits
from scorm.package.metering import ByteBudget, MeteredReader
from scorm.package.names import check_entry_name, is_junk
from scorm.package.source import PackageSource
from scorm.problems import PackageRefused, Problem

_OPEN_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW
_OPEN_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK  # a FIFO swapped in must not block the open


def open_folder(path: Path, limits: Limits) -> FolderPackage:
    scan = _Scan(limits)
    with contextlib.suppress(_StopScan):  # the scan already recorded why it stopped
        scan.walk(path, "")
    scan.problems.extend(find_collisions(scan.sizes))
    if codes.has_error(scan.problems):
        raise PackageRefused(scan.problems)
    return FolderPackage(path, limits, scan)


@dataclass
class _Scan:
    limits: Limits
    sizes: dict[str, int] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    items_seen: int = 0
    total_bytes: int = 0

    def walk(self, folder: Path, prefix: str) -> None:
        try:
            with os.scandir(folder) as listing:
                items = sorted(listing, key=lambda item: item.name)
        except OSError as exc:
            self.problems.append(
                codes.error(codes.NOT_FOUND, f"the folder cannot be read: {exc.strerror}", prefix or ".")
            )
            return
        for item in items:
            self.items_seen += 1
            if self.items_seen > self.limits.max_entries:
                self.problems.append(
                    codes.error(
                        codes.TOO_MANY_ENTRIES,
                        f"the folder holds more than {self.limits.max_entries:,} files and folders",
                    )
                )
                raise _StopScan
            self._visit(item, prefix + item.name)

    def _visit(self, item: os.DirEntry[str], relative: str) -> None:
        name, name_problems = check_entry_name(relative, self.limits, backslash_is_separator=False)
        self.problems.extend(name_problems)
        if codes.has_error(name_problems):
            return
        if is_junk(name):
            self.ignored.append(name)
            return
        try:
            info = item.stat(follow_symlinks=False)
        except OSError as exc:
            self.problems.append(
                codes.error(codes.NOT_FOUND, f"the item cannot be read: {exc.strerror}", name)
            )
            return
        if stat.S_ISLNK(info.st_mode):
            self.problems.append(
                codes.error(
                    codes.LINK_ENTRY, "the item is a symbolic link; packages must hold plain files", name
                )
            )
        elif stat.S_ISDIR(info.st_mode):
            self.walk(Path(item.path), name + "/")
        elif not stat.S_ISREG(info.st_mode):
            self.problems.append(
                codes.error(
                    codes.SPECIAL_FILE, "the item is a device, pipe or socket, not a plain file", name
                )
            )
        else:
            self._add_file(name, info.st_size)

    def _add_file(self, name: str, size: int) -> None:
        self.sizes[name] = size
        self.total_bytes += size
        if (
            self.total_bytes > self.limits.max_total_bytes
            and self.total_bytes - size <= self.limits.max_total_bytes
        ):
            self.problems.append(
                codes.error(
                    codes.TOO_BIG,
                    f"the files hold more than the limit of {self.limits.max_total_bytes:,} bytes",
                )
            )


class _StopScan(Exception):
    """Ends a scan that has already found enough to refuse."""


class FolderPackage(PackageSource):
    def __init__(self, path: Path, limits: Limits, scan: _Scan):
        warnings = [problem for problem in scan.problems if not problem.is_error]
        super().__init__(path, limits, scan.sizes, scan.ignored, warnings)

    def _open_checked(self, name: str, budget: ByteBudget) -> BinaryIO:
        descriptor = _open_beneath(self.path, name)
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            os.close(descriptor)
            raise codes.refuse(codes.SPECIAL_FILE, "the item is no longer a plain file", name)
        stream = os.fdopen(descriptor, "rb", buffering=0)
        return MeteredReader(stream, name, self._sizes[name], None, self.limits, budget)  # type: ignore[return-value]

    def _release(self) -> None:
        """Nothing is held open between reads."""


def _open_beneath(root: Path, name: str) -> int:
    *folders, basename = name.split("/")
    folder_fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    part = basename
    try:
        for part in folders:
            next_fd = os.open(part, _OPEN_FOLDER, dir_fd=folder_fd)
            os.close(folder_fd)
            folder_fd = next_fd
        part = basename
        return os.open(basename, _OPEN_FILE, dir_fd=folder_fd)
    except OSError as exc:
        # The tree changed since it was scanned. O_NOFOLLOW reports a link as ELOOP, or as ENOTDIR
        # together with O_DIRECTORY, so ask the parent folder what the item has become.
        code = codes.LINK_ENTRY if _is_link(part, folder_fd) else codes.NOT_FOUND
        raise codes.refuse(
            code, f"the file changed after the folder was checked ({exc.strerror})", name
        ) from exc
    finally:
        os.close(folder_fd)


def _is_link(part: str, folder_fd: int) -> bool:
    try:
        return stat.S_ISLNK(os.stat(part, dir_fd=folder_fd, follow_symlinks=False).st_mode)
    except OSError:
        return False
