"""Navigation requests a SCO leaves in adl.nav.request before Terminate (SCORM 2004 RTE 4.2, SN OP.1), played
in Chromium after a real LTI launch: continue and choice deliver the next activity, suspendAll saves the
place and a relaunch resumes that SCO with cmi.entry "resume", exitAll ends the session on a plain finished
screen, and a single SCO that just terminates leaves a plain screen, not a blank frame.

The packages are written here: two small SCORM 2004 4th Edition SCOs whose buttons set adl.nav.request and
call Terminate, as real content does (the corpus's golf courses issue these only from a commented-out
button or a confirm dialog)."""

from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

import pytest

from tests.player.conftest import start_world
from tests.player.state import attempts_of, sco_values

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="nav-requests-{name}" version="1"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
  xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
  xmlns:imsss="http://www.imsglobal.org/xsd/imsss">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>Navigation requests</title>
      {items}
      <imsss:sequencing><imsss:controlMode choice="true" flow="true"/></imsss:sequencing>
    </organization>
  </organizations>
  <resources>{resources}</resources>
</manifest>
"""
ITEM = '<item identifier="{id}" identifierref="res-{id}"><title>{title}</title></item>'
RESOURCE = (
    '<resource identifier="res-{id}" type="webcontent" adlcp:scormType="sco" href="{id}.html">'
    '<file href="{id}.html"/></resource>'
)
# A SCO whose buttons leave a navigation request and terminate; it shows cmi.entry for the test to read.
SCO = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body>
<h1>{title}</h1>
<p>Entry: <span id="entry"></span></p>
<p>
  <button id="continue" data-request="continue">Next part</button>
  <button id="previous" data-request="previous">Previous part</button>
  <button id="choose-two" data-request="{{target=part_two}}choice">Go to part two</button>
  <button id="suspend-all" data-request="suspendAll">Save and close</button>
  <button id="exit-all" data-request="exitAll">Exit</button>
  <button id="terminate" data-request="">Finish</button>
</p>
<script>
  var api = null;
  for (var w = window; w && !api; w = w === w.parent ? null : w.parent) {{ api = w.API_1484_11 || null; }}
  api.Initialize("");
  document.getElementById("entry").textContent = api.GetValue("cmi.entry");
  api.SetValue("cmi.location", "{id}");
  api.SetValue("cmi.completion_status", "incomplete");
  Array.prototype.forEach.call(document.querySelectorAll("button"), function (button) {{
    button.addEventListener("click", function () {{
      var request = button.getAttribute("data-request");
      if (request) {{ api.SetValue("adl.nav.request", request); }}
      else {{ api.SetValue("cmi.completion_status", "completed"); }}
      api.Terminate("");
    }});
  }});
</script>
</body></html>
"""
PARTS = {"part_one": "Part one", "part_two": "Part two"}


def write_package(folder: Path, name: str, parts: dict[str, str]) -> None:
    """A SCORM 2004 package of these SCOs (item identifier: title) in folder/packages/name.zip."""
    manifest = MANIFEST.format(
        name=name,
        items="".join(ITEM.format(id=key, title=title) for key, title in parts.items()),
        resources="".join(RESOURCE.format(id=key) for key in parts),
    )
    (folder / "packages").mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(folder / "packages" / f"{name}.zip", "w") as archive:
        archive.writestr("imsmanifest.xml", manifest)
        for key, title in parts.items():
            archive.writestr(f"{key}.html", SCO.format(id=key, title=title))


@pytest.fixture(scope="module")
def nav_world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nav-packages")
    write_package(folder, "two_parts", PARTS)
    write_package(folder, "one_part", {"part_one": "Only part"})
    world = start_world(tmp_path_factory.mktemp("nav-tool"))
    world.two_parts = world.add_unit(folder, "two_parts", "Two parts")
    world.one_part = world.add_unit(folder, "one_part", "One part")
    yield world
    world.stop()


