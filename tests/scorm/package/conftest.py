"""Helpers shared by the package tests: open a built zip and collect the codes it is refused with."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from scorm.package import Limits, PackageSource, open_package
from scorm.problems import PackageRefused
from tests.scorm.package.zip_builder import Entry, build_zip


@pytest.fixture
def make_zip(tmp_path: Path) -> Callable[[list[Entry]], Path]:
    counter = iter(range(1_000_000))

    def make(entries: list[Entry]) -> Path:
        return build_zip(tmp_path / f"package{next(counter)}.zip", entries)

    return make


def refusal_codes(path: Path, limits: Limits = Limits()) -> list[str]:
    """The codes of the errors a package is refused with (fails the test if it opens)."""
    with pytest.raises(PackageRefused) as refused:
        open_package(path, limits).close()
    return [problem.code for problem in refused.value.problems if problem.is_error]


def opened(path: Path, limits: Limits = Limits()) -> PackageSource:
    return open_package(path, limits)
