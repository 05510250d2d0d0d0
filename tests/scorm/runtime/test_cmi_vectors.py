"""Replays every run-time conformance case in the shared corpus (cmi_vectors/, generated/ included).

Each activity is a fresh attempt seeded with its initialState; after every step the return value and the
last error must match. A step's ``knownDivergence`` describes scorm-again, not the specification, so the
step's own expectation is what we check.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scorm.runtime import Attempt

VECTORS = Path(__file__).resolve().parents[3].parent / "shared" / "corpus" / "cmi_vectors"


def _activities() -> list:
    if not VECTORS.is_dir():
        return [pytest.param(None, None, marks=pytest.mark.skip(reason=f"corpus not found at {VECTORS}"))]
    cases = []
    for path in sorted(VECTORS.rglob("*.json")):
        case = json.loads(path.read_text())
        for activity in case["activities"]:
            name = f"{path.relative_to(VECTORS)}::{activity['id']}"
            cases.append(pytest.param(case, activity, id=name))
    return cases


def _matches(expected, actual: str) -> bool:
    if isinstance(expected, dict):
        if expected.get("match") == "nonEmptyMax255":
            return 0 < len(actual) <= 255
        raise AssertionError(f"unknown matcher {expected}")
    return actual == expected


def _seed(case: dict, activity: dict) -> dict:
    seed = json.loads(json.dumps(case.get("initialState") or {}))
    for root, values in (activity.get("initialState") or {}).items():
        seed.setdefault(root, {}).update(values)
    return seed


@pytest.mark.parametrize(("case", "activity"), _activities())
def test_vector_activity_matches_every_step(case: dict, activity: dict) -> None:
    attempt = Attempt.new(case["scormVersion"], _seed(case, activity))
    for number, step in enumerate(activity["steps"]):
        arguments = [step[key] for key in ("element", "value") if key in step]
        returned = attempt.call(step["method"], *arguments)
        where = f"step {number}: {step['method']}({', '.join(map(repr, arguments))})"
        assert _matches(step["expectedReturn"], returned), f"{where} returned {returned!r}"
        assert attempt.get_last_error() == step["expectedErrorCode"], (
            f"{where} left error {attempt.get_last_error()} ({attempt.get_diagnostic('')})"
        )
