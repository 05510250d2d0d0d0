"""A real browser (Debian's Chromium through Playwright) launches the tool inside an iframe of the demo LMS,
a different site (LMS at 127.0.0.1, tool at localhost), with third-party cookies blocked, and reaches the
tool page: directly when the tool's partitioned cookie is accepted, else through its new-window path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import flask
import pytest

from demo_lms.server import serve_in_thread
from tests.chromium import CHROMIUM
from tests.chromium import CHROMIUM_ARGS as BASE_ARGS

pytestmark = pytest.mark.browser

# Block third-party cookies, as Chrome's tracking protection does.
CHROMIUM_ARGS = [*BASE_ARGS, "--test-third-party-cookie-phaseout"]
TOOL_PAGE_OR_REFUSAL = "body[data-launch-token], #lti-error"
WAIT_MS = 60_000  # generous: the machine running the suite may be busy


@pytest.fixture(scope="module")
def chromium(playwright_driver) -> Iterator:
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    browser = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def context(chromium):
    context = chromium.new_context()
    context.set_default_timeout(WAIT_MS)
    yield context
    context.close()


@pytest.fixture
def cross_site_world(make_world):
    # COOKIE_SECURE stays on: Chromium accepts Secure cookies from http://localhost (a secure context).
    world = make_world(url_host="localhost", COOKIE_SECURE=True)
    assert world.tool_url.startswith("http://localhost:") and world.lms.url.startswith("http://127.0.0.1:")
    return world


def third_party_cookies_are_blocked(context) -> bool:
    """Probe the browser: does a plain SameSite=None cookie set inside a cross-site iframe come back?"""
    third_party = flask.Flask("third_party_probe")

    @third_party.get("/set")
    def set_cookie() -> flask.Response:
        answer = flask.redirect("/read")
        answer.headers.add("Set-Cookie", "probe=1; SameSite=None; Secure; Path=/")
        return answer

    @third_party.get("/read")
    def read_cookie() -> str:
        return f'<body data-probe="{"probe" in flask.request.cookies}"></body>'

    top = flask.Flask("top_probe")
    with serve_in_thread(third_party, url_host="localhost") as third_server:
        top.add_url_rule("/", "index", lambda: f'<iframe id="probe" src="{third_server.url}/set"></iframe>')
        with serve_in_thread(top) as top_server:
            page = context.new_page()
            page.goto(top_server.url + "/")
            probe = page.frame_locator("#probe").locator("body[data-probe]")
            probe.wait_for(timeout=WAIT_MS)
            blocked = probe.get_attribute("data-probe") == "False"
            page.close()
    return blocked


def open_embedded_launch(context, world, user_id: str = "learner1"):
    page = context.new_page()
    page.goto(f"{world.lms.url}/course/embed?rl={world.unit.id}&user={user_id}")
    frame = page.frame_locator("#tool-frame")
    frame.locator(TOOL_PAGE_OR_REFUSAL).first.wait_for(timeout=WAIT_MS)
    return page, frame


def reach_tool_page(context, world):
    """The tool page in the iframe, or in the new window the tool offers when its cookie is blocked."""
    page, frame = open_embedded_launch(context, world)
    if frame.locator("body[data-launch-token]").count():
        return frame.locator("body")
    assert frame.locator("#lti-error").get_attribute("data-error-code") == "LTI-STATE-COOKIE-MISSING"
    with context.expect_page() as new_window:
        frame.locator("#open-new-window").click()
    window = new_window.value
    window.locator(TOOL_PAGE_OR_REFUSAL).first.wait_for(timeout=WAIT_MS)
    return window.locator("body")


def keep_no_cookies_in_frames(context, tool_url: str) -> None:
    """Act as a browser that keeps no cookie for a cross-site frame (as Safari does): a request from inside
    the iframe goes without cookies and its answer's Set-Cookie is dropped; windows keep theirs."""

    def handle(route, request) -> None:
        if not in_a_frame(request):
            route.continue_()
            return
        context.clear_cookies()  # route.fetch sends the context's cookies: forget the one set in the frame
        response = route.fetch(max_redirects=0)
        context.clear_cookies()
        headers = {k: v for k, v in response.headers.items() if k.lower() != "set-cookie"}
        route.fulfill(response=response, headers=headers)

    context.route(f"{tool_url}/**", handle)


def in_a_frame(request) -> bool:
    from playwright.sync_api import Error as PlaywrightError

    try:
        return request.frame.parent_frame is not None
    except PlaywrightError:  # a new window's first navigation has no frame yet: it is top level
        return False


def test_the_browser_blocks_third_party_cookies(context):
    assert third_party_cookies_are_blocked(context)


def test_an_embedded_launch_reaches_the_tool_page_with_third_party_cookies_blocked(context, cross_site_world):
    body = reach_tool_page(context, cross_site_world)
    assert body.get_attribute("data-role") == "learner"
    assert body.get_attribute("data-user") == "learner1"
    assert body.get_attribute("data-launch-token")


def test_when_even_partitioned_cookies_are_blocked_the_new_window_path_reaches_the_tool_page(
    context, cross_site_world
):
    keep_no_cookies_in_frames(context, cross_site_world.tool_url)
    page, frame = open_embedded_launch(context, cross_site_world)
    assert frame.locator("#lti-error").get_attribute("data-error-code") == "LTI-STATE-COOKIE-MISSING"
    body = reach_tool_page(context, cross_site_world)
    assert body.get_attribute("data-role") == "learner"
    assert body.get_attribute("data-user") == "learner1"


def test_with_platform_storage_the_launch_completes_inside_the_iframe_without_any_cookie(
    context, cross_site_world
):
    cross_site_world.platform.platform_storage = True
    keep_no_cookies_in_frames(context, cross_site_world.tool_url)
    page, frame = open_embedded_launch(context, cross_site_world)
    body = frame.locator("body")
    assert body.get_attribute("data-role") == "learner"
    assert body.get_attribute("data-user") == "learner1"
    assert len(context.pages) == 1, "no new window was needed"


AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
DEMO_PAGES = ["/course", "/gradebook", "/admin/tools", "/course/embed?rl={unit}&user=learner1"]


@pytest.mark.parametrize("path", DEMO_PAGES)
def test_the_demo_lms_pages_have_no_serious_accessibility_violations(context, shared_world, path):
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed ({AXE}): run scripts/install")
    page = context.new_page()
    page.goto(shared_world.lms.url + path.format(unit=shared_world.unit.id))
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']})")
    serious = [v["id"] for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []
