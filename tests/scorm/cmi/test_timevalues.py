"""ISO 8601 durations and timestamps (SCORM 2004) and CMITimespan/CMITime (SCORM 1.2)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scorm.cmi.common.timevalues import (
    format_iso_duration,
    format_timespan12,
    is_iso_time,
    is_time12,
    iso_duration_seconds,
    timespan12_seconds,
)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("PT1M", 60),
        ("PT01H059M020S", 3600 + 59 * 60 + 20),  # leading zeros, as ADL's DMB test sends
        ("P29D", 29 * 86400),
        ("P0Y029DT0H", 29 * 86400),
        ("PT0.25S", Decimal("0.25")),
        ("P1Y", 365 * 86400),
        ("PT0H0M0S", 0),
    ],
)
def test_iso_duration_is_read_in_seconds(text: str, seconds) -> None:
    assert iso_duration_seconds(text) == Decimal(seconds)


@pytest.mark.parametrize(
    "text", ["", "P", "PT", "P1DT", "1H", "PT-1S", "PT1.S", "P1H", "pt1m", "PT1M ", "P1.5D"]
)
def test_malformed_durations_are_not_durations(text: str) -> None:
    assert iso_duration_seconds(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "2026",
        "2026-11",
        "2026-11-22",
        "2026-11-22T09",
        "2026-11-22T09:30:15.5Z",
        "2024-02-29T23:59:59.00+01:00",
        "2026-11-22T09:30:15.123Z",  # JavaScript's toISOString()
        "2026-11-22T09:30:15",  # no zone: local time
    ],
)
def test_iso_timestamps_at_any_precision_are_times(text: str) -> None:
    assert is_iso_time(text)


@pytest.mark.parametrize(
    "text",
    [
        "1969-12-31",
        "2039-01-01",
        "2026-13-01",
        "2025-02-29",
        "2026-11-22T24:00",
        "2026-11-22Z",
        "26-11-22",
        "2026-11-22T09:30:00Z",  # a zone needs the fraction of a second before it
    ],
)
def test_out_of_range_or_malformed_timestamps_are_refused(text: str) -> None:
    assert not is_iso_time(text)


def test_duration_formatting_keeps_hundredths_and_drops_empty_parts() -> None:
    assert format_iso_duration(Decimal("3789.5")) == "PT1H3M9.5S"
    assert format_iso_duration(Decimal(0)) == "PT0S"
    assert iso_duration_seconds(format_iso_duration(Decimal("7260.01"))) == Decimal("7260.01")


def test_cmi_timespan_takes_two_to_four_hour_digits() -> None:
    assert timespan12_seconds("0000:01:30.50") == Decimal("90.50")
    assert timespan12_seconds("12:00:00") == 43200
    assert timespan12_seconds("1:00:00") is None
    assert timespan12_seconds("00:60:00") is None


def test_cmi_time_is_a_time_of_day() -> None:
    assert is_time12("23:59:59.99")
    assert not is_time12("24:00:00")


def test_timespan_formatting_round_trips() -> None:
    assert format_timespan12(Decimal("3661.5")) == "01:01:01.50"
    assert timespan12_seconds(format_timespan12(Decimal(36000 * 5))) == 180000
