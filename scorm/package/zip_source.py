"""Open a .zip package: judge every central-directory entry before any data is read."""

from __future__ import annotations

import lzma
import stat
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from scorm.package import refusals as codes
from scorm.package.collisions import find_collisions
from scorm.package.inflate import BOUNDED_METHODS, open_bounded
from scorm.package.limits import Limits
from scorm.package.metering import ByteBudget, MeteredReader
from scorm.package.names import check_entry_name, is_junk
from scorm.package.source import PackageSource
from scorm.package.zip_directory import read_declared_directory
from scorm.problems import PackageRefused, Problem

# What zipfile raises on damaged archives besides BadZipFile: it does not wrap struct, zlib, lzma or
# bz2 (OSError) failures, nor names flagged UTF-8 that are not (UnicodeDecodeError, a ValueError).
_DAMAGE_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,
    struct.error,
    ValueError,
    IndexError,
    OverflowError,
    NotImplementedError,
    RuntimeError,
)
_SUPPORTED_COMPRESSION = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_FLAG_ENCRYPTED = 0x1
_FLAG_PATCHED = 0x20
_FLAG_STRONG_ENCRYPTION = 0x40
_FLAG_UTF8_NAME = 0x800
_MSDOS_FOLDER_ATTRIBUTE = 0x10
# A central-directory record is 46 bytes plus name, extra field and comment; real ones stay far
# below this average even with ZIP64 and Unicode-path extra fields.
_MAX_AVERAGE_RECORD_BYTES = 4096


def open_zip(path: Path, limits: Limits) -> ZipPackage:
    try:
        stream = open(path, "rb")  # noqa: SIM115 - owned by the ZipPackage, closed by its close()
    except OSError as exc:
        raise codes.refuse(
            codes.NOT_FOUND, f"the package cannot be opened: {exc.strerror}", str(path)
        ) from exc
    try:
        archive = _parse_directory(stream, path, limits)
        survey = survey_entries(archive.infolist(), limits)
    except BaseException:
        stream.close()
        raise
    if codes.has_error(survey.problems):
        archive.close()
        stream.close()
        raise PackageRefused(survey.problems)
    return ZipPackage(path, limits, archive, stream, survey)


def _parse_directory(stream: BinaryIO, path: Path, limits: Limits) -> zipfile.ZipFile:
    try:
        declared = read_declared_directory(stream)
    except OSError as exc:
        raise codes.refuse(codes.NOT_A_ZIP, f"the package cannot be read: {exc}", path.name) from exc
    if declared is None:
        raise codes.refuse(
            codes.NOT_A_ZIP,
            "this is not a zip archive, or it is truncated (no end-of-archive record); upload the .zip again",
            path.name,
        )
    if declared.entries > limits.max_entries:
        raise _too_many_entries(declared.entries, limits)
    if declared.directory_bytes > limits.max_entries * _MAX_AVERAGE_RECORD_BYTES:
        raise codes.refuse(
            codes.TOO_MANY_ENTRIES,
            f"the zip's table of contents is {declared.directory_bytes:,} bytes, more than "
            f"{limits.max_entries:,} entries could need",
        )
    try:
        archive = zipfile.ZipFile(stream)
    except _DAMAGE_ERRORS as exc:
        raise codes.refuse(
            codes.NOT_A_ZIP,
            f"the zip archive's table of contents is damaged or truncated ({exc}); upload the .zip again",
            path.name,
        ) from exc
    if len(archive.infolist()) > limits.max_entries:
        archive.close()
        raise _too_many_entries(len(archive.infolist()), limits)
    return archive


def _too_many_entries(count: int, limits: Limits) -> PackageRefused:
    return codes.refuse(
        codes.TOO_MANY_ENTRIES,
        f"the package has {count:,} entries, more than the limit of {limits.max_entries:,}",
    )


@dataclass
class Survey:
    """The outcome of judging a central directory: usable members, skipped junk, every problem."""

    members: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def survey_entries(infos: list[zipfile.ZipInfo], limits: Limits) -> Survey:
    survey = Survey()
    file_names: list[str] = []
    folder_names: list[str] = []
    declared_total = 0
    for info in infos:
        raw_name = _entry_name(info)
        name, name_problems = check_entry_name(raw_name, limits)
        survey.problems.extend(name_problems)
        if codes.has_error(name_problems):
            continue
        if name and is_junk(name):
            survey.ignored.append(raw_name)
            continue
        kind_problem = _kind_problem(info, raw_name)
        if kind_problem is not None:
            survey.problems.append(kind_problem)
            continue
        if _is_folder(info):
            folder_names.append(name)
            continue
        declared_total += info.file_size  # refused entries count too: the report shows the whole size
        data_problems = _data_problems(info, name, raw_name, limits)
        survey.problems.extend(data_problems)
        if not data_problems:
            file_names.append(name)
            survey.members.setdefault(name, info)
    if declared_total > limits.max_total_bytes:
        survey.problems.append(
            codes.error(
                codes.TOO_BIG,
                f"the files declare {declared_total:,} bytes unpacked, more than the limit of "
                f"{limits.max_total_bytes:,}",
            )
        )
    survey.problems.extend(find_collisions(file_names, folder_names))
    return survey


