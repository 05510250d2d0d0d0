"""Shared test helpers: a running attempt and one-line calls that report (return value, error code)."""

from __future__ import annotations

from scorm.runtime import Attempt


def running(version: str, seed: dict | None = None) -> Attempt:
    attempt = Attempt.new(version, seed)
    assert attempt.call("Initialize", "") == "true"
    return attempt


def set_(attempt: Attempt, element: str, value: str) -> tuple[str, str]:
    returned = attempt.call("SetValue", element, value)
    return returned, attempt.get_last_error()


def get(attempt: Attempt, element: str) -> tuple[str, str]:
    returned = attempt.call("GetValue", element)
    return returned, attempt.get_last_error()


def set_all(attempt: Attempt, *pairs: tuple[str, str]) -> None:
    for element, value in pairs:
        assert set_(attempt, element, value) == ("true", "0"), (element, attempt.get_diagnostic(""))
