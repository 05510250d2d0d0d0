"""Atomic extraction: build the tree in a hidden folder beside the destination, then rename it into place.

A rename within one file system is atomic, so a reader sees the destination complete or not at all,
and a refusal halfway through leaves nothing behind (the staging folder is removed). No fsync: a power
cut may lose a just-imported package, which is re-imported; it never leaves a half tree under `dest`.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STAGING_SUFFIX = ".partial"


@contextmanager
def staged_directory(dest: str | Path) -> Iterator[Path]:
    """Yield an empty staging folder; on normal exit it becomes `dest`, on any exception it is removed.

    `dest` must not exist (FileExistsError): an import never merges into or replaces an earlier tree.
    Its parent folders are created when missing.
    """
    dest = Path(dest)
    _require_absent(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=STAGING_SUFFIX, dir=dest.parent))
    try:
        yield staging
        os.chmod(staging, 0o755)  # mkdtemp makes it private (0o700); the tree is served to browsers
        _require_absent(dest)
        _rename_into_place(staging, dest)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _rename_into_place(staging: Path, dest: Path) -> None:
    # A concurrent import of the same package may have won the race: rename fails on its non-empty
    # tree (ENOTEMPTY), which callers see as FileExistsError. POSIX rename would replace an *empty*
    # folder created since the check; the window is microseconds and only importers write there.
    try:
        os.rename(staging, dest)
    except OSError as exc:
        if exc.errno in (errno.EEXIST, errno.ENOTEMPTY, errno.ENOTDIR):
            raise FileExistsError(
                errno.EEXIST, "the extraction destination already exists", str(dest)
            ) from exc
        raise


def _require_absent(dest: Path) -> None:
    if os.path.lexists(dest):
        raise FileExistsError(errno.EEXIST, "the extraction destination already exists", str(dest))
