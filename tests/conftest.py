"""Shared test fixtures: where the shared corpus lives."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
CORPUS = REPO_ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return CORPUS


@pytest.fixture(scope="session")
def playwright_driver():
    """The one Playwright driver of the test run. Playwright's sync API refuses a second driver while one is
    running in the same process, so every browser fixture launches its Chromium from this one."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    driver = sync_api.sync_playwright().start()
    yield driver
    driver.stop()