def _entry_name(info: zipfile.ZipInfo) -> str:
    # orig_filename keeps what zipfile cuts at a NUL byte. Names without the UTF-8 flag are decoded as
    # CP437 by zipfile, yet Info-ZIP on Linux and macOS tools write UTF-8 there without setting the flag.
    raw_name = info.orig_filename
    if not info.flag_bits & _FLAG_UTF8_NAME and not raw_name.isascii():
        try:
            return raw_name.encode("cp437").decode("utf-8")
        except UnicodeError:
            return raw_name
    return raw_name


def _kind_problem(info: zipfile.ZipInfo, raw_name: str) -> Problem | None:
    # Unix mode bits live in the high half of external_attr. They are honoured whatever "made by"
    # system the entry claims, since some extractors honour them regardless.
    file_type = stat.S_IFMT(info.external_attr >> 16)
    if file_type == stat.S_IFLNK:
        return codes.error(
            codes.LINK_ENTRY,
            "the entry is a symbolic link, which could point outside the package; packages must hold "
            "plain files",
            raw_name,
        )
    if file_type not in (0, stat.S_IFREG, stat.S_IFDIR):
        return codes.error(
            codes.SPECIAL_FILE,
            "the entry is a device, pipe or socket, not a plain file",
            raw_name,
        )
    return None


def _is_folder(info: zipfile.ZipInfo) -> bool:
    return (
        info.orig_filename.endswith(("/", "\\"))
        or stat.S_ISDIR(info.external_attr >> 16)
        or (info.create_system == 0 and bool(info.external_attr & _MSDOS_FOLDER_ATTRIBUTE))
    )


def _data_problems(info: zipfile.ZipInfo, name: str, raw_name: str, limits: Limits) -> list[Problem]:
    if not name:
        return [codes.error(codes.EMPTY_NAME, "the entry is a file with an empty name", raw_name)]
    if info.flag_bits & (_FLAG_ENCRYPTED | _FLAG_STRONG_ENCRYPTION):
        return [
            codes.error(
                codes.ENCRYPTED,
                "the entry is password-protected; export the package without encryption",
                raw_name,
            )
        ]
    if info.compress_type not in _SUPPORTED_COMPRESSION or info.flag_bits & _FLAG_PATCHED:
        return [
            codes.error(
                codes.UNSUPPORTED_COMPRESSION,
                f"the entry uses compression method {info.compress_type}, which is not supported "
                "(Deflate64 from Windows Explorer or AES); re-create the zip with standard Deflate",
                raw_name,
            )
        ]
    if info.file_size >= limits.ratio_applies_from_bytes and (
        info.file_size > info.compress_size * limits.max_compression_ratio
    ):
        ratio = info.file_size / max(info.compress_size, 1)
        return [
            codes.error(
                codes.COMPRESSION_RATIO,
                f"the entry inflates {ratio:,.0f} times ({info.file_size:,} bytes), beyond the limit of "
                f"{limits.max_compression_ratio:,.0f} (a zip bomb)",
                raw_name,
            )
        ]
    return []


class ZipPackage(PackageSource):
    def __init__(
        self, path: Path, limits: Limits, archive: zipfile.ZipFile, stream: BinaryIO, survey: Survey
    ):
        sizes = {name: info.file_size for name, info in survey.members.items()}
        warnings = [problem for problem in survey.problems if not problem.is_error]
        super().__init__(path, limits, sizes, survey.ignored, warnings)
        self._archive = archive
        self._stream = stream
        self._members = survey.members

    def _open_checked(self, name: str, budget: ByteBudget) -> BinaryIO:
        info = self._members[name]
        try:
            if info.compress_type in BOUNDED_METHODS:
                member = open_bounded(self._archive, info)
            else:
                member = self._archive.open(info)  # zipfile bounds each Deflate call itself
        except _DAMAGE_ERRORS as exc:
            raise codes.refuse(
                codes.CORRUPT_DATA, f"the entry cannot be opened ({exc}); the package is damaged", name
            ) from exc
        return MeteredReader(  # type: ignore[return-value]
            member, name, info.file_size, info.compress_size, self.limits, budget, _DAMAGE_ERRORS
        )

    def _release(self) -> None:
        self._archive.close()
        self._stream.close()
