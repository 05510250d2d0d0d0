"""Open a package in a test: the codes it is refused with, or the opened package."""

from __future__ import annotations

from pathlib import Path

import pytest

from scorm.package import Limits, PackageSource, open_package
from scorm.problems import PackageRefused


def refusal_codes(path: Path, limits: Limits = Limits()) -> list[str]:
    """The codes of the errors a package is refused with (fails the test if it opens)."""
    with pytest.raises(PackageRefused) as refused:
        open_package(path, limits).close()
    return [problem.code for problem in refused.value.problems if problem.is_error]


def opened(path: Path, limits: Limits = Limits()) -> PackageSource:
    return open_package(path, limits)
