"""Driving the Golf Explained sample courses (Rustici, CC-BY) through their own buttons and quiz."""

from __future__ import annotations

from typing import Any

# Which inputs of the quiz page hold the right answers, read from the page's own question list.
_CORRECT_INPUTS = """() => test.Questions.map(q => {
  if (q.Type === 'choice') { return {id: 'question_' + q.Id + '_' + q.Answers.indexOf(q.CorrectAnswer)}; }
  if (q.Type === 'true-false') {
    return {id: 'question_' + q.Id + '_' + (q.CorrectAnswer ? 'True' : 'False')};
  }
  return {id: 'question_' + q.Id + '_Text', text: String(q.CorrectAnswer)};
})"""


def content_frame(page: Any) -> Any:
    """The golf launch page inside the player's SCO frame."""
    return page.frame_locator("#sco")


def wait_for_golf(page: Any) -> Any:
    sco = content_frame(page)
    sco.locator("#butNext").wait_for()
    return sco


def go_to_page(page: Any, clicks: int) -> None:
    sco = wait_for_golf(page)
    for _ in range(clicks):
        sco.locator("#butNext").click()


def pass_the_quiz(page: Any, quiz_frame: str = "#contentFrame") -> None:
    """Answer every question of the quiz page right, through its inputs, then submit."""
    quiz = content_frame(page).frame_locator(quiz_frame)
    quiz.locator("input[value='Submit Answers']").wait_for()
    frame = (
        page.locator("#sco")
        .element_handle()
        .content_frame()
        .locator(quiz_frame)
        .element_handle()
        .content_frame()
    )
    for answer in frame.evaluate(_CORRECT_INPUTS):
        if "text" in answer:
            quiz.locator(f"[id='{answer['id']}']").fill(answer["text"])
        else:
            quiz.locator(f"[id='{answer['id']}']").check()
    quiz.locator("input[value='Submit Answers']").click()
