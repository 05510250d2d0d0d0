"""`carecert demo`: one command starts the tool and the demo LMS, registers them, and prints the URL from
which a newcomer adds a unit as the instructor and launches it as a learner."""

from __future__ import annotations

import re
import signal
import socket
import subprocess
import sys
import time

import pytest

from demo_lms.flow import LaunchDriver
from tests.e2e.test_deep_linking import SAMPLE_PACKAGE, picker_with_units, unit_form_index

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_demo(tool_port: int, lms_port: int, data_dir) -> tuple[subprocess.Popen, str]:
    command = [sys.executable, "-c", "from lti_tool.cli import main; main()", "demo"]
    command += ["--tool-port", str(tool_port), "--lms-port", str(lms_port)]
    command += ["--data-dir", str(data_dir), "--stop-after", "180"]
    demo = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        line = demo.stdout.readline()
        if not line and demo.poll() is not None:
            break
        match = re.search(r"Open the demo LMS course: (\S+)", line)
        if match:
            return demo, match.group(1)
    end_demo(demo)
    raise AssertionError("carecert demo did not print the course URL")


def stop_demo(demo: subprocess.Popen) -> int:
    demo.send_signal(signal.SIGTERM)
    return demo.wait(timeout=30)


def end_demo(demo: subprocess.Popen) -> None:
    """Stop a demo still running. TERM, not KILL: the demo then stops the tool server it started, which a
    killed demo would leave running after the tests."""
    if demo.poll() is not None:
        return
    try:
        stop_demo(demo)
    except subprocess.TimeoutExpired:
        demo.kill()
        demo.wait()


@pytest.fixture(scope="module")
def running_demo(tmp_path_factory):
    """One demo for the tests that only use it: a start costs several seconds (gunicorn, the LMS, the
    catalogue). Stopping is tested by the restart test, on a demo of its own."""
    demo, url = start_demo(free_port(), free_port(), tmp_path_factory.mktemp("demo"))
    yield demo, url
    end_demo(demo)


def add_unit(url: str, corpus) -> str:
    """As the instructor, add a unit through deep linking; answers the new resource link id."""
    driver = LaunchDriver(url.rsplit("/course", 1)[0])
    picker = picker_with_units(driver, corpus)
    added = driver.submit_form(picker, form_index=unit_form_index(picker))
    assert added.status_code == 200 and "Activity added" in added.text
    return re.search(r'data-resource-link-id="([^"]+)"', added.text).group(1)


def test_the_printed_url_is_the_course_page_with_the_instructors_add_button(running_demo):
    _, url = running_demo
    driver = LaunchDriver(url.rsplit("/course", 1)[0])
    page = driver.request("GET", url)
    assert page.status_code == 200 and "Add an activity as Ines Instructor" in page.text


def test_the_newcomer_adds_a_unit_as_instructor_and_launches_it_as_a_learner(running_demo, corpus):
    _, url = running_demo
    link_id = add_unit(url, corpus)
    driver = LaunchDriver(url.rsplit("/course", 1)[0])
    assert f'id="launch-{link_id}-learner1"' in driver.request("GET", url).text
    page = driver.launch("learner1", link_id)
    assert page.status_code == 200 and 'data-role="learner"' in page.text


def test_a_demo_stopped_by_sigterm_and_restarted_keeps_its_course_and_the_activity_still_launches(
    tmp_path, corpus
):
    ports = (free_port(), free_port())
    demo, url = start_demo(*ports, tmp_path / "demo")
    try:
        link_id = add_unit(url, corpus)
    finally:
        assert stop_demo(demo) == 0  # a clean stop on SIGTERM
    demo, url = start_demo(*ports, tmp_path / "demo")
    try:
        driver = LaunchDriver(url.rsplit("/course", 1)[0])
        assert f'id="launch-{link_id}-learner2"' in driver.request("GET", url).text
        page = driver.launch("learner2", link_id)
        assert page.status_code == 200 and 'data-role="learner"' in page.text
    finally:
        assert stop_demo(demo) == 0


@pytest.mark.browser
def test_a_newcomer_walks_the_demo_in_a_browser(running_demo, corpus, playwright_driver):
    """The README's promise clicked through in Chromium: add a unit as the instructor, launch as a learner."""
    from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    _, url = running_demo
    browser = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        page = browser.new_context().new_page()
        page.set_default_timeout(90_000)  # a loaded machine: gunicorn workers may answer slowly
        page.goto(url)
        page.get_by_role("link", name="Add an activity as Ines Instructor").click()
        page.locator("#picker").wait_for()
        if page.locator("#add-unit").count() == 0:  # no catalogue unit yet: upload a package first
            page.set_input_files("#package", str(corpus / SAMPLE_PACKAGE))
            page.get_by_role("button", name="Upload and check").click()
        page.locator("#add-unit").click()
        page.locator("#deep-link-result[data-status='200']").wait_for()
        title = page.locator("#deep-link-result li").first.inner_text()
        page.get_by_role("link", name="Back to the course").click()
        activity = page.locator("article.activity", has_text=title).last
        activity.get_by_role("link", name="Launch as Lena Learner (Learner)").click()
        page.locator("body[data-launch-token]").wait_for()
        assert page.locator("body").get_attribute("data-role") == "learner"
    finally:
        browser.close()
