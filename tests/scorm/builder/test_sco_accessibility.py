"""The SCO for people: axe-core finds no serious or critical WCAG issue on any kind of screen, it works by
keyboard alone, fits a 360 px phone even with text at 200 %, and still works with no LMS."""

from __future__ import annotations

import pytest

from tests.scorm.builder.unit_fixture import correct_option, make_unit

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}


def open_page_three(session) -> None:
    session.click("#next-page")
    session.click("#next-page")
    session.sco.locator("#page-p03 summary").click()  # the check-yourself disclosure, opened


def show_question_feedback(session) -> None:
    session.read_all_pages()
    session.click("#check-start")
    session.answer(right=False)


def show_failed_results(session) -> None:
    session.read_all_pages()
    session.take_check(right=False)


SCREENS = {
    "content page": open_page_three,
    "question with feedback": show_question_feedback,
    "results": show_failed_results,
}


@pytest.mark.parametrize("screen", SCREENS)
def test_axe_finds_no_serious_or_critical_issue(learner, screen):
    session = learner("2004")
    SCREENS[screen](session)
    assert session.axe_violations() == []


def test_axe_finds_no_serious_or_critical_issue_on_the_welcome_back_screen(learner):
    suspend_data = '{"f":1,"v":[0,1],"n":0,"d":[],"a":[]}'
    session = learner(
        "2004", seed={"cmi": {"entry": "resume", "location": "p02", "suspend_data": suspend_data}}
    )
    assert session.visible_heading() == "Welcome back"
    assert session.axe_violations() == []


@pytest.mark.parametrize("screen", SCREENS)
def test_a_360px_phone_needs_no_sideways_scrolling(learner, screen):
    session = learner("1.2", viewport=PHONE)
    SCREENS[screen](session)
    assert session.horizontal_overflow() <= 0


@pytest.mark.parametrize("screen", SCREENS)
def test_text_at_200_percent_still_fits_a_360px_phone(learner, screen):
    session = learner("2004", viewport=PHONE)
    session.frame().evaluate("document.documentElement.style.fontSize = '200%'")
    SCREENS[screen](session)
    assert session.horizontal_overflow() <= 0


def test_the_skip_link_is_the_first_tab_stop_and_moves_to_the_content(learner):
    session = learner("2004")
    frame = session.frame()
    frame.focus("body")
    session.page.keyboard.press("Tab")
    assert frame.evaluate("document.activeElement.textContent") == "Skip to content"
    session.page.keyboard.press("Enter")
    assert frame.evaluate("document.activeElement.id") == "main"


def test_a_question_can_be_answered_and_checked_by_keyboard_alone(learner):
    session = learner("2004")
    unit = make_unit()
    frame = session.frame()
    keyboard = session.page.keyboard
    for _ in unit["pages"]:
        frame.focus("#next-page")
        keyboard.press("Enter")
    frame.focus("#check-start")
    keyboard.press("Enter")
    assert frame.evaluate("document.activeElement.id") == "check-progress"  # focus follows the new question
    question_id = session.question_id()
    options = [
        o["id"] for o in next(q for q in unit["assessment"]["bank"] if q["id"] == question_id)["options"]
    ]
    keyboard.press("Tab")  # into the radio group
    keyboard.press("Space")
    for _ in range(options.index(correct_option(unit, question_id))):
        keyboard.press("ArrowDown")
    keyboard.press("Tab")  # to "Check answer"
    keyboard.press("Enter")
    assert session.sco.locator("#feedback").text_content().startswith("Correct.")
    assert frame.evaluate("document.activeElement.id") == "next-question"


def test_moving_to_the_next_page_puts_focus_on_its_heading(learner):
    session = learner("2004")
    session.click("#next-page")
    assert session.frame().evaluate("document.activeElement.id") == "page-p02-title"


def test_keyboard_focus_is_clearly_visible(learner):
    session = learner("2004")
    frame = session.frame()
    frame.focus("#next-page")
    session.page.keyboard.press("Shift+Tab")
    session.page.keyboard.press("Tab")  # focus by keyboard, so :focus-visible applies
    outline = frame.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [document.activeElement.id, s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
    )
    assert outline[0] == "next-page"
    assert outline[1] != "none" and outline[2] >= 2


def test_every_control_is_at_least_24px_square(learner):
    session = learner("2004", viewport=PHONE)
    open_page_three(session)
    sizes_on_page = session.frame().evaluate(_CONTROL_SIZES)
    session.click("#next-page")
    session.click("#check-start")
    sizes_on_question = session.frame().evaluate(_CONTROL_SIZES)
    small = [s for s in sizes_on_page + sizes_on_question if s[1] < 24 or s[2] < 24]
    assert small == []
    assert any(s[0] == "INPUT" for s in sizes_on_question)


_CONTROL_SIZES = """
[...document.querySelectorAll('button, input, summary')]
  .filter(el => el.offsetParent !== null)
  .map(el => { const r = el.getBoundingClientRect(); return [el.tagName, r.width, r.height]; })
"""


def test_choosing_no_answer_says_so_and_keeps_the_question_open(learner):
    session = learner("2004")
    session.read_all_pages()
    session.click("#check-start")
    session.click("#check-answer")
    assert session.sco.locator("#feedback").text_content() == "Choose an answer first, then check it."
    assert session.sco.locator("#next-question").is_hidden()
    assert session.frame().evaluate("document.activeElement.name") == "answer"


def test_feedback_and_save_status_are_live_regions(learner):
    session = learner("2004")
    for region in ("#feedback", "#save-status"):
        assert session.sco.locator(region).get_attribute("aria-live") == "polite"


def test_a_hostile_title_shows_as_text_and_runs_nothing(learner):
    hostile = "<script>window.parent.pwned = 1</script><img src=x onerror='window.parent.pwned = 2'>"
    unit = make_unit(title=hostile)
    unit["assessment"]["bank"] = [dict(q, prompt=hostile) for q in unit["assessment"]["bank"]]
    session = learner("2004", unit=unit)
    session.read_all_pages()
    session.click("#check-start")
    assert session.sco.locator("h1").text_content() == hostile
    assert session.sco.locator("legend").text_content() == hostile
    assert session.page.evaluate("window.pwned") is None


def test_without_an_lms_the_unit_says_progress_is_not_saved_and_still_works(learner, served_units):
    session = learner("2004")
    session.page.goto(served_units["2004"].replace("lms.html", "content/index.html"))
    notice = session.page.locator("#notice")
    assert "not connected to a learning system" in notice.text_content()
    for _ in range(3):
        session.page.locator("#next-page").click()
    session.page.locator("#check-start").click()
    session.page.locator("input[name=answer]").first.check()
    session.page.locator("#check-answer").click()
    assert session.page.locator("#feedback").text_content() != ""
    assert session.page.locator("#save-status").text_content() == ""
