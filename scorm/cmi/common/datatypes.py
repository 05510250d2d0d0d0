"""Checks for the data types of both run-times (SCORM 2004 RTE 4.1.1, SCORM 1.2 RTE 3.4.2).

Each factory returns a check ``(value, context) -> None`` that raises CmiError. Lengths are bounded before
any check runs (see limits.py), so the checks only judge form and range.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from scorm.cmi.common.elements import Check
from scorm.cmi.common.errors import CmiError, ErrorKind
from scorm.cmi.common.model import SetContext
from scorm.cmi.common.timevalues import is_iso_time, is_time12, iso_duration_seconds, timespan12_seconds

_REAL = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
# language_type: ISO 639 2- or 3-letter code (or i/x) and subtags of 1-8 letters/digits (RFC 3066).
_LANGUAGE = re.compile(r"(?:[A-Za-z]{2,3}|[iIxX])(?:-[A-Za-z0-9]{1,8})*")
_LANG_DELIMITER = re.compile(r"\{lang=([^{}]*)\}")
_URN = re.compile(r"urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\S+", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s")
# Characters a URI never holds unescaped (RFC 3986): whitespace, and the ones SCORM uses as delimiters.
_NOT_IN_URI = re.compile(r'[\s\[\]{}<>"\\^`|]')


def refuse(kind: ErrorKind, message: str) -> None:
    raise CmiError(kind, message)


# Larger numbers are refused: stored and reported as doubles, 400 digits become infinity (and invalid JSON).
MAX_REAL_MAGNITUDE = Decimal("1e300")


def parse_real(value: str) -> Decimal | None:
    """A plain decimal (no exponent) of a magnitude a double holds, or None."""
    if not _REAL.fullmatch(value):
        return None
    try:
        number = Decimal(value)
    except InvalidOperation:  # pragma: no cover - the pattern admits only plain decimals
        return None
    return number if abs(number) <= MAX_REAL_MAGNITUDE else None


# -- SCORM 2004 --------------------------------------------------------------------------------------
def characterstring() -> Check:
    def check(value: str, ctx: SetContext) -> None:
        return None

    return check


def real(low: Decimal | int | None = None, high: Decimal | int | None = None) -> Check:
    """real(10,7), optionally with an inclusive range (RTE 4.1.1.3)."""

    def check(value: str, ctx: SetContext) -> None:
        number = parse_real(value)
        if number is None:
            refuse(ErrorKind.TYPE_MISMATCH, f"{value!r} is not a decimal number.")
        if (low is not None and number < low) or (high is not None and number > high):
            bounds = f"{'' if low is None else low}..{'' if high is None else high}"
            refuse(ErrorKind.OUT_OF_RANGE, f"{value} is outside the range {bounds}.")

    return check


def vocabulary(*words: str) -> Check:
    allowed = frozenset(words)

    def check(value: str, ctx: SetContext) -> None:
        if value not in allowed:
            refuse(ErrorKind.TYPE_MISMATCH, f"{value!r} is not one of {', '.join(sorted(allowed))}.")

    return check


def is_language(value: str) -> bool:
    return bool(_LANGUAGE.fullmatch(value))


def language(empty_ok: bool = True) -> Check:
    """language_type; the empty string means 'no preference' for cmi.learner_preference.language."""

    def check(value: str, ctx: SetContext) -> None:
        if not (value == "" and empty_ok) and not is_language(value):
            refuse(ErrorKind.TYPE_MISMATCH, f"{value!r} is not a language code such as en or en-GB.")

    return check


def strip_lang(value: str) -> str | None:
    """The text of a localized_string_type without its {lang=...} delimiter; None when it is malformed."""
    if not value.startswith("{lang="):
        return value
    match = _LANG_DELIMITER.match(value)
    if not match or not is_language(match.group(1)):
        return None
    return value[match.end() :]


def localized_string() -> Check:
    """localized_string_type (RTE 4.1.1.2): an optional {lang=<language_type>} then any text."""

    def check(value: str, ctx: SetContext) -> None:
        if strip_lang(value) is None:
            refuse(ErrorKind.TYPE_MISMATCH, f"{value[:40]!r} starts with a malformed {{lang=...}} delimiter.")

    return check


def is_identifier(value: str) -> bool:
    """long/short_identifier_type: a URI, so not empty and without whitespace or the characters a URI
    never holds unescaped (``[ ] { }`` among them, SCORM's delimiters); a urn: must be well-formed."""
    if value == "" or _NOT_IN_URI.search(value):
        return False
    return not value.lower().startswith("urn:") or bool(_URN.fullmatch(value))


def identifier() -> Check:
    def check(value: str, ctx: SetContext) -> None:
        if not is_identifier(value):
            refuse(ErrorKind.TYPE_MISMATCH, f"{value[:40]!r} is not an identifier (a URI without spaces).")

    return check


def iso_time() -> Check:
    def check(value: str, ctx: SetContext) -> None:
        if not is_iso_time(value):
            refuse(
                ErrorKind.TYPE_MISMATCH, f"{value!r} is not an ISO 8601 time such as 2026-11-22T09:30:00Z."
            )

    return check


def iso_duration() -> Check:
    def check(value: str, ctx: SetContext) -> None:
        if iso_duration_seconds(value) is None:
            refuse(ErrorKind.TYPE_MISMATCH, f"{value!r} is not an ISO 8601 duration such as PT1H30M5S.")

    return check


# -- SCORM 1.2 ---------------------------------------------------------------------------------------
def decimal12(low: int | None = None, high: int | None = None, blank_ok: bool = False) -> Check:
    """CMIDecimal (optionally CMIBlank), with the range ADL's 1.2 test suite applies to scores."""
    range_check = real(low, high)

    def check(value: str, ctx: SetContext) -> None:
        if value == "" and blank_ok:
            return
        range_check(value, ctx)

    return check


def sinteger12(low: int, high: int) -> Check:
    def check(value: str, ctx: SetContext) -> None:
        if not re.fullmatch(r"-?[0-9]+", value):
            refuse(ErrorKind.TYPE_MISMATCH, f"{value!r} is not a whole number.")
        if not low <= int(value) <= high:
            refuse(ErrorKind.OUT_OF_RANGE, f"{value} is outside {low}..{high}.")

    return check


def identifier12() -> Check:
    """CMIIdentifier: no whitespace, not empty (ADL DataModelValidator.checkIdentifier)."""

    def check(value: str, ctx: SetContext) -> None:
        if value == "" or _WHITESPACE.search(value):
            refuse(ErrorKind.TYPE_MISMATCH, f"{value[:40]!r} is not a CMIIdentifier (no spaces, not empty).")

    return check


def timespan12() -> Check:
    def check(value: str, ctx: SetContext) -> None:
        if timespan12_seconds(value) is None:
            refuse(ErrorKind.TYPE_MISMATCH, f"{value!r} is not a CMITimespan HHHH:MM:SS.SS.")

    return check


def time12() -> Check:
    def check(value: str, ctx: SetContext) -> None:
        if not is_time12(value):
            refuse(ErrorKind.TYPE_MISMATCH, f"{value!r} is not a CMITime HH:MM:SS.")

    return check


def real_or_vocabulary(words: tuple[str, ...], decimal_check: Check) -> Check:
    """Interaction result: a state word or a number (both versions)."""
    in_vocabulary = vocabulary(*words)

    def check(value: str, ctx: SetContext) -> None:
        if value in words:
            return
        if parse_real(value) is None:
            in_vocabulary(value, ctx)
        decimal_check(value, ctx)

    return check


def all_of(*checks: Check) -> Check:
    def check(value: str, ctx: SetContext) -> None:
        for each in checks:
            each(value, ctx)

    return check
