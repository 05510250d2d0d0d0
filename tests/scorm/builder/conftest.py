"""Fixtures for the browser tests: one Chromium per session, a served LMS page per SCORM version, and a
learner session that plays the fixture unit through the SCO's own interface."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any

import pytest

from scorm.builder import build_package
from tests.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.scorm.builder.browser_harness import (
    AXE,
    SCORM_AGAIN,
    prepare_site,
    seed_script,
    serve,
)
from tests.scorm.builder.unit_fixture import correct_option, make_unit, wrong_option

SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="session")
def chromium(playwright_driver):
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    missing = [str(path) for path in (*SCORM_AGAIN.values(), AXE) if not path.exists()]
    if missing:
        pytest.skip(f"npm packages not installed (run scripts/install): {', '.join(missing)}")
    browser = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def served_units(tmp_path_factory) -> Iterator[dict[str, str]]:
    """The fixture unit built in both versions, each behind its own test LMS page; version -> base URL."""
    unit = make_unit()
    root = tmp_path_factory.mktemp("lms")
    for version in ("1.2", "2004"):
        package = build_package(unit, version, tmp_path_factory.mktemp("packages"))
        prepare_site(package, version, root / _folder(version))
    with serve(root) as base:
        yield {version: f"{base}/{_folder(version)}/lms.html" for version in ("1.2", "2004")}


def _folder(version: str) -> str:
    return "scorm" + version.replace(".", "")


class Learner:
    """One learner in one browser page: the LMS page with the SCO in its iframe."""

    def __init__(self, browser, url: str, version: str, seed: dict | None, unit=None, **context_options: Any):
        self.version = version
        self.unit = unit or make_unit()
        self.context = browser.new_context(**context_options)
        self.context.set_default_timeout(10_000)
        self.requests: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.page = self.context.new_page()
        self.page.add_init_script(seed_script(seed))
        self.page.goto(url)
        self.sco = self.page.frame_locator("#sco")
        self.sco.locator(".screen:not([hidden]) h2").first.wait_for()

    @property
    def api(self) -> str:
        return "window.API" if self.version == "1.2" else "window.API_1484_11"

    def frame(self):
        return self.page.locator("#sco").element_handle().content_frame()

    def cmi(self) -> dict[str, Any]:
        return self.page.evaluate(f"{self.api}.renderCMIToJSONObject()")["cmi"]

    def visible_heading(self) -> str:
        return self.sco.locator("h2:visible").first.text_content()

    def click(self, selector: str) -> None:
        self.sco.locator(selector).click()

    def read_all_pages(self) -> None:
        for _ in self.unit["pages"]:
            self.click("#next-page")
        self.sco.locator("#check-intro-title").wait_for()

    def question_id(self) -> str:
        return self.sco.locator("fieldset.question").get_attribute("data-question-id")

    def answer(self, right: bool) -> str:
        question_id = self.question_id()
        option = (correct_option if right else wrong_option)(self.unit, question_id)
        self.sco.locator(f"input[name=answer][value='{option}']").check()
        self.click("#check-answer")
        self.sco.locator("#next-question").wait_for()
        return question_id

    def answer_next(self, right: bool) -> str:
        """Move on from a checked question and answer the next one."""
        self.click("#next-question")
        return self.answer(right)

    def take_check(self, right: bool) -> list[str]:
        self.click("#check-start")
        asked = []
        for _ in range(self.unit["assessment"]["questions_per_attempt"]):
            asked.append(self.answer(right))
            self.click("#next-question")
        self.sco.locator("#results-title").wait_for()
        return asked

    def leave(self) -> None:
        """Navigate the SCO's frame away, as closing the player does; the SCO terminates on pagehide."""
        finish = "LMSFinish" if self.version == "1.2" else "Terminate"
        self.page.evaluate("document.getElementById('sco').src = 'about:blank'")
        self.page.wait_for_function(f"window.harness.calls.indexOf({json.dumps(finish)}) !== -1")

    def axe_violations(self) -> list[dict[str, Any]]:
        frame = self.frame()
        frame.evaluate(AXE.read_text(encoding="utf-8"))
        result = frame.evaluate("axe.run(document)")
        return [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in result["violations"]
            if v["impact"] in SERIOUS
        ]

    def horizontal_overflow(self) -> int:
        return self.frame().evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def learner(chromium, served_units, tmp_path):
    """learner(version, seed=None, unit=None, **context options) opens the LMS page with the fixture unit
    (or ``unit``, built and served for this test only); everything is closed at the end of the test."""
    opened: list[Learner] = []
    with contextlib.ExitStack() as servers:

        def open_learner(
            version: str, seed: dict | None = None, unit=None, **context_options: Any
        ) -> Learner:
            url = served_units[version]
            if unit is not None:
                folder = tmp_path / f"site{len(opened)}"
                prepare_site(build_package(unit, version, tmp_path / "packages"), version, folder)
                url = servers.enter_context(serve(folder)) + "/lms.html"
            session = Learner(chromium, url, version, seed, unit, **context_options)
            opened.append(session)
            return session

        yield open_learner
        for session in opened:
            session.close()
