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
from tests.e2e.test_deep_linking import picker_with_units, unit_form_index

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def running_demo(tmp_path):
    command = [sys.executable, "-c", "from lti_tool.cli import main; main()", "demo"]
    command += ["--tool-port", str(free_port()), "--lms-port", str(free_port())]
    command += ["--data-dir", str(tmp_path / "demo"), "--stop-after", "180"]
    demo = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    url = None
    deadline = time.monotonic() + 90
    while url is None and time.monotonic() < deadline:
        line = demo.stdout.readline()
        if not line and demo.poll() is not None:
            break
        match = re.search(r"Open the demo LMS course: (\S+)", line)
        url = match.group(1) if match else None
    assert url, "carecert demo did not print the course URL"
    yield demo, url
    if demo.poll() is None:
        demo.kill()
        demo.wait()


def test_the_printed_url_is_the_course_page_with_the_instructors_add_button(running_demo):
    _, url = running_demo
    driver = LaunchDriver(url.rsplit("/course", 1)[0])
    page = driver.request("GET", url)
    assert page.status_code == 200 and "Add an activity as Ines Instructor" in page.text


def test_the_newcomer_adds_a_unit_as_instructor_and_launches_it_as_a_learner(running_demo, corpus):
    _, url = running_demo
    driver = LaunchDriver(url.rsplit("/course", 1)[0])
    picker = picker_with_units(driver, corpus)
    index = unit_form_index(picker)
    added = driver.submit_form(picker, form_index=index)
    assert added.status_code == 200 and "Activity added" in added.text
    link_id = re.search(r'data-resource-link-id="([^"]+)"', added.text).group(1)
    course = driver.request("GET", url).text
    assert f'id="launch-{link_id}-learner1"' in course
    page = LaunchDriver(driver.platform_url).launch("learner1", link_id)
    assert page.status_code == 200 and 'data-role="learner"' in page.text


def test_the_demo_stops_cleanly_on_sigterm(running_demo):
    demo, _ = running_demo
    demo.send_signal(signal.SIGTERM)
    assert demo.wait(timeout=30) == 0
