"""With CONTENT_ORIGIN set, package files come from that separate origin and the SCO reaches the player's
API through scorm-again's cross-frame bridge, with the origins named explicitly on both sides."""

from __future__ import annotations

import re
import time

import pytest
import requests

from tests.player.conftest import start_world
from tests.player.state import attempts_of, sco_values

pytestmark = pytest.mark.browser
SAVED = re.compile(r"^Saved at")  # not "Not saved yet" or "Unsaved changes"
GOLF12 = "golf12_RuntimeBasicCalls"


@pytest.fixture(scope="module")
def split_world(tmp_path_factory, corpus):
    world = start_world(tmp_path_factory.mktemp("content-origin"))
    # The same server under another host name is another origin to the browser.
    world.app.config["CONTENT_ORIGIN"] = world.tool.url.replace("127.0.0.1", "localhost")
    world.link = world.add_unit(corpus, GOLF12, "Golf on a content origin")
    yield world
    world.stop()


def test_the_player_page_allows_frames_only_from_itself_and_the_content_origin(split_world):
    from tests.player.helpers import open_player

    session = open_player(split_world.tool.url, split_world.lms.url, "learner2", split_world.link.id)
    page = requests.get(f"{split_world.tool.url}/player", params={"lt": session.token}, timeout=30)

    policy = page.headers["Content-Security-Policy"]
    assert f"frame-src 'self' {split_world.app.config['CONTENT_ORIGIN']};" in policy
    assert "script-src 'self';" in policy
    assert session.config["contentBase"].startswith(split_world.app.config["CONTENT_ORIGIN"] + "/content/")


def test_a_sco_on_the_content_origin_saves_through_the_cross_frame_bridge(split_world, browser_page):
    split_world.platform.add_user("bridge1", "Bea Bridge")
    browser_page.goto(split_world.launch_url("bridge1", split_world.link))

    sco = browser_page.frame_locator("#sco").frame_locator("#sco")  # the bridge page, then the SCO
    sco.locator("#butNext").click()
    sco.locator("#butNext").click()
    assert (
        browser_page.locator("#sco").get_attribute("src").startswith(split_world.app.config["CONTENT_ORIGIN"])
    )
    browser_page.locator("#save-status", has_text=SAVED).wait_for(timeout=30_000)

    (attempt,) = attempts_of(split_world.app, "bridge1")
    deadline = time.monotonic() + 10
    while sco_values(split_world.app, attempt.id, "item_1").get("cmi.core.lesson_location") != "2":
        assert time.monotonic() < deadline, "the SCO's location never reached the server"
        time.sleep(0.2)
