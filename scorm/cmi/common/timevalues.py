"""Time formats of both run-times: parse, check and add durations and timestamps.

SCORM 2004 uses ISO 8601 (RTE 4.1.1.4: time(second,10,0) and timeinterval(second,10,2)); SCORM 1.2 uses
CMITimespan ``HHHH:MM:SS.SS`` and CMITime ``HH:MM:SS.SS`` (RTE 3.4.2).
"""

from __future__ import annotations

import calendar
import functools
import re
from decimal import Decimal

# P[yY][mM][dD][T[hH][nM][s[.s]S]]: leading zeros are legal (ADL's DMB test sends "PT01H059M020S");
# SCORM restricts a fraction of a second to 2 digits (RTE 4.1.1.4), as scorm-again does.
_ISO_DURATION = re.compile(
    r"P(?:(?P<Y>\d+)Y)?(?:(?P<Mo>\d+)M)?(?:(?P<D>\d+)D)?"
    r"(?:T(?:(?P<H>\d+)H)?(?:(?P<Mi>\d+)M)?(?:(?P<S>\d+(?:\.\d{1,2})?)S)?)?"
)
# Years and months have no fixed length; summing total_time needs one, so a year counts 365 days and a
# month 30 days (the same convention most LMSs use). Only content that reports months is affected.
# The longest duration taken (about 31,700 years). SCORM sets no maximum, but an LMS adds durations up into a
# total time it must store; a session time of 400 digits would make that total infinite.
MAX_DURATION_SECONDS = Decimal(10**12)
_SECONDS_PER = {"Y": 365 * 86400, "Mo": 30 * 86400, "D": 86400, "H": 3600, "Mi": 60, "S": 1}

# YYYY[-MM[-DD[Thh[:mm[:ss[.s[TZD]]]]]]] (RTE 4.1.1.4): a time zone only after a fraction of a second
# ("if TZD is defined, hh:mm:ss.s shall also be defined"). The fraction may be longer than SCORM's 2
# digits: JavaScript's toISOString() writes 3 and the browser run-time accepts up to 6, so refusing them
# here would refuse commits of common content.
_ISO_TIME = re.compile(
    r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2})"
    r"(?:\.\d+(?P<tzd>Z|[+-]\d{2}(?::\d{2})?)?)?)?)?)?)?)?"
)

_TIMESPAN_12 = re.compile(r"(?P<h>\d{2,4}):(?P<m>\d{2}):(?P<s>\d{2}(?:\.\d{1,2})?)")
_TIME_12 = re.compile(r"(?P<h>\d{2}):(?P<m>\d{2}):(?P<s>\d{2}(?:\.\d{1,2})?)")


def iso_duration_seconds(value: str) -> Decimal | None:
    """Seconds in an ISO 8601 duration as SCORM 2004 allows it, or None when it is not one."""
    match = _ISO_DURATION.fullmatch(value)
    if not match or value in ("P", "") or value.endswith("T"):
        return None
    parts = match.groupdict()
    if all(part is None for part in parts.values()):
        return None
    seconds = sum(
        (Decimal(parts[unit]) * factor for unit, factor in _SECONDS_PER.items() if parts[unit]), Decimal(0)
    )
    return seconds if seconds <= MAX_DURATION_SECONDS else None


def is_iso_time(value: str) -> bool:
    """A SCORM 2004 time(second,10,0): an ISO 8601 timestamp between 1970 and 2038 (RTE 4.1.1.4)."""
    match = _ISO_TIME.fullmatch(value)
    if not match:
        return False
    fields = match.groupdict()
    year = int(fields["year"])
    if not 1970 <= year <= 2038:
        return False
    if fields["month"] is not None and not 1 <= int(fields["month"]) <= 12:
        return False
    if fields["day"] is not None:
        days_in_month = calendar.monthrange(year, int(fields["month"]))[1]
        if not 1 <= int(fields["day"]) <= days_in_month:
            return False
    limits = (("hour", 23), ("minute", 59), ("second", 59))
    if any(fields[name] is not None and int(fields[name]) > top for name, top in limits):
        return False
    tzd = fields["tzd"]
    return not tzd or tzd == "Z" or (int(tzd[1:3]) <= 23 and (len(tzd) == 3 or int(tzd[4:6]) <= 59))


# Every commit's result formats the attempt's total time (the same few values all session): a lookup, not
# Decimal arithmetic and string building each time.
@functools.lru_cache(maxsize=1024)
def format_iso_duration(seconds: Decimal) -> str:
    """Seconds as a SCORM 2004 timeinterval, e.g. ``PT1H5M49.5S`` (hundredths kept)."""
    centis = int((seconds * 100).to_integral_value())
    hours, centis = divmod(centis, 360000)
    minutes, centis = divmod(centis, 6000)
    whole, hundredths = divmod(centis, 100)
    second_text = f"{whole}.{hundredths:02d}".rstrip("0").rstrip(".") if hundredths else str(whole)
    text = "PT"
    if hours:
        text += f"{hours}H"
    if minutes:
        text += f"{minutes}M"
    if whole or hundredths or text == "PT":
        text += f"{second_text}S"
    return text


def timespan12_seconds(value: str) -> Decimal | None:
    """Seconds in a SCORM 1.2 CMITimespan ``HHHH:MM:SS.SS``, or None when it is not one."""
    match = _TIMESPAN_12.fullmatch(value)
    if not match or int(match["m"]) > 59 or Decimal(match["s"]) >= 60:
        return None
    return int(match["h"]) * 3600 + int(match["m"]) * 60 + Decimal(match["s"])


def is_time12(value: str) -> bool:
    """A SCORM 1.2 CMITime: a time of day ``HH:MM:SS[.SS]``."""
    match = _TIME_12.fullmatch(value)
    return bool(match) and int(match["h"]) <= 23 and int(match["m"]) <= 59 and Decimal(match["s"]) < 60


def format_timespan12(seconds: Decimal) -> str:
    """Seconds as a CMITimespan; hours beyond the format's 9999 are capped there (1.2 cannot say more)."""
    centis = min(int((seconds * 100).to_integral_value()), 9999 * 360000 + 359999)
    hours, centis = divmod(centis, 360000)
    minutes, centis = divmod(centis, 6000)
    whole, hundredths = divmod(centis, 100)
    text = f"{hours:02d}:{minutes:02d}:{whole:02d}"
    return f"{text}.{hundredths:02d}" if hundredths else text
