"""Write a zip whose bytes depend only on its contents: same files in, byte-identical archive out.

zipfile stamps each entry with the file's time, the host system and its permissions; fixing those and
writing entries in sorted order makes builds reproducible, so a rebuilt catalogue package has the same
checksum and the tool can tell "unchanged" from "new version" by hashing.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping

FIXED_TIMESTAMP = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip header can hold
UNIX_SYSTEM = 3
REGULAR_FILE_RW_R_R = 0o100644


def deterministic_zip(files: Mapping[str, bytes]) -> bytes:
    """Return the bytes of a deflated zip holding ``files`` (POSIX path -> content) in sorted path order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            entry = zipfile.ZipInfo(name, date_time=FIXED_TIMESTAMP)
            entry.create_system = UNIX_SYSTEM
            entry.external_attr = REGULAR_FILE_RW_R_R << 16
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, files[name], compresslevel=9)
    return buffer.getvalue()
