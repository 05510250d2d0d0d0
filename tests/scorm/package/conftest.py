"""Fixtures of the package tests: a factory for zips built in the test's own temporary folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.scorm.package.zip_builder import Entry, build_zip


@pytest.fixture
def make_zip(tmp_path: Path) -> Callable[[list[Entry]], Path]:
    counter = iter(range(1_000_000))

    def make(entries: list[Entry]) -> Path:
        return build_zip(tmp_path / f"package{next(counter)}.zip", entries)

    return make
