"""Problem codes of package opening (documented in CODES.md) and helpers to build problems."""

from __future__ import annotations

from scorm.problems import PackageRefused, Problem, Severity

NOT_A_ZIP = "PKG-001"
NOT_FOUND = "PKG-002"
PATH_ESCAPES = "PKG-003"
ABSOLUTE_PATH = "PKG-004"
DRIVE_LETTER = "PKG-005"
NETWORK_PATH = "PKG-006"
BACKSLASH = "PKG-007"
BAD_CHARACTER = "PKG-008"
NOT_NFC = "PKG-009"
LOOKALIKE_SYNTAX = "PKG-010"
EMPTY_NAME = "PKG-011"
PATH_TOO_LONG = "PKG-012"
SEGMENT_TOO_LONG = "PKG-013"
PATH_TOO_DEEP = "PKG-014"
LINK_ENTRY = "PKG-015"
SPECIAL_FILE = "PKG-016"
ENCRYPTED = "PKG-017"
UNSUPPORTED_COMPRESSION = "PKG-018"
TOO_MANY_ENTRIES = "PKG-019"
TOO_BIG = "PKG-020"
COMPRESSION_RATIO = "PKG-021"
DUPLICATE_NAME = "PKG-022"
CASE_COLLISION = "PKG-023"
FILE_FOLDER_CLASH = "PKG-024"
CRC_MISMATCH = "PKG-025"
CORRUPT_DATA = "PKG-026"
SIZE_MISMATCH = "PKG-027"


def error(code: str, message: str, location: str = "") -> Problem:
    return Problem(code, Severity.ERROR, message, location)


def warning(code: str, message: str, location: str = "") -> Problem:
    return Problem(code, Severity.WARNING, message, location)


def refuse(code: str, message: str, location: str = "") -> PackageRefused:
    """One error, as the exception to raise (for problems found while reading data)."""
    return PackageRefused([error(code, message, location)])


def has_error(problems: list[Problem]) -> bool:
    return any(problem.is_error for problem in problems)
