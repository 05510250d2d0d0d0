"""How the SCO finds and talks to the LMS: API discovery through frames and popups, and the time formats
each SCORM version requires."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

# The formats scorm-again enforces, from RTE 3.4.2 (1.2) and RTE 4.1.1 (2004).
TIMESPAN_12 = re.compile(r"^\d{2,4}:\d{2}:\d{2}(\.\d{1,2})?$")
TIME_12 = re.compile(r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$")
TIMESTAMP_2004 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{1,2}Z$")


@pytest.mark.parametrize(
    ("milliseconds", "scorm_12", "scorm_2004"),
    [
        (0, "00:00:00.00", "PT0H0M0.00S"),
        (59_999, "00:01:00.00", "PT0H1M0.00S"),
        (3_723_450, "01:02:03.45", "PT1H2M3.45S"),
        (-5, "00:00:00.00", "PT0H0M0.00S"),
    ],
)
def test_durations_are_written_in_each_versions_format(learner, milliseconds, scorm_12, scorm_2004):
    frame = learner("2004").frame()
    assert frame.evaluate(f"CarecertLms.duration('1.2', {milliseconds})") == scorm_12
    assert frame.evaluate(f"CarecertLms.duration('2004', {milliseconds})") == scorm_2004


def test_timestamps_are_written_in_each_versions_format(learner):
    frame = learner("2004").frame()
    assert TIME_12.match(frame.evaluate("CarecertLms.timestamp('1.2', new Date())"))
    assert TIMESTAMP_2004.match(
        frame.evaluate("CarecertLms.timestamp('2004', new Date(Date.UTC(2026, 0, 2)))")
    )


def relaunch_with_a_fresh_api(session) -> None:
    """Close the SCO the LMS page opened and give the page a new, uninitialised API, as for a new launch."""
    api_class, api_name = (
        ("Scorm12API", "API") if session.version == "1.2" else ("Scorm2004API", "API_1484_11")
    )
    session.page.evaluate(
        f"""(() => {{
          document.getElementById('sco').src = 'about:blank';
          window.{api_name} = new {api_class}({{ autocommit: false, lmsCommitUrl: false, logLevel: 5 }});
        }})()"""
    )


def test_the_api_is_found_two_frames_up(learner):
    session = learner("2004")
    relaunch_with_a_fresh_api(session)
    session.page.evaluate(
        """(() => {
          const outer = document.getElementById('sco');
          outer.removeAttribute('src');
          outer.srcdoc = '<iframe id="inner" title="Unit" src="content/index.html"></iframe>';
        })()"""
    )
    inner = session.page.frame_locator("#sco").frame_locator("#inner")
    inner.locator("#page-p01-title").wait_for()
    assert inner.locator("#save-status").text_content() == "Progress saved."
    assert session.page.evaluate("window.API_1484_11.GetValue('cmi.location')") == "p01"


@pytest.mark.parametrize("version", ["1.2", "2004"])
def test_the_api_is_found_from_a_popup_through_the_opener(learner, version):
    session = learner(version)
    relaunch_with_a_fresh_api(session)
    with session.context.expect_page() as popup_info:
        session.page.evaluate("window.open('content/index.html', 'unit')")
    popup = popup_info.value
    popup.locator("#page-p01-title").wait_for()
    assert popup.locator("#save-status").text_content() == "Progress saved."
    assert popup.locator("#notice").text_content() == ""


def test_interaction_times_match_the_formats(learner):
    session = learner("1.2")
    session.read_all_pages()
    session.click("#check-start")
    session.answer(right=True)
    interaction = session.cmi()["interactions"]["0"]
    assert TIME_12.match(interaction["time"]) and TIMESPAN_12.match(interaction["latency"])
