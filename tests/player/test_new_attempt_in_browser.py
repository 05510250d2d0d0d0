"""A learner in Chromium starting a new attempt from the player: the control is shown while attempts remain,
the confirmation says what is kept, the new attempt opens in the player, the attempts page shows both scores
and the one that counts, and once the limit is reached the control is gone and a forged form is refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.player.test_new_attempt import GOLF12, instructor_sets, new_learner, play

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def new_attempt_world(tmp_path_factory, corpus):
    from tests.player.conftest import world_with_unit

    yield from world_with_unit(
        tmp_path_factory.mktemp("new-attempt-browser-tool"),
        None,
        corpus,
        GOLF12,
        "Golf new attempts in a browser",
    )


def finish_in_the_sco(page, raw_score: str) -> None:
    """What the golf course does at its end, through the player's SCORM 1.2 API."""
    sco = page.locator("#sco").element_handle().content_frame()
    sco.evaluate(
        """score => {
          const api = window.parent.API;
          api.LMSSetValue('cmi.core.score.raw', score);
          api.LMSSetValue('cmi.core.lesson_status', 'passed');
          api.LMSFinish('');
        }""",
        raw_score,
    )


def axe_findings(page) -> list[str]:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        "async () => (await axe.run({exclude: [['#sco']]})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact)).map(v => v.id + ': ' + v.help)"
    )


def test_a_learner_starts_a_second_attempt_and_then_has_none_left(new_attempt_world, chromium):
    instructor_sets(new_attempt_world, max_attempts="2", new_attempt_after_completion="no")
    user_id = new_learner(new_attempt_world, "browser")
    play(new_attempt_world, user_id, "60")
    context = chromium.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(new_attempt_world.launch_url(user_id, new_attempt_world.link))

    page.frame_locator("#sco").locator("#butNext").wait_for()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360  # review notice, four links
    page.locator("#new-attempt-link").focus()
    page.keyboard.press("Enter")  # by keyboard, on a phone
    confirm = page.locator("#new-attempt-confirm")
    assert "will be kept as attempt 1" in confirm.text_content()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    if AXE.exists():
        assert axe_findings(page) == []
    page.locator("#start-new-attempt").click()

    page.locator(".who", has_text="attempt 2").wait_for()
    page.frame_locator("#sco").locator("#butNext").wait_for()
    assert page.locator("#new-attempt-link").count() == 0  # attempt 2 is not finished
    finish_in_the_sco(page, "80")
    page.locator("#end-title", has_text="You have finished this session.").wait_for()
    assert page.locator("#end-new-attempt").is_hidden()  # no attempts left after this one

    page.locator("#end-screen a", has_text="Your attempts").click()
    rows = page.locator("#attempts tbody tr")
    rows.nth(1).locator("td", has_text="80%").wait_for()
    assert "60%" in rows.nth(0).text_content()
    assert page.locator("#attempts tr[data-attempt='2'] #counted-attempt").count() == 1
    assert "You have used all 2 of your attempts." in page.locator("#new-attempt-unavailable").text_content()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    if AXE.exists():
        assert axe_findings(page) == []

    token = re.search(r"lt=([^&]+)", page.url).group(1)
    forged = page.request.post(
        f"{new_attempt_world.tool.url}/player/attempts/new?lt={token}", form={"after": "2"}
    )
    assert forged.status == 409 and "You have used all 2 of your attempts." in forged.text()
    context.close()