def wait_for(condition, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("the condition did not come true in time")


def open_unit(page, world, user_id: str, link):
    page.goto(world.launch_url(user_id, link))
    return page.frame_locator("#sco")


def showing(page, title: str):
    sco = page.frame_locator("#sco")
    sco.locator("h1", has_text=re.compile(f"^{title}$")).wait_for()
    return sco


def test_continue_and_choice_requested_by_the_sco_deliver_the_activity_the_sequencer_picks(
    nav_world, browser_page
):
    nav_world.platform.add_user("nav-flow", "Flo Flow")
    sco = open_unit(browser_page, nav_world, "nav-flow", nav_world.two_parts)
    showing(browser_page, "Part one")

    sco.locator("#continue").click()
    sco = showing(browser_page, "Part two")
    assert (
        browser_page.locator("#toc-list button[aria-current='step']").get_attribute("data-item") == "part_two"
    )
    sco.locator("#previous").click()
    sco = showing(browser_page, "Part one")
    sco.locator("#choose-two").click()

    showing(browser_page, "Part two")
    assert browser_page.locator("#end-screen").is_hidden()


def test_suspend_all_saves_the_place_and_a_relaunch_resumes_that_sco(nav_world, chromium):
    nav_world.platform.add_user("nav-suspend", "Sue Suspend")
    context = chromium.new_context()
    context.set_default_timeout(30_000)
    page = context.new_page()
    sco = open_unit(page, nav_world, "nav-suspend", nav_world.two_parts)
    showing(page, "Part one")
    sco.locator("#continue").click()
    sco = showing(page, "Part two")

    sco.locator("#suspend-all").click()

    page.locator("#end-title", has_text="Your place is saved.").wait_for()
    assert page.evaluate("() => document.activeElement.id") == "end-title"
    assert page.locator("#sco").is_hidden()
    (attempt,) = attempts_of(nav_world.app, "nav-suspend")
    wait_for(lambda: sco_values(nav_world.app, attempt.id, "part_two").get("adl.nav.request") == "suspendAll")
    page.close()

    again = context.new_page()
    sco = open_unit(again, nav_world, "nav-suspend", nav_world.two_parts)
    showing(again, "Part two")
    assert sco.locator("#entry").text_content() == "resume"
    assert again.locator("#toc-list button[aria-current='step']").get_attribute("data-item") == "part_two"
    context.close()


def test_exit_all_ends_the_session_on_the_finished_screen_and_a_relaunch_starts_again(nav_world, chromium):
    nav_world.platform.add_user("nav-exit", "Ed Exit")
    context = chromium.new_context()
    context.set_default_timeout(30_000)
    page = context.new_page()
    sco = open_unit(page, nav_world, "nav-exit", nav_world.two_parts)
    showing(page, "Part one")

    sco.locator("#exit-all").click()

    page.locator("#end-title", has_text="You have finished this session.").wait_for()
    assert page.locator("#flow-nav").is_hidden() and page.locator("#toc").is_hidden()
    page.close()
    again = context.new_page()
    sco = open_unit(again, nav_world, "nav-exit", nav_world.two_parts)
    showing(again, "Part one")
    assert sco.locator("#entry").text_content() == "ab-initio"  # a new attempt on the activity, not a resume
    context.close()


def test_a_single_sco_that_just_terminates_leaves_a_plain_finished_screen(nav_world, browser_page):
    nav_world.platform.add_user("nav-single", "Sid Single")
    sco = open_unit(browser_page, nav_world, "nav-single", nav_world.one_part)
    showing(browser_page, "Only part")

    sco.locator("#terminate").click()

    browser_page.locator("#end-title", has_text="You have finished this session.").wait_for()
    assert browser_page.locator("#sco").is_hidden()
    browser_page.locator("#end-reopen").focus()
    browser_page.keyboard.press("Enter")  # the keyboard opens the unit again
    showing(browser_page, "Only part")


def test_a_single_sco_suspend_all_resumes_it_next_time(nav_world, chromium):
    nav_world.platform.add_user("nav-single-suspend", "Sal Single")
    context = chromium.new_context()
    context.set_default_timeout(30_000)
    page = context.new_page()
    sco = open_unit(page, nav_world, "nav-single-suspend", nav_world.one_part)
    showing(page, "Only part")

    sco.locator("#suspend-all").click()

    page.locator("#end-title", has_text="Your place is saved.").wait_for()
    (attempt,) = attempts_of(nav_world.app, "nav-single-suspend")
    wait_for(lambda: sco_values(nav_world.app, attempt.id, "part_one").get("adl.nav.request") == "suspendAll")
    page.close()
    again = context.new_page()
    sco = open_unit(again, nav_world, "nav-single-suspend", nav_world.one_part)
    showing(again, "Only part")
    assert sco.locator("#entry").text_content() == "resume"
    context.close()


def test_the_end_screen_fits_a_phone_and_axe_finds_nothing_serious(nav_world, chromium):
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE} (run scripts/install --test)")
    nav_world.platform.add_user("nav-phone", "Pip Phone")
    context = chromium.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    context.set_default_timeout(30_000)
    page = context.new_page()
    sco = open_unit(page, nav_world, "nav-phone", nav_world.two_parts)
    showing(page, "Part one")
    sco.locator("#suspend-all").click()
    page.locator("#end-title", has_text="Your place is saved.").wait_for()

    page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(
        "async () => (await axe.run({exclude: [['#sco']]})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact)).map(v => v.id + ': ' + v.help)"
    )
    assert found == []
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    context.close()


GOLF2004 = "golf2004e3_RuntimeBasicCalls"


def test_golf_exit_saving_progress_issues_suspend_all_and_resumes_the_course(nav_world, corpus, chromium):
    link = nav_world.add_unit(corpus, GOLF2004, "Golf 2004 exit")
    nav_world.platform.add_user("nav-golf", "Gil Golf")
    context = chromium.new_context()
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # "save your progress to resume later?": yes
    sco = open_unit(page, nav_world, "nav-golf", link)
    sco.locator("#butNext").click()

    sco.locator("#butExit").click()

    page.locator("#end-title", has_text="Your place is saved.").wait_for()
    page.close()
    again = context.new_page()
    again.on("dialog", lambda dialog: dialog.accept())
    open_unit(again, nav_world, "nav-golf", link).locator("#butNext").wait_for()
    frame = again.locator("#sco").element_handle().content_frame()
    assert frame.evaluate("() => window.parent.API_1484_11.GetValue('cmi.entry')") == "resume"
    context.close()


def test_golf_exit_without_saving_issues_exit_all_and_shows_the_finished_screen(nav_world, corpus, chromium):
    link = nav_world.add_unit(corpus, GOLF2004, "Golf 2004 exit all")
    nav_world.platform.add_user("nav-golf-exit", "Gus Golf")
    context = chromium.new_context()
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.dismiss())  # "save your progress to resume later?": no
    sco = open_unit(page, nav_world, "nav-golf-exit", link)

    sco.locator("#butExit").click()

    page.locator("#end-title", has_text="You have finished this session.").wait_for()
    (attempt,) = attempts_of(nav_world.app, "nav-golf-exit")
    wait_for(lambda: sco_values(nav_world.app, attempt.id, "item_1").get("adl.nav.request") == "exitAll")
    context.close()


@pytest.fixture(scope="module")
def split_nav_world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("nav-split-packages")
    write_package(folder, "two_parts", PARTS)
    world = start_world(tmp_path_factory.mktemp("nav-split-tool"))
    # The same server under another host name is another origin to the browser.
    world.app.config["CONTENT_ORIGIN"] = world.tool.url.replace("127.0.0.1", "localhost")
    world.two_parts = world.add_unit(folder, "two_parts", "Two parts, content origin")
    yield world
    world.stop()


def test_suspend_all_through_the_cross_frame_bridge_saves_the_place(split_nav_world, chromium):
    world = split_nav_world
    world.platform.add_user("nav-bridge", "Bo Bridge")
    context = chromium.new_context()
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(world.launch_url("nav-bridge", world.two_parts))
    sco = page.frame_locator("#sco").frame_locator("#sco")  # the bridge page, then the SCO
    sco.locator("h1", has_text="Part one").wait_for()

    sco.locator("#suspend-all").click()

    page.locator("#end-title", has_text="Your place is saved.").wait_for()
    (attempt,) = attempts_of(world.app, "nav-bridge")
    wait_for(lambda: sco_values(world.app, attempt.id, "part_one").get("adl.nav.request") == "suspendAll")
    page.close()
    again = context.new_page()
    again.goto(world.launch_url("nav-bridge", world.two_parts))
    again.frame_locator("#sco").frame_locator("#sco").locator("h1", has_text="Part one").wait_for()
    wait_for(lambda: again.evaluate("() => window.API_1484_11.isInitialized()"))
    assert again.evaluate("() => window.API_1484_11.GetValue('cmi.entry')") == "resume"
    context.close()
